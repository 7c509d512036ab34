/**
 * A real HTTPS reverse proxy in front of the simulator, for the two network
 * hazards a Graph client meets between itself and Graph without Graph being at
 * fault - so the tests reach those code paths without faking Graph:
 *
 * - `dropHeader`: a corporate proxy or API gateway that drops a header it does
 *   not know (here ConsistencyLevel). Graph then refuses advanced queries with
 *   400 Request_UnsupportedQuery, and the users reader must fall back.
 * - `loseAnswer`: the request reaches Graph and is applied, but the answer is
 *   lost on the way back (connection reset). The client cannot tell whether the
 *   write happened and must re-send safely.
 */
import { createServer, request, type Server } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import selfsigned from 'selfsigned';
import { trustCertificateAuthority } from '../../../src/cloud/index.js';
import type { RunningSimulator } from '../../../src/sim/index.js';

export interface ProxyOptions {
  dropHeader?: string;
  /** Called per request; true = forward it, let the simulator answer, then reset the client's connection. */
  loseAnswer?: (req: IncomingMessage) => boolean;
}

export interface TestProxy {
  url: string;
  forwarded: number;
  stripped: number;
  answersLost: number;
  close(): Promise<void>;
}

export async function startProxy(sim: RunningSimulator, options: ProxyOptions): Promise<TestProxy> {
  const pems = await selfsigned.generate([{ name: 'commonName', value: '127.0.0.1' }], {
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
    ],
  });
  trustCertificateAuthority(pems.cert);
  const target = new URL(sim.url);
  const dropHeader = options.dropHeader?.toLowerCase();
  const proxy: TestProxy = { url: '', forwarded: 0, stripped: 0, answersLost: 0, close: async () => undefined };
  const server: Server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    const headers: Record<string, string | string[] | undefined> = { ...req.headers, host: target.host };
    if (dropHeader !== undefined && dropHeader in headers) {
      delete headers[dropHeader];
      proxy.stripped++;
    }
    proxy.forwarded++;
    const lose = options.loseAnswer?.(req) === true;
    const upstream = request(
      { hostname: target.hostname, port: target.port, path: req.url, method: req.method, headers, ca: sim.caPem, agent: false },
      (answer) => {
        if (lose) {
          // Let the simulator finish (the write is applied), then drop the client.
          answer.resume();
          answer.on('end', () => {
            proxy.answersLost++;
            req.socket.destroy();
          });
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
