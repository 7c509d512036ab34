/**
 * A real HTTPS reverse proxy that drops the `ConsistencyLevel` header, as some
 * corporate proxies and API gateways drop headers they do not know. Behind it
 * Graph (here: the simulator, which enforces Graph's rule) refuses advanced
 * queries with 400 Request_UnsupportedQuery - the honest way to reach the
 * users reader's client-side fallback without faking Graph.
 */
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import selfsigned from 'selfsigned';
import { trustCertificateAuthority } from '../../../src/cloud/index.js';
import type { RunningSimulator } from '../../../src/sim/index.js';

export interface StrippingProxy {
  url: string;
  forwarded: number;
  stripped: number;
  close(): Promise<void>;
}

export async function startStrippingProxy(sim: RunningSimulator, dropHeader = 'consistencylevel'): Promise<StrippingProxy> {
  const pems = await selfsigned.generate([{ name: 'commonName', value: '127.0.0.1' }], {
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
    ],
  });
  trustCertificateAuthority(pems.cert);
  const target = new URL(sim.url);
  const proxy: StrippingProxy = { url: '', forwarded: 0, stripped: 0, close: async () => undefined };
  const server: Server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    const headers: Record<string, string | string[] | undefined> = { ...req.headers, host: target.host };
    if (dropHeader in headers) {
      delete headers[dropHeader];
      proxy.stripped++;
    }
    proxy.forwarded++;
    const upstream = request(
      { hostname: target.hostname, port: target.port, path: req.url, method: req.method, headers, ca: sim.caPem, agent: false },
      (answer) => {
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
