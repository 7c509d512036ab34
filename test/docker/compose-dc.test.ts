/**
 * The Docker lab DC, for real: builds docker/samba-dc, starts it from
 * docker/compose.yaml (host networking, on a loopback address of its own), waits
 * for its health check, then runs plan, apply and verify through the built CLI
 * against it with TLS verified (its CA, its name) and the Graph simulator.
 *
 * Not part of `npm test`: run by `bash .ci/docker-lab` (which installs Docker from
 * Debian, starts dockerd without a bridge and imports a Debian base image), or by
 * hand with `npm run test:docker` where `docker` and `docker-compose` work.
 * BASE_IMAGE names the base image (default debian:bookworm-slim).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { claimLoopbackAddress, releaseLoopbackAddress } from '../../src/lab/loopback.js';
import type { Plan } from '../../src/plan/types.js';
import type { RunReport } from '../../src/report/run-report.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.js';
import type { TenantSnapshot } from '../../src/graph/tenant-snapshot.js';
import { REPO_ROOT, describeRun, runCli } from '../harness/run-cli.js';

const run = promisify(execFile);
const COMPOSE_FILE = join(REPO_ROOT, 'docker', 'compose.yaml');
const PROJECT = `e2a-test-${randomBytes(3).toString('hex')}`;
const ADMIN_PASSWORD = `Lab-${randomBytes(12).toString('base64url')}-9a`;
const TARGET_OU = 'OU=Docker Lab,DC=corp,DC=example,DC=test';

let address: string;
let dir: string;
let sim: RunningSimulator;
const timings: Record<string, number> = {};

/** docker-compose (v1, Debian) or `docker compose` (v2), whichever is there. */
async function compose(args: string[], env: Record<string, string> = {}): Promise<{ stdout: string; stderr: string }> {
  const fullEnv = { ...process.env, ADMIN_PASSWORD, LDAP_ADDRESS: address, ...env };
  const base = ['-f', COMPOSE_FILE, '-p', PROJECT, ...args];
  try {
    return await run('docker-compose', base, { env: fullEnv, maxBuffer: 64 << 20 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return await run('docker', ['compose', ...base], { env: fullEnv, maxBuffer: 64 << 20 });
  }
}

async function timed<T>(name: string, f: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await f();
  } finally {
    timings[name] = Math.round(performance.now() - started);
  }
}

async function health(): Promise<string> {
  const { stdout: id } = await compose(['ps', '-q', 'samba-dc']);
  const { stdout } = await run('docker', ['inspect', '--format', '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}', id.trim()]);
  return stdout.trim();
}

beforeAll(async () => {
  address = await claimLoopbackAddress();
  dir = await mkdtemp(join(tmpdir(), 'entra2ad-docker-'));
  await timed('buildMs', () => compose(['build'], { BASE_IMAGE: process.env.BASE_IMAGE ?? 'debian:bookworm-slim' }));
  await timed('upMs', () => compose(['up', '-d']));
  await timed('healthyMs', async () => {
    const deadline = Date.now() + 240_000;
    for (;;) {
      const state = await health();
      if (state === 'running healthy') return;
      if (!state.startsWith('running') || Date.now() > deadline) {
        const { stdout } = await compose(['logs', '--tail', '40']);
        throw new Error(`the DC container is "${state}"; its log:\n${stdout}`);
      }
      await new Promise((r) => setTimeout(r, 2000));
    }
  });
  const tenant = JSON.parse(await readFile(join(REPO_ROOT, 'samples', 'tenant.contoso.json'), 'utf8')) as TenantSnapshot;
  sim = await startSimulator({ tenant, seed: 1 });
}, 900_000);

afterAll(async () => {
  await sim?.close();
  if (address) {
    await compose(['down', '-v']).catch((e) => process.stderr.write(`docker lab: down failed: ${String(e)}\n`));
    await releaseLoopbackAddress(address);
  }
  if (dir) await rm(dir, { recursive: true, force: true });
  process.stderr.write(`[entra2ad] docker lab DC timings: ${JSON.stringify(timings)}\n`);
});

it('plans, applies and verifies against the compose DC with TLS verified', async () => {
  // The README's way to get the CA: from the running container.
  const { stdout: caPem } = await compose(['exec', '-T', 'samba-dc', 'cat', '/var/lib/samba-dc/private/tls/ca.pem']);
  expect(caPem).toContain('BEGIN CERTIFICATE');
  const caFile = join(dir, 'lab-ca.pem');
  await writeFile(caFile, caPem);
  // prettier-ignore
  const flags = [
    '--tenant-id', sim.tenantId, '--client-id', sim.clientId, '--graph-url', sim.url,
    '--authority-host', sim.authorityHost, '--graph-ca-file', sim.caFile,
    '--ldap-url', `ldaps://${address}:636`, '--bind-dn', 'CN=Administrator,CN=Users,DC=corp,DC=example,DC=test',
    '--ldap-ca-file', caFile, '--ldap-servername', 'dc1.corp.example.test',
    '--target-ou', TARGET_OU,
  ];
  const env = { AZURE_CLIENT_SECRET: sim.clientSecret, ENTRA2AD_BIND_PASSWORD: ADMIN_PASSWORD };
  const out = join(dir, 'run');

  const plan = await timed('planMs', () => runCli(['plan', ...flags, '--out', out], { env }));
  expect(plan.code, describeRun(plan)).toBe(0);
  const planned = JSON.parse(await readFile(join(out, 'plan.json'), 'utf8')) as Plan;
  expect(planned.directoryChecked).toBe(true);
  const creates = planned.entries.filter((e) => e.action === 'create');
  expect(creates.length).toBeGreaterThan(10);

  const apply = await timed('applyMs', () => runCli(['apply', ...flags, '--plan', join(out, 'plan.json'), '--yes'], { env, timeoutMs: 600_000 }));
  expect([0, 3], describeRun(apply)).toContain(apply.code);
  const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as RunReport;
  const anchored = report.users.filter((u) => u.outcome === 'anchored');
  expect(anchored.length, describeRun(apply)).toBeGreaterThan(10);
  // Exit 3 only for users Graph refuses (federated domains in the sample tenant), never a DC failure.
  for (const u of report.users.filter((x) => x.outcome === 'failed')) expect(u.reason, `${u.userPrincipalName}: ${u.message}`).toBe('REFUSED_FEDERATED');

  const verify = await timed('verifyMs', () => runCli(['verify', ...flags, '--output', 'json'], { env }));
  expect(verify.code, describeRun(verify)).toBe(0);
  const result = JSON.parse(verify.stdout) as { summary: Record<string, number> };
  expect(result.summary['hard-match']).toBeGreaterThanOrEqual(anchored.length);
  expect(result.summary.duplicate).toBe(0);

  // TLS is really verified: the wrong name is refused.
  const wrongName = await runCli(['plan', ...flags.map((f) => (f === 'dc1.corp.example.test' ? 'other.example.test' : f)), '--out', join(dir, 'wrong')], { env });
  expect(wrongName.code, describeRun(wrongName)).not.toBe(0);
  expect(wrongName.stderr).toMatch(/TLS/);
}, 900_000);
