/**
 * Opening an encrypted, bound ldapts Client.
 */
import net from 'node:net';
import tls from 'node:tls';
import { Client } from 'ldapts';
import { debug } from './debug.js';
import { toDirectoryError } from './errors.js';
import type { ResolvedTransport } from './options.js';

/** The error code of an attempt to reopen a Client's closed connection (errors.ts: CONNECTION_LOST). */
export const NO_REOPEN = 'E2A_NO_REOPEN';

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
  // One Client is one connection. ldapts reopens a closed socket by itself on
  // the next request, but on a StartTLS session it does so WITHOUT StartTLS
  // and without the bind (ldapts never replays a bind there: it would precede
  // the upgrade), so the next request, a password included, would go out in
  // clear. Refusing the second connection makes a dropped connection a
  // CONNECTION_LOST that the session answers with a new, fully set up Client.
  let connections = 0;
  const once = <T extends (...args: never[]) => unknown>(connectFn: T): T =>
    ((...args: Parameters<T>) => {
      if (++connections > 1) throw Object.assign(new Error('the connection was closed; this client does not reopen it'), { code: NO_REOPEN });
      return connectFn(...args);
    }) as T;
  const client = new Client({
    url: transport.url,
    timeout: timeouts.timeoutMs,
    connectTimeout: timeouts.connectTimeoutMs,
    ...(transport.implicitTls ? { tlsOptions: transport.tls, createSecureConnection: once(tls.connect) } : { createConnection: once(net.connect) }),
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
