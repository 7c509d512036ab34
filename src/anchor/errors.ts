import { Entra2adError, ExitCode } from '../errors.js';

export type AnchorReason = 'ANCHOR_NOT_A_GUID' | 'ANCHOR_BAD_BASE64' | 'ANCHOR_BAD_LENGTH' | 'ANCHOR_UNRECOGNISED';

/** Malformed GUID / immutableId input. Exit 2: it is always the caller's input. */
export class AnchorError extends Entra2adError {
  declare readonly reason: AnchorReason;
  constructor(reason: AnchorReason, message: string) {
    super(reason, message, ExitCode.Usage);
  }
}
