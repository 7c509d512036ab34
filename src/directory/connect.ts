/**
 * Entry point of the adapter: validate the transport, connect, bind.
 */
import { openBoundClient } from './client.js';
import { LdapDirectory, type Directory } from './directory.js';
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_TIMEOUT_MS, resolveTransport, type DirectoryConnectionOptions } from './options.js';
import { Session } from './session.js';

/**
 * Opens an encrypted connection and binds. Throws DirectoryError:
 * INVALID_URL / INSECURE_TRANSPORT (plain ldap://; both exit 2), UNREACHABLE, TLS_UNTRUSTED,
 * TLS_FAILED, INVALID_CREDENTIALS, STRONG_AUTH_REQUIRED.
 * Later, a DC that stays away longer than `outageLimitMs` fails calls with DC_UNAVAILABLE (session.ts).
 */
export async function connect(options: DirectoryConnectionOptions): Promise<Directory> {
  const transport = resolveTransport(options);
  const timeouts = {
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
  };
  const open = () => openBoundClient(transport, options.bindDn, options.bindPassword, timeouts);
  const client = await open();
  const session = new Session(client, transport, {
    open,
    ...(options.outageLimitMs !== undefined ? { outageLimitMs: options.outageLimitMs } : {}),
    ...(options.onConnectionEvent !== undefined ? { onConnectionEvent: options.onConnectionEvent } : {}),
  });
  return new LdapDirectory(session, timeouts);
}
