/**
 * How to reach and authenticate to a DC, and the TLS settings derived from it.
 */
import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import { DirectoryError } from './errors.js';
import type { ConnectionEvent } from './session.js';

/**
 * The one sentence said wherever --insecure-skip-tls-verify is in effect (stderr,
 * apply's confirmation, log.jsonl, the report): the bind password and every
 * password set go to whoever answers on the DC's address.
 */
export const INSECURE_TLS_WARNING =
  'WARN_INSECURE_TLS: --insecure-skip-tls-verify is on: the DC\'s certificate is not checked, so the bind password and every initial password go to whoever answers at that address. Use it only in a lab; give --ldap-ca-file instead';

export interface DirectoryConnectionOptions {
  /**
   * `ldaps://host[:636]`, or `ldap://host[:389]` together with `startTls: true`.
   * Plain LDAP is refused: AD only accepts `unicodePwd` over an encrypted
   * connection, and a simple bind would send the bind password in clear.
   * (learn.microsoft.com/troubleshoot/windows-server/active-directory/set-user-password-with-ldifde;
   * RFC 4513 section 5.1.2, RFC 4511 section 4.14 for StartTLS.)
   */
  url: string;
  /** Upgrade an `ldap://` connection with StartTLS (RFC 4511 section 4.14) before binding. */
  startTls?: boolean;
  /**
   * Who to bind as: a DN (`CN=svc-entra2ad,OU=Service,DC=corp,DC=example,DC=com`)
   * or a UPN (`svc-entra2ad@corp.example.com`). AD accepts both for a simple
   * bind ([MS-ADTS] 5.1.1.1.1), which saves users from looking up their DN.
   */
  bindDn: string;
  bindPassword: string;
  /**
   * PEM of the CA(s) that issued the DC's certificate. When given, ONLY these
   * are trusted for this connection (Node replaces its default store with
   * `ca`). Leave it out when the DC's certificate chains to a CA Node already
   * trusts (`NODE_EXTRA_CA_CERTS`, or Node's `--use-system-ca`).
   */
  ca?: string | Buffer | Array<string | Buffer>;
  /**
   * The host name to verify the certificate against (and to send as SNI), when
   * it differs from the URL's host: e.g. connecting by IP address to a DC whose
   * certificate only names `dc1.corp.example.com`. Verification stays on; only
   * the expected name changes. (Node `tls.connect` `servername`, used by the
   * default `checkServerIdentity`, RFC 6125.)
   */
  servername?: string;
  /**
   * Skip certificate verification. For throwaway labs only: the connection is
   * still encrypted, but anyone in the middle can read the bind password and
   * every password set. Default false.
   */
  insecureTls?: boolean;
  /**
   * Per-operation timeout. ldapts destroys the socket when it fires, which
   * fails every operation in flight on that connection (ldapts src/Client.ts),
   * so keep it well above the slowest expected write. Default 60 000 ms.
   */
  timeoutMs?: number;
  /** TCP + TLS connect timeout. Default 10 000 ms. */
  connectTimeoutMs?: number;
  /**
   * How long a DC that went away (restart, dropped connection) is waited for,
   * reconnecting with back-off, before every call fails with DC_UNAVAILABLE.
   * 0 gives up at the first failed reconnect. Default 300 000 ms (src/directory/reconnect.ts).
   */
  outageLimitMs?: number;
  /** Told when the DC goes away, each reconnect attempt, and when it is back (for stderr). */
  onConnectionEvent?: (event: ConnectionEvent) => void;
}

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

export interface ResolvedTransport {
  url: string;
  /** True for ldaps://, false for ldap:// + StartTLS. */
  implicitTls: boolean;
  host: string;
  tls: TlsConnectionOptions;
}

/** Validates the URL/TLS combination and builds Node TLS options. Throws `INVALID_URL` / `INSECURE_TRANSPORT` (exit 2). */
export function resolveTransport(options: DirectoryConnectionOptions): ResolvedTransport {
  let parsed: URL;
  try {
    parsed = new URL(options.url);
  } catch {
    throw new DirectoryError('INVALID_URL', `"${options.url}" is not an LDAP URL (expected ldaps://host:636)`, {
      usage: true,
      operation: 'connect',
    });
  }
  const scheme = parsed.protocol.replace(/:$/, '').toLowerCase();
  if (scheme !== 'ldaps' && scheme !== 'ldap') {
    throw new DirectoryError('INVALID_URL', `"${options.url}" is not an LDAP URL (expected ldaps://host:636)`, {
      usage: true,
      operation: 'connect',
    });
  }
  if (scheme === 'ldap' && !options.startTls) {
    throw new DirectoryError(
      'INSECURE_TRANSPORT',
      `refusing plain LDAP to ${parsed.host}: passwords can only be set over an encrypted connection. Use ldaps://${parsed.hostname}:636 or add StartTLS.`,
      { usage: true, operation: 'connect' },
    );
  }
  if (scheme === 'ldaps' && options.startTls) {
    throw new DirectoryError('INSECURE_TRANSPORT', 'StartTLS is for ldap:// URLs; ldaps:// is already encrypted', {
      usage: true,
      operation: 'connect',
    });
  }
  // URL keeps IPv6 literals in brackets; TLS and SNI want them bare.
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const tls: TlsConnectionOptions = {
    minVersion: 'TLSv1.2',
    rejectUnauthorized: options.insecureTls !== true,
  };
  if (options.ca !== undefined) tls.ca = options.ca;
  if (options.servername !== undefined && options.servername !== '') tls.servername = options.servername;
  // StartTLS upgrades an existing socket, so Node does not know the host it
  // should verify unless told; for ldaps:// ldapts passes it to tls.connect.
  if (scheme === 'ldap') tls.host = host;
  return { url: options.url, implicitTls: scheme === 'ldaps', host, tls };
}
