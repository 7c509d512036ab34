/** The shape of bench/results.json (formatVersion 1). */
import type { SoakFigures } from './soak.js';
import type { AnchorRateResult } from './anchor-rate.js';
import type { ApplyStages } from './journal-stats.js';
import type { BaselineResult } from './ldapadd-baseline.js';

export type BaselineFigures = BaselineResult & { dcCpuMs: number | null; dcBusyShare: number | null };

export interface PlanFigures {
  /** Users in the tenant (all kinds). */
  tenantUsers: number;
  /** Users the listing returned (cloud-only). */
  cloudUsers: number;
  creates: number;
  wallMs: number;
  maxRssMb: number | null;
  cpuMs: number | null;
  /** Spawn -> "cloud: N user(s) read" (includes start-up and sign-in). */
  listingMs: number | null;
  listingUsersPerSecond: number | null;
  /** Listing done -> plan files written (managers, directory read, decisions, files). */
  planningMs: number | null;
  planningUsersPerSecond: number | null;
  graphRequests: number;
  throttled429: number;
  simMaxRssMb: number | null;
  exitCode: number;
}

export interface ApplyFigures {
  users: number;
  wallMs: number;
  usersPerSecond: number;
  maxRssMb: number | null;
  cpuMs: number | null;
  exitCode: number;
  anchored: number;
  unchanged: number;
  failed: number;
  throttled429: number;
  graphRequests: number;
  stages: ApplyStages | null;
  /**
   * Where the wall time went: spawn -> run-start (start-up, sign-in, listing
   * users, reading the DC, guards, drift check); run-start -> run-end (the
   * pipeline); -> "report:" line (report files); -> "verify" line (the verify
   * pass apply runs at the end); -> exit.
   */
  phases: { beforeRunMs: number; pipelineMs: number; reportMs: number; verifyMs: number; exitMs: number } | null;
  /** CPU the DC's processes used during this run, and that over the wall time. */
  dcCpuMs: number | null;
  dcBusyShare: number | null;
}

export interface BenchResults {
  formatVersion: 1;
  mode: 'full' | 'smoke' | 'soak';
  startedAt: string;
  finishedAt: string;
  machine: { node: string; cpus: number; memoryGb: number; platform: string };
  settings: { users: number; latencyMs: number; jitterMs: number; seed: number; scaleSizes: number[]; anchorSeconds: number; anchorThrottleScales: number[] };
  scale: PlanFigures[];
  /** `--soak`: the long apply under faults (src/bench/soak.ts). */
  soak?: SoakFigures | null;
  dc: {
    startMs: number;
    fromTemplate: boolean;
  } | null;
  apply: {
    plan: PlanFigures;
    /** ldapadd before the apply; `baselineAfter` after it, on a database 2 x the users bigger. */
    baseline: BaselineFigures;
    baselineAfter: BaselineFigures;
    /** The mean of the two: what the apply is compared with. */
    baselineUsersPerSecond: number;
    first: ApplyFigures;
    rerun: ApplyFigures;
    /** entra2ad users/s over ldapadd users/s (end to end, same DC, same users). */
    ratioToBaseline: number;
    rerunShareOfFirst: number;
    /** Every planned create ended anchored, and the simulator holds exactly that immutableId. */
    allAnchored: boolean;
    anchoredInCloud: number;
  } | null;
  /** One anchor-only run per write-budget scale. */
  anchorRates: AnchorRateResult[];
  targets: { name: string; target: string; measured: string; met: boolean | null }[];
  skipped: string[];
  errors: string[];
}
