/**
 * A user's step that failed, for apply and rollback alike: which step, a stable
 * reason code and a message. Anything thrown inside `step(name, ...)` becomes one,
 * so the per-user code journals and reports a failure without knowing its source.
 */
import { Entra2adError } from '../errors.js';

export class StepFailure<S extends string = string> extends Error {
  constructor(
    readonly step: S,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** `run`, with whatever it throws turned into a StepFailure of step `name`. */
export async function step<S extends string, T>(name: S, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw asStepFailure(error, name);
  }
}

/** A StepFailure as is; our typed errors keep their reason; anything else is UNEXPECTED. */
export function asStepFailure<S extends string>(error: unknown, stepName: S): StepFailure<S> {
  if (error instanceof StepFailure) return error as StepFailure<S>;
  if (error instanceof Entra2adError) return new StepFailure(stepName, error.reason, error.message);
  return new StepFailure(stepName, 'UNEXPECTED', error instanceof Error ? error.message : String(error));
}
