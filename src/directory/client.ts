/**
 * Opening an encrypted, bound ldapts Client.
 */
import { Client } from 'ldapts';
import { debug } from './debug.js';
import { toDirectoryError } from './errors.js';
import type { ResolvedTransport } from './options.js';

export interface ClientTimeouts {
  timeoutMs: number;
  connectTimeoutMs: number;
}

/**
 * Connects (ldaps:// or ldap:// + StartTLS), binds, and returns the client.
 * On any failure the socket is closed before the translated error is thrown.
 */
export async function openBoundClient(
  transport: ResolvedTransport,
  bindDn: string,
  bindPassword: string,
  timeouts: ClientTimeouts,
): Promise<Client> {
  const client = new Client({
    url: transport.url,
    timeout: timeouts.timeoutMs,
    connectTimeout: timeouts.connectTimeoutMs,
    ...(transport.implicitTls ? { tlsOptions: transport.tls } : {}),
    // AD drops connections idle for MaxConnIdleTime (900 s by default,
    // learn.microsoft.com/troubleshoot/windows-server/active-directory/view-set-ldap-policy-using-ntdsutil),
    // and a timeout destroys the socket: ldapts then reconnects on the next
    // request and, with this, binds again. ldapts never replays a bind on a
    // StartTLS session (it would precede the upgrade), so there a dropped
    // connection surfaces as CONNECTION_LOST / INSUFFICIENT_ACCESS instead.
    autoRebind: transport.implicitTls,
  });
  const started = performance.now();
  let step = 'connect';
  try {
    if (!transport.implicitTls) {
      step = 'startTls';
      await client.startTLS({ ...transport.tls });
    }
    step = 'bind';
    await client.bind(bindDn, bindPassword);
    debug('directory: bound to %s as %s in %dms', transport.url, bindDn, Math.round(performance.now() - started));
    return client;
  } catch (error) {
    await client.unbind().catch(() => undefined);
    const translated = toDirectoryError(error, { operation: step, dn: bindDn });
    debug('directory: %s to %s failed: %s', step, transport.url, translated.reason);
    throw translated;
  }
}
