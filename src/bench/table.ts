/** The benchmark's printed summary: plain text tables, one line per figure. */
import type { BenchResults } from './results.js';

const f1 = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(1));
const sec = (ms: number | null | undefined) => (ms === null || ms === undefined ? '-' : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`);
const pc = (x: number | null | undefined) => (x === null || x === undefined ? '-' : `${(x * 100).toFixed(0)} %`);
const mbs = (x: number | null | undefined) => (x === null || x === undefined ? '-' : `${x.toFixed(0)} MB`);

function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export function formatTable(r: BenchResults): string {
  const out: string[] = [];
  out.push(
    `entra2ad bench (${r.mode}), ${r.machine.node}, ${r.machine.cpus} CPUs; Graph simulator in its own process: ${r.settings.latencyMs} ms + 0..${r.settings.jitterMs} ms per request, Graph's published budgets`,
  );
  if (r.apply) {
    const a = r.apply;
    const s = a.first.stages;
    out.push('', `Apply on a fresh Samba DC (${a.first.users} users created with password, GUID read back, anchor written)`);
    out.push(
      table(
        ['stage', 'users', 'time', 'users/s', 'peak RSS', 'notes'],
        [
          ['listing (plan, spawn -> users read)', a.plan.cloudUsers, sec(a.plan.listingMs), f1(a.plan.listingUsersPerSecond), '', ''],
          ['planning (managers, DC read, decisions, files)', a.plan.cloudUsers, sec(a.plan.planningMs), f1(a.plan.planningUsersPerSecond), mbs(a.plan.maxRssMb), `plan wall ${sec(a.plan.wallMs)}, ${a.plan.throttled429} x 429`],
          ['AD creates (incl. password) + GUID read', s?.creates.count ?? '-', sec(s?.guidReads.spanMs), f1(s?.guidReads.perSecond), '', s ? `dir part/user p50 ${s.directoryMsPerUser.p50} ms` : ''],
          ['anchor writes (Graph $batch)', s?.anchors.count ?? '-', sec(s?.anchors.spanMs), f1(s?.anchors.perSecond), '', s ? `lag after GUID p50 ${sec(s.anchorLagMs.p50)}, p95 ${sec(s.anchorLagMs.p95)}` : ''],
          ['manager links (first to last; set in the adds where the manager existed)', s?.managerLinks.count ?? '-', sec(s?.managerLinks.passMs), '', '', ''],
          [
            'fixed cost (reads before the first add + verify after the last)',
            '',
            sec(a.first.phases ? a.first.phases.beforeRunMs + a.first.phases.verifyMs : null),
            '',
            '',
            a.first.phases ? `${sec(a.first.phases.beforeRunMs)} + ${sec(a.first.phases.verifyMs)}, ${pc((a.first.phases.beforeRunMs + a.first.phases.verifyMs) / a.first.wallMs)} of the apply wall` : '',
          ],
          ['apply end to end (process wall)', a.first.users, sec(a.first.wallMs), f1(a.first.usersPerSecond), mbs(a.first.maxRssMb), `${a.first.throttled429} x 429, ${a.first.failed} failed, DC busy ${pc(a.first.dcBusyShare)}`],
          ['ldapadd -c baseline before the apply (same users, same DC)', a.baseline.added, sec(a.baseline.wallMs), f1(a.baseline.usersPerSecond), '', `${a.baseline.failed} failed, DC busy ${pc(a.baseline.dcBusyShare)}`],
          ['ldapadd -c baseline after the apply', a.baselineAfter.added, sec(a.baselineAfter.wallMs), f1(a.baselineAfter.usersPerSecond), '', `${a.baselineAfter.failed} failed, DC busy ${pc(a.baselineAfter.dcBusyShare)}`],
          ['ratio entra2ad / ldapadd (mean of before and after)', '', '', a.ratioToBaseline.toFixed(2), '', `ldapadd mean ${f1(a.baselineUsersPerSecond)} users/s`],
          ['re-run of the completed apply', a.rerun.users, sec(a.rerun.wallMs), '', mbs(a.rerun.maxRssMb), `${(a.rerunShareOfFirst * 100).toFixed(1)} % of the first run`],
        ],
      ),
    );
    const p = a.first.phases;
    if (p) {
      out.push(
        `apply wall = before run-start ${sec(p.beforeRunMs)} (start-up, sign-in, users, DC read, guards, drift) + pipeline ${sec(p.pipelineMs)} + reports ${sec(p.reportMs)} + verify ${sec(p.verifyMs)} + exit ${sec(p.exitMs)}`,
      );
    }
    const perUser = (cpu: number | null, n: number) => (cpu === null || n === 0 ? '-' : `${(cpu / n).toFixed(1)} ms`);
    out.push(`DC CPU per user: ldapadd ${perUser(a.baseline.dcCpuMs, a.baseline.added)} before, ${perUser(a.baselineAfter.dcCpuMs, a.baselineAfter.added)} after; entra2ad ${perUser(a.first.dcCpuMs, a.first.users)}`);
    out.push(`all ${a.first.users} users anchored in the cloud: ${a.allAnchored ? 'yes' : `NO (${a.anchoredInCloud})`}`);
  }
  if (r.soak) {
    const k = r.soak;
    out.push('', `Soak: ${k.creates} users at Graph's write budget (20/s), ${k.tokenLifetimeSeconds} s tokens, ${(k.faultRate * 100).toFixed(1)} % post-commit faults, ${k.dcRestart ? `a DC restart at ${k.dcRestart.atUsersDone} users` : 'no DC restart'}`);
    out.push(
      table(
        ['figure', 'value'],
        [
          ['apply wall', sec(k.wallMs)],
          ['physical limit = max(ldapadd, write budget)', `${sec(k.physicalLimitMs)} = max(${sec(k.ldapaddMs)}, ${sec(k.writeBudgetMs)})`],
          ['apply / physical limit', `${k.overPhysicalLimit.toFixed(2)} x`],
          ['anchored / failed (report)', `${k.anchored} / ${k.failed}`],
          ['duplicates / hard matches (verify of the run)', `${k.duplicates ?? '?'} / ${k.hardMatches ?? '?'}`],
          ['users with exactly one effective write', `${k.usersWithOneEffectiveWrite} of ${k.creates} (${k.usersWithOtherWriteCounts} other; ${k.noOpWrites} no-op re-sends)`],
          ['answers lost after commit / 429s / token requests', `${k.lostAnswers} / ${k.throttled429} / ${k.tokenRequests}`],
          ['apply peak RSS', mbs(k.peakRssMb)],
          ['apply exit code', String(k.exitCode)],
        ],
      ),
    );
    out.push(`apply RSS (MB) by users done: ${k.rssSamples.map((x) => `${x.usersDone}: ${x.rssMb.toFixed(0)}`).join(', ')}`);
  }
  if (r.anchorRates.length > 0) {
    out.push('', 'Anchor writes alone (AnchorWriter as apply builds it; the simulator\'s write bucket drained first, so the budget\'s refill rate is the ceiling)');
    out.push(
      table(
        ['budget', 'writes', 'drained', 'time', 'achieved/s', 'budget/s', 'share', '429s', 'failed', 'client rate at end', 'per 10 s'],
        r.anchorRates.map((x) => [
          `x${x.throttleScale}`,
          x.writes,
          x.drainWrites,
          sec(x.wallMs),
          x.achievedPerSecond.toFixed(2),
          x.budgetPerSecond.toFixed(2),
          `${(x.shareOfBudget * 100).toFixed(1)} %`,
          x.throttled429,
          x.failed,
          x.finalClientRate.toFixed(2),
          x.per10s.join(' '),
        ]),
      ),
    );
  }
  if (r.scale.length > 0) {
    out.push('', 'Dry run (plan, no DC) against the simulator');
    out.push(
      table(
        ['tenant users', 'cloud-only', 'creates', 'wall', 'peak RSS', 'CPU', 'listing', 'planning', '429s', 'requests'],
        r.scale.map((s) => [s.tenantUsers, s.cloudUsers, s.creates, sec(s.wallMs), mbs(s.maxRssMb), sec(s.cpuMs), sec(s.listingMs), sec(s.planningMs), s.throttled429, s.graphRequests]),
      ),
    );
  }
  if (r.targets.length > 0) {
    out.push('', 'Targets');
    out.push(table(['target', 'wanted', 'measured', 'met'], r.targets.map((t) => [t.name, t.target, t.measured, t.met === null ? '?' : t.met ? 'yes' : 'NO'])));
  }
  for (const s of r.skipped) out.push(`skipped: ${s}`);
  for (const e of r.errors) out.push(`ERROR: ${e}`);
  return `${out.join('\n')}\n`;
}
