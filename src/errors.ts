/**
 * The error vocabulary of entra2ad.
 *
 * Every error we throw on purpose is an `Entra2adError` with a stable `reason`
 * (a machine-readable code that scripts may match on; never reworded) and the
 * process exit code it maps to. Library errors (ldapts, Graph, MSAL) are
 * translated into these at the adapter boundary, so no caller parses messages.
 */

/** Process exit codes. Documented in the README; never renumbered. */
export const ExitCode = {
  /** Everything that was asked for was done. */
  Ok: 0,
  /** Nothing could be done (cannot connect, cannot sign in, tenant guard stop, internal error). */
  Failure: 1,
  /** Bad flags, bad config, bad input: nothing was attempted. */
  Usage: 2,
  /** Some users succeeded and some failed; the report says which and why. */
  Partial: 3,
  /** `verify`: the next Entra Connect sync would create at least one duplicate cloud user. */
  Duplicates: 4,
  /** `apply`: the DC stayed away longer than --dc-outage-limit; the run stopped cleanly and resumes when run again. */
  DcUnavailable: 5,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface ErrorContext {
  /** The user the error is about (UPN when known, else the cloud object id). */
  user?: string;
  /** The field or config path the error is about, e.g. `targetOu` or `givenName`. */
  field?: string;
  cause?: unknown;
}

export class Entra2adError extends Error {
  readonly reason: string;
  readonly exitCode: ExitCode;
  readonly user?: string;
  readonly field?: string;

  constructor(reason: string, message: string, exitCode: ExitCode = ExitCode.Failure, context: ErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.name = new.target.name;
    this.reason = reason;
    this.exitCode = exitCode;
    if (context.user !== undefined) this.user = context.user;
    if (context.field !== undefined) this.field = context.field;
  }
}

/** Bad input from the person running the tool: exit 2, nothing attempted. */
export class UsageError extends Entra2adError {
  /** Every problem found, each with its path, not only the first (changesets' rule). */
  readonly problems: readonly string[];

  constructor(reason: string, message: string, problems: readonly string[] = [], context: ErrorContext = {}) {
    super(reason, message, ExitCode.Usage, context);
    this.problems = problems;
  }
}

/** A bug in entra2ad itself. */
export class InternalError extends Entra2adError {
  constructor(message: string, cause?: unknown) {
    super('INTERNAL', message, ExitCode.Failure, { cause });
  }
}
