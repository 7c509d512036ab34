/**
 * Trusting an extra CA (the simulator's) for every TLS client in this process.
 *
 * Two stacks talk HTTPS here: the Graph client uses the global `fetch` (undici,
 * bundled in Node), MSAL/@azure/identity uses `node:https` through
 * @azure/core-rest-pipeline. Node >= 22.19/23.5 has `tls.setDefaultCACertificates`,
 * which changes the default store that BOTH use when a connection names no `ca`
 * (measured on Node 24.21: fetch and https.get to a self-signed server fail
 * before, succeed after). The alternative, `NODE_EXTRA_CA_CERTS`, is read only
 * at process start, so it works for child processes but not in-process.
 *
 * The system/bundled roots stay trusted: the CA is appended, not substituted.
 */
import tls from 'node:tls';

const added = new Set<string>();

export function trustCertificateAuthority(pem: string): void {
  const normalized = pem.trim();
  if (added.has(normalized)) return;
  if (typeof tls.setDefaultCACertificates !== 'function') {
    throw new Error('this Node.js cannot add a CA at run time (needs >= 22.19); start it with NODE_EXTRA_CA_CERTS=<ca file> instead');
  }
  const current = tls.getCACertificates('default');
  tls.setDefaultCACertificates([...current, normalized]);
  added.add(normalized);
}
