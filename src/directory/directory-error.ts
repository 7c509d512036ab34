/**
 * The directory adapter's error class and reason codes, without the ldapts
 * translation (errors.ts), so pure code (DN parsing, the planner) can throw and
 * catch it without loading the LDAP client.
 */
import { Entra2adError, ExitCode } from '../errors.js';

export type DirectoryReason =
  // Name collisions
  | 'ALREADY_EXISTS'
  | 'SAM_ACCOUNT_NAME_IN_USE'
  | 'UPN_IN_USE'
  // Data the DC refused
  | 'PASSWORD_POLICY'
  | 'REFERENCED_OBJECT_MISSING'
  | 'CONSTRAINT'
  | 'INVALID_SYNTAX'
  | 'INVALID_DN_SYNTAX'
  | 'NAMING_VIOLATION'
  | 'OBJECT_CLASS_VIOLATION'
  | 'UNDEFINED_ATTRIBUTE'
  | 'NO_SUCH_ATTRIBUTE'
  | 'ATTRIBUTE_OR_VALUE_EXISTS'
  | 'NOT_ALLOWED_ON_NON_LEAF'
  | 'UNWILLING_TO_PERFORM'
  | 'NO_SUCH_OBJECT'
  // Who we are
  | 'INVALID_CREDENTIALS'
  | 'NOT_AUTHENTICATED'
  | 'INSUFFICIENT_ACCESS'
  | 'STRONG_AUTH_REQUIRED'
  // Getting there
  | 'UNREACHABLE'
  | 'TLS_UNTRUSTED'
  | 'TLS_FAILED'
  | 'TIMEOUT'
  | 'CONNECTION_LOST'
  | 'BUSY'
  | 'UNAVAILABLE'
  // The DC stayed away longer than the outage limit (src/directory/session.ts)
  | 'DC_UNAVAILABLE'
  // Refused by us before anything was sent
  | 'INVALID_DN'
  | 'INVALID_URL'
  | 'INSECURE_TRANSPORT'
  | 'UNSAFE_DEBUG_LOGGING'
  // The DC answered something we did not expect
  | 'UNEXPECTED_RESPONSE'
  | 'LDAP_ERROR';

/** Where in a multi-step write the failure happened (createUser). */
export type DirectoryStep = 'add' | 'password' | 'enable';

export interface DirectoryErrorDetails {
  /** The entry the operation was about. */
  dn?: string;
  /** The user (UPN) the operation was about, when known. */
  user?: string;
  /** The adapter operation, e.g. `createUser`, `search`, `bind`. */
  operation?: string;
  /** LDAP result code (RFC 4511), when the DC answered. */
  ldapCode?: number;
  /** The 8-hex-digit Win32 code at the start of AD's message, upper case (`0000052D`). */
  diagnostic?: string;
  /** The DC's own text, without ldapts' ` Code: 0x..` suffix. Never contains a password. */
  serverMessage?: string;
  /** True when the same request may succeed if retried later (busy, unavailable, timeout, dropped connection). */
  transient?: boolean;
  /** createUser only: the step that failed. */
  step?: DirectoryStep;
  /** createUser only: whether the half-created account was deleted again. */
  rolledBack?: boolean;
  /** Bad input from the person running the tool (exit 2) rather than a runtime failure (exit 1). */
  usage?: boolean;
  cause?: unknown;
}

export class DirectoryError extends Entra2adError {
  declare readonly reason: DirectoryReason;
  readonly dn?: string;
  readonly operation?: string;
  readonly ldapCode?: number;
  readonly diagnostic?: string;
  readonly serverMessage?: string;
  readonly transient: boolean;
  readonly step?: DirectoryStep;
  readonly rolledBack?: boolean;

  constructor(reason: DirectoryReason, message: string, details: DirectoryErrorDetails = {}) {
    super(reason, message, details.usage ? ExitCode.Usage : reason === 'DC_UNAVAILABLE' ? ExitCode.DcUnavailable : ExitCode.Failure, {
      ...(details.user !== undefined ? { user: details.user } : {}),
      ...(details.cause !== undefined ? { cause: details.cause } : {}),
    });
    this.transient = details.transient ?? false;
    if (details.dn !== undefined) this.dn = details.dn;
    if (details.operation !== undefined) this.operation = details.operation;
    if (details.ldapCode !== undefined) this.ldapCode = details.ldapCode;
    if (details.diagnostic !== undefined) this.diagnostic = details.diagnostic;
    if (details.serverMessage !== undefined) this.serverMessage = details.serverMessage;
    if (details.step !== undefined) this.step = details.step;
    if (details.rolledBack !== undefined) this.rolledBack = details.rolledBack;
  }
}
