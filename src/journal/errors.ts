import { Entra2adError, ExitCode, type ErrorContext } from '../errors.js';

/** Errors of the run machinery itself (journal, credentials file, plan drift). */
export class RunError extends Entra2adError {
  constructor(reason: string, message: string, context: ErrorContext = {}, exitCode: ExitCode = ExitCode.Failure) {
    super(reason, message, exitCode, context);
  }
}
