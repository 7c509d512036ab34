/**
 * Directory errors: every failure of the LDAP adapter leaves it as a
 * `DirectoryError` with a stable `reason`, so callers decide by code, never by
 * parsing the DC's text.
 *
 * Two sources are combined:
 * - the LDAP result code (RFC 4511 section 4.1.9), which ldapts puts on
 *   `ResultCodeError.code`;
 * - the Win32 error at the start of AD's diagnostic message
 *   (`0000052D: Constraint violation - ...`), which tells e.g. a weak password
 *   (code 19 on Samba 4.17, 53 on Windows) from a duplicate UPN (19 too).
 *   (learn.microsoft.com/windows/win32/debug/system-error-codes--1300-1699-
 *   and --8200-8999-; Samba values measured, see src/directory/README.md.)
 */
import { ResultCodeError } from 'ldapts';

export { DirectoryError, type DirectoryReason, type DirectoryStep, type DirectoryErrorDetails } from './directory-error.js';
import { DirectoryError, type DirectoryReason } from './directory-error.js';

/** Context added to a translated error. */
export interface ErrorSite {
  operation: string;
  dn?: string;
  user?: string;
}

/** LDAP result codes (RFC 4511 section 4.1.9) that we name. */
const BY_LDAP_CODE: Record<number, { reason: DirectoryReason; transient?: boolean }> = {
  3: { reason: 'TIMEOUT', transient: true }, // timeLimitExceeded
  8: { reason: 'STRONG_AUTH_REQUIRED' },
  13: { reason: 'STRONG_AUTH_REQUIRED' }, // confidentialityRequired
  16: { reason: 'NO_SUCH_ATTRIBUTE' },
  17: { reason: 'UNDEFINED_ATTRIBUTE' },
  19: { reason: 'CONSTRAINT' },
  20: { reason: 'ATTRIBUTE_OR_VALUE_EXISTS' },
  21: { reason: 'INVALID_SYNTAX' },
  32: { reason: 'NO_SUCH_OBJECT' },
  34: { reason: 'INVALID_DN_SYNTAX' },
  49: { reason: 'INVALID_CREDENTIALS' },
  50: { reason: 'INSUFFICIENT_ACCESS' },
  51: { reason: 'BUSY', transient: true },
  52: { reason: 'UNAVAILABLE', transient: true },
  53: { reason: 'UNWILLING_TO_PERFORM' },
  64: { reason: 'NAMING_VIOLATION' },
  65: { reason: 'OBJECT_CLASS_VIOLATION' },
  66: { reason: 'NOT_ALLOWED_ON_NON_LEAF' },
  68: { reason: 'ALREADY_EXISTS' },
};

/**
 * Win32 codes at the start of AD's diagnostic message that decide the reason
 * whatever the LDAP code is (Samba and Windows disagree on the LDAP code).
 */
const BY_DIAGNOSTIC: Record<string, DirectoryReason> = {
  // ERROR_PASSWORD_RESTRICTION (1325): too short, too simple, history...
  '0000052D': 'PASSWORD_POLICY',
  // Samba: "samldb: samAccountName 'x' already in use!" (68, measured 4.17)
  '00002071': 'SAM_ACCOUNT_NAME_IN_USE',
  // Windows: ERROR_USER_EXISTS (1316) on a duplicate sAMAccountName (68). Unverified here (no Windows DC).
  '00000524': 'SAM_ACCOUNT_NAME_IN_USE',
  // Windows 2012 R2+: ERROR_DS_UPN_VALUE_NOT_UNIQUE_IN_FOREST (8467), per MS-ADTS 3.1.1.5.1.3. Unverified here.
  '00002113': 'UPN_IN_USE',
  // Samba: a DN-valued attribute (manager, member) names a missing object (19, measured 4.17)
  '000020B5': 'REFERENCED_OBJECT_MISSING',
  // Windows: "a successful bind must be completed on the connection" (1), e.g. after a reconnect without a bind.
  '000004DC': 'NOT_AUTHENTICATED',
};

/** Transport-level errors from Node's `tls` module that mean "certificate not trusted". */
const TLS_TRUST_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
]);

const UNREACHABLE_CODES: Record<string, boolean> = {
  // code -> transient
  ECONNREFUSED: false,
  ENOTFOUND: false,
  EAI_AGAIN: true,
  EHOSTUNREACH: false,
  ENETUNREACH: false,
  EADDRNOTAVAIL: false,
  ETIMEDOUT: true,
};

// E2A_NO_REOPEN: a Client asked to reopen its closed connection (client.ts), i.e. the connection is gone.
const CONNECTION_LOST_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'E2A_NO_REOPEN']);

const DIAGNOSTIC_PATTERN = /^\s*([0-9A-Fa-f]{8}):/;

function stripLdaptsSuffix(message: string): string {
  return message.replace(/\s*Code: 0x[0-9a-f]+\s*$/i, '').trim();
}

function describe(site: ErrorSite): string {
  const about = site.user ?? site.dn;
  return about ? `${site.operation} ${about}` : site.operation;
}

/** The Win32 code at the start of an AD diagnostic message, e.g. `0000052D`. */
export function diagnosticCode(serverMessage: string): string | undefined {
  return DIAGNOSTIC_PATTERN.exec(serverMessage)?.[1]?.toUpperCase();
}

function reasonForResult(code: number, diagnostic: string | undefined, serverMessage: string): DirectoryReason {
  if (diagnostic !== undefined) {
    const byDiagnostic = BY_DIAGNOSTIC[diagnostic];
    if (byDiagnostic) return byDiagnostic;
    // Samba reports a duplicate UPN with the generic ERROR_DS_CONSTRAINT_VIOLATION
    // (0000202F), the same code it uses for a bad sAMAccountName character, so
    // only the attribute named in its text tells them apart (measured 4.17).
    if (diagnostic === '0000202F' && /userPrincipalName/i.test(serverMessage) && /in use/i.test(serverMessage)) {
      return 'UPN_IN_USE';
    }
    // Samba's equivalent of 000004DC (measured 4.17, code 1, after the connection was re-opened unbound).
    if (diagnostic === '00002020' && /without authentication/i.test(serverMessage)) return 'NOT_AUTHENTICATED';
  }
  return BY_LDAP_CODE[code]?.reason ?? 'LDAP_ERROR';
}

function nodeErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Translates anything ldapts, `net` or `tls` threw into a DirectoryError.
 * Already-translated errors pass through unchanged.
 */
export function toDirectoryError(error: unknown, site: ErrorSite): DirectoryError {
  if (error instanceof DirectoryError) return error;
  const base = {
    operation: site.operation,
    ...(site.dn !== undefined ? { dn: site.dn } : {}),
    ...(site.user !== undefined ? { user: site.user } : {}),
    cause: error,
  };

  if (error instanceof ResultCodeError) {
    const serverMessage = stripLdaptsSuffix(error.message);
    const diagnostic = diagnosticCode(serverMessage);
    const reason = reasonForResult(error.code, diagnostic, serverMessage);
    const transient = BY_LDAP_CODE[error.code]?.transient ?? false;
    return new DirectoryError(reason, `${describe(site)}: ${reason} (LDAP ${error.code}): ${serverMessage}`, {
      ...base,
      ldapCode: error.code,
      ...(diagnostic !== undefined ? { diagnostic } : {}),
      serverMessage,
      transient,
    });
  }

  const code = nodeErrorCode(error);
  const message = error instanceof Error ? error.message : String(error);

  if (code !== undefined && TLS_TRUST_CODES.has(code)) {
    return new DirectoryError(
      'TLS_UNTRUSTED',
      `${describe(site)}: the DC's TLS certificate is not trusted (${code}: ${message}). Trust the CA that issued it (--ldap-ca-file, directory.caFile in the config; the "ca" option for the library) and, if the certificate names another host than the URL, give that name with --ldap-servername (directory.servername; "servername").`,
      base,
    );
  }
  if (code !== undefined && (code === 'EPROTO' || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_'))) {
    return new DirectoryError('TLS_FAILED', `${describe(site)}: TLS handshake failed (${code}: ${message})`, base);
  }
  if (code !== undefined && code in UNREACHABLE_CODES) {
    return new DirectoryError('UNREACHABLE', `${describe(site)}: cannot reach the DC (${code}: ${message})`, {
      ...base,
      transient: UNREACHABLE_CODES[code]!,
    });
  }
  if (code !== undefined && CONNECTION_LOST_CODES.has(code)) {
    return new DirectoryError('CONNECTION_LOST', `${describe(site)}: connection lost (${code})`, { ...base, transient: true });
  }
  // ldapts' own plain `Error`s (dist/index.mjs, 9.2): matched here once so no caller has to.
  if (message === 'Connection timeout') {
    return new DirectoryError('UNREACHABLE', `${describe(site)}: connect timed out`, { ...base, transient: true });
  }
  if (/Operation timed out$/.test(message)) {
    return new DirectoryError('TIMEOUT', `${describe(site)}: no answer in time (${message})`, { ...base, transient: true });
  }
  if (
    message.startsWith('Connection closed before message response') ||
    message.startsWith('Socket error.') ||
    message === 'Socket connection not established'
  ) {
    return new DirectoryError('CONNECTION_LOST', `${describe(site)}: connection lost (${message.split('\n')[0]})`, {
      ...base,
      transient: true,
    });
  }
  return new DirectoryError('LDAP_ERROR', `${describe(site)}: ${message}`, base);
}
