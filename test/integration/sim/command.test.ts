/**
 * `entra2ad sim`: tested in-process (no TypeScript runner exists for a child
 * process here): the exported command function, and the yargs wiring in
 * src/cli.ts driven by a SIGTERM. Checks the ONE JSON line, that the
 * credentials in it work with the real SDKs, and a clean shutdown.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import tls from 'node:tls';
import { ClientCertificateCredential } from '@azure/identity';
import { sim, simulatorOptions, type SimReadyLine } from '../../../src/commands/sim.js';
import { issueThrowawayClientCertificate } from '../../../src/lab/throwaway-ca.js';
import { UsageError } from '../../../src/errors.js';
import type { RunningSimulator } from '../../../src/sim/index.js';
import { graphClientFor, trustSimulator } from '../../harness/graph.js';
import { castTenant } from '../../harness/tenant.js';
import { runSimCli } from './helpers.js';

let dir: string;
let tenantFile: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'entra2ad-sim-cmd-'));
  tenantFile = join(dir, 'tenant.json');
  await writeFile(tenantFile, JSON.stringify(castTenant({ users: 12 })));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const READY_KEYS = ['authorityHost', 'caFile', 'clientId', 'clientSecretFile', 'deviceLoginUrl', 'identityHeaderFile', 'managedIdentityEndpoint', 'tenantId', 'url'];

async function refused(url: string): Promise<boolean> {
  return fetch(`${url}/_sim/stats`).then(
    () => false,
    (e: { cause?: { code?: string } }) => e.cause?.code === 'ECONNREFUSED',
  );
}

describe('sim command function', () => {
  it('prints one JSON line whose credentials work, and closes on abort', async () => {
    const lines: string[] = [];
    const controller = new AbortController();
    let running: RunningSimulator | undefined;
    const done = sim(
      { tenant: tenantFile, seed: 9, throttleScale: 0.5 },
      {
        writeLine: (line) => lines.push(line),
        signal: controller.signal,
        onStarted: (s) => (running = s),
      },
    );
    await vi.waitFor(() => expect(running).toBeDefined());
    expect(lines).toHaveLength(1);
    const ready = JSON.parse(lines[0] as string) as SimReadyLine;
    expect(Object.keys(ready).sort()).toEqual(READY_KEYS);
    expect(ready.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(existsSync(ready.caFile)).toBe(true);
    // The throwaway secret is a secret all the same: in a 0600 file, not on stdout.
    expect(lines[0]).not.toContain((running as RunningSimulator).clientSecret);
    expect(readFileSync(ready.clientSecretFile, 'utf8').trim()).toBe((running as RunningSimulator).clientSecret);
    expect(statSync(ready.clientSecretFile).mode & 0o777).toBe(0o600);
    trustSimulator(running as RunningSimulator);
    // Only what the line says is used to connect.
    const client = graphClientFor({ ...(running as RunningSimulator), ...ready, clientSecret: readFileSync(ready.clientSecretFile, 'utf8').trim() });
    const page = (await client.api('/users').select('id').get()) as { value: unknown[] };
    expect(page.value).toHaveLength(12 + 7);

    controller.abort();
    await expect(done).resolves.toEqual({ exitCode: 0, ready });
    expect(existsSync(ready.caFile)).toBe(false);
    expect(existsSync(ready.clientSecretFile)).toBe(false);
    expect(await refused(ready.url)).toBe(true);
  });

  it('refuses bad options with every problem listed', async () => {
    const error = await sim({ tenant: tenantFile, rate503: 2, host: '0.0.0.0', port: 70000 }, { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).problems).toEqual([
      '--rate-503: must be between 0 and 1',
      '--rate-429 + --rate-503 + --rate-504 + --drop-rate: must not exceed 1',
      '--port: must be 0..65535',
      '--host: must be a loopback address (127.x.x.x, ::1, localhost)',
    ]);
  });

  it('refuses an invalid snapshot, naming the bad path', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ tenant: { id: 't1', initialDomain: 'x.example' }, users: [{ id: 'a' }] }));
    const error = await sim({ tenant: bad }, { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).problems).toEqual(['users[0].userPrincipalName: must look like name@domain']);
  });
});

describe('entra2ad sim (CLI)', () => {
  it('starts from the command line, prints the JSON line on stdout and stops cleanly on SIGTERM', async () => {
    await runSimCli(['--tenant', tenantFile, '--seed', '4', '--rate-503', '0.1', '--no-throttle'], async (ready, { written, stop }) => {
      expect(Object.keys(ready).sort()).toEqual(READY_KEYS);
      expect(process.listenerCount('SIGTERM')).toBe(1);
      await stop();
      expect(process.listenerCount('SIGTERM')).toBe(0);
      expect(await refused(ready.url)).toBe(true);
      expect(written.filter((w) => w.trim() !== '')).toHaveLength(1);
    });
  });
});

describe('sim command: every sign-in method can be rehearsed', () => {
  it('registers --client-certificate, serves the device login and the managed identity endpoint, header in a 0600 file', async () => {
    const day = 86_400_000;
    const cert = await issueThrowawayClientCertificate({ name: 'rehearsal', notBeforeDate: new Date(Date.now() - day), notAfterDate: new Date(Date.now() + day) });
    const certFile = join(dir, 'app.pem');
    await writeFile(certFile, `${cert.certPem}\n${cert.keyPem}`, { mode: 0o600 });
    await runSimCli(['--tenant', tenantFile, '--no-throttle', '--client-certificate', certFile], async (ready, { written }) => {
      const header = readFileSync(ready.identityHeaderFile, 'utf8');
      expect(statSync(ready.identityHeaderFile).mode & 0o777).toBe(0o600);
      expect(written.join('')).not.toContain(header);
      const ca = readFileSync(ready.caFile, 'utf8');
      const current = tls.getCACertificates('default');
      if (!current.includes(ca)) tls.setDefaultCACertificates([...current, ca]);
      const credential = new ClientCertificateCredential(ready.tenantId, ready.clientId, { certificate: `${cert.certPem}\n${cert.keyPem}` }, { authorityHost: ready.authorityHost, disableInstanceDiscovery: true });
      expect((await credential.getToken('https://graph.microsoft.com/.default')).token).toMatch(/\./);
      const msi = await fetch(`${ready.managedIdentityEndpoint}?api-version=2019-08-01&resource=https://graph.microsoft.com`, { headers: { 'X-IDENTITY-HEADER': header } });
      expect(msi.status).toBe(200);
      const login = await fetch(ready.deviceLoginUrl, { method: 'POST', body: JSON.stringify({ user_code: 'NOSUCHCODE' }) });
      expect(login.status).toBe(400);
    });
  });

  it('refuses a --client-certificate file without a certificate', () => {
    expect(() => simulatorOptions({ tenant: tenantFile, clientCertificate: [tenantFile] })).toThrow(UsageError);
  });
});
