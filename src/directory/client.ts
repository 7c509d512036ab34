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

/**
 * True when the client can no longer carry a request. ldapts' own isConnected
 * is not enough after StartTLS: it watches the plain socket, which after the
 * upgrade belongs to the TLS socket, so a connection the DC closed still looks
 * connected and a request sent on it waits for the operation timeout
 * (measured: 60 s on Samba 4.17 after a restart). The TLS socket itself knows.
 */
export function isClosed(client: Client): boolean {
  if (!client.isConnected) return true;
  const socket = (client as unknown as { socket?: { destroyed?: boolean; readyState?: string } }).socket;
  return socket === undefined || socket.destroyed === true || (socket.readyState !== undefined && socket.readyState !== 'open');
}

/**
 * Lets go of a client: unbind when its connection is alive, else just destroy
 * the socket. An unbind on a StartTLS connection the DC already closed is never
 * answered and would wait for the operation timeout (measured: 60 s).
 */
export async function discard(client: Client): Promise<void> {
  if (!isClosed(client)) {
    await client.unbind().catch(() => undefined);
    return;
  }
  (client as unknown as { socket?: { destroy(): void } }).socket?.destroy();
}

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
