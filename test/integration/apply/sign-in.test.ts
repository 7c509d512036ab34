/**
 * One plan -> apply per sign-in method, through the BUILT CLI against the Graph
 * simulator's identity endpoints and the harness DC, with the REAL
 * @azure/identity credentials inside the CLI:
 * - secret, with the tenant named by a verified domain instead of its id;
 * - certificate: a throwaway RSA certificate made for the test, registered on the simulated app;
 * - device code: the prompt goes to stderr, the test plays the user who enters the code;
 * - managed identity: the App Service endpoint (IDENTITY_ENDPOINT + IDENTITY_HEADER).
 * azure-cli is not run here (no `az` and no tenant to `az login` to): see README.
 * Then bad input: each certificate problem and a wrong tenant is exit 1, named,
 * and no key or secret text appears in stdout or stderr.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueThrowawayClientCertificate, type ThrowawayClientCertificate } from '../../../src/lab/throwaway-ca.js';
import type { TenantSnapshot } from '../../../src/graph/tenant-snapshot.js';
import { describeRun, runCli, type CliResult } from '../../harness/run-cli.js';
import { raw, successfulWritesByUser } from '../../harness/graph.js';
import { MANAGED, castTenant } from '../../harness/tenant.js';
import { creates, readPlan, readReport, startRig, tempDir, type Rig } from '../../harness/rig.js';

const day = 86_400_000;
let registered: ThrowawayClientCertificate;

/** A small tenant whose creates apply can all anchor (its federated user removed); names unique to this run. */
function smallTenant(): TenantSnapshot {
  const tag = `si${randomBytes(3).toString('hex')}`;
  const tenant = castTenant({ users: 2 });
  tenant.users = tenant.users.filter((u) => !u.userPrincipalName.startsWith('fed@')).map((u) => ({ ...u, userPrincipalName: `${tag}${u.userPrincipalName}` }));
  return tenant;
}

/** `flag value` pairs of the rig's flags without the named ones. */
function without(flags: readonly string[], ...names: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < flags.length; i += 2) if (!names.includes(flags[i] as string)) out.push(flags[i] as string, flags[i + 1] as string);
  return out;
}

function replaced(flags: readonly string[], name: string, value: string): string[] {
  return [...without(flags, name), name, value];
}

interface Method {
  flags: string[];
  env: Record<string, string | undefined>;
  onStderr?: (text: string) => void;
  /** Must appear in no output and no file of the run folder. */
  secrets: string[];
}

/** Every file of the run folder but credentials.csv (the users' initial passwords, mode 0600, by design). */
async function runFolderText(dir: string): Promise<string> {
  const names = (await readdir(dir)).filter((n) => n !== 'credentials.csv');
  return (await Promise.all(names.map((n) => readFile(join(dir, n), 'utf8')))).join('\n');
}

/** plan then apply with the same sign-in; both must succeed and every planned user get exactly one anchor write. */
async function planAndApply(rig: Rig, method: Method): Promise<{ plan: CliResult; apply: CliResult }> {
  const dir = await tempDir('signin');
  const env = { ...rig.env, ...method.env };
  const common = method.onStderr ? { env, onStderr: method.onStderr } : { env };
  const plan = await runCli(['plan', ...method.flags, '--target-ou', rig.ou, '--out', dir], common);
  expect(plan.code, describeRun(plan)).toBe(0);
  const planned = creates(await readPlan(dir));
  expect(planned.length).toBeGreaterThanOrEqual(3);
  const apply = await runCli(['apply', ...method.flags, '--plan', join(dir, 'plan.json'), '--yes'], common);
  expect(apply.code, describeRun(apply)).toBe(0);
  const report = await readReport(dir);
  for (const entry of planned) expect(report.users.find((u) => u.cloudId === entry.cloudId)?.outcome, entry.userPrincipalName).toBe('anchored');
  const writes = successfulWritesByUser(rig.sim);
  for (const entry of planned) expect(writes.get(entry.cloudId), entry.userPrincipalName).toHaveLength(1);
  const printed = [plan.stdout, plan.stderr, apply.stdout, apply.stderr, await runFolderText(dir)].join('\n');
  const bindPassword = rig.env.ENTRA2AD_BIND_PASSWORD;
  for (const secret of [...method.secrets, ...(bindPassword ? [bindPassword] : [])]) expect(printed.includes(secret), 'a secret was printed or written').toBe(false);
  return { plan, apply };
}

beforeAll(async () => {
  registered = await issueThrowawayClientCertificate({ name: 'entra2ad sign-in test', notBeforeDate: new Date(Date.now() - day), notAfterDate: new Date(Date.now() + day) });
}, 60_000);

describe('plan and apply with each sign-in method', () => {
  let rig: Rig | undefined;
  afterAll(async () => {
    await rig?.close();
  });
  const fresh = async (): Promise<Rig> => {
    await rig?.close();
    rig = await startRig({ tenant: smallTenant(), sim: { throttle: false, clientCertificates: [registered.certPem], deviceCode: { intervalSeconds: 1 } } });
    return rig;
  };

  it('client secret, the tenant named by its domain', async () => {
    const r = await fresh();
    await planAndApply(r, { flags: replaced(r.flags, '--tenant-id', MANAGED), env: {}, secrets: [r.sim.clientSecret] });
    expect(r.sim.stats().perPath['POST /{tenant}/oauth2/v2.0/token']).toBeGreaterThanOrEqual(2);
  });

  it('certificate (a throwaway certificate registered on the app)', async () => {
    const r = await fresh();
    const file = join(r.dir, 'app-cert.pem');
    await writeFile(file, `${registered.certPem}\n${registered.keyPem}`, { mode: 0o600 });
    const keyLines = registered.keyPem.split('\n').filter((l) => /^[A-Za-z0-9+/=]{40,}$/.test(l));
    await planAndApply(r, { flags: [...r.flags, '--auth', 'certificate', '--certificate-path', file], env: { AZURE_CLIENT_SECRET: undefined }, secrets: keyLines });
  });

  it('device code: the prompt on stderr only, the user enters the code', async () => {
    const r = await fresh();
    // The user reads the code on stderr and enters it at the simulator's stand-in for the browser page.
    const entered: Promise<number>[] = [];
    const onStderr = (text: string) => {
      const code = /enter the code (\S+)/.exec(text)?.[1];
      if (code) entered.push(raw(r.sim, 'POST', '/_sim/devicelogin', { body: { user_code: code } }).then((res) => res.status));
    };
    const { plan, apply } = await planAndApply(r, { flags: [...r.flags, '--auth', 'device-code'], env: { AZURE_CLIENT_SECRET: undefined }, onStderr, secrets: [] });
    expect(await Promise.all(entered)).toEqual([200, 200]);
    for (const run of [plan, apply]) {
      expect(run.stderr).toMatch(/To sign in, use a web browser to open the page \S+ and enter the code \S+/);
      expect(run.stdout).not.toMatch(/enter the code|devicelogin/);
    }
    expect(r.sim.stats().perPath['POST /{tenant}/oauth2/v2.0/devicecode']).toBe(2);
  });

  it('managed identity (App Service: IDENTITY_ENDPOINT + IDENTITY_HEADER)', async () => {
    const r = await fresh();
    const env = { AZURE_CLIENT_SECRET: undefined, IDENTITY_ENDPOINT: r.sim.managedIdentity.endpoint, IDENTITY_HEADER: r.sim.managedIdentity.header };
    await planAndApply(r, { flags: [...without(r.flags, '--client-id'), '--auth', 'managed-identity'], env, secrets: [r.sim.managedIdentity.header] });
    expect(r.sim.stats().perPath['GET /msi/token']).toBeGreaterThanOrEqual(2);
    expect(r.sim.stats().perPath['POST /{tenant}/oauth2/v2.0/token']).toBeUndefined();
  });
});

describe('bad sign-in input: exit 1, the problem named, no secret printed', () => {
  let rig: Rig;
  let other: ThrowawayClientCertificate;
  let lapsed: ThrowawayClientCertificate;
  beforeAll(async () => {
    [other, lapsed] = await Promise.all([
      issueThrowawayClientCertificate({ name: 'other', notBeforeDate: new Date(Date.now() - day), notAfterDate: new Date(Date.now() + day) }),
      issueThrowawayClientCertificate({ name: 'lapsed', notBeforeDate: new Date(Date.now() - 3 * day), notAfterDate: new Date(Date.now() - day) }),
    ]);
    rig = await startRig({ tenant: smallTenant(), sim: { throttle: false, clientCertificates: [registered.certPem, lapsed.certPem] } });
  }, 60_000);
  afterAll(async () => {
    await rig?.close();
  });

  /** No line of base64 from a key or certificate, and not the client secret. */
  function expectNoSecret(run: CliResult, ...pems: string[]): void {
    const printed = run.stdout + run.stderr;
    expect(printed).not.toContain(rig.sim.clientSecret);
    for (const pem of pems) for (const line of pem.split('\n').filter((l) => /^[A-Za-z0-9+/=]{40,}$/.test(l))) expect(printed, describeRun(run)).not.toContain(line);
  }

  async function planWithCertificate(label: string, content: string): Promise<CliResult> {
    const file = join(rig.dir, `${label}.pem`);
    await writeFile(file, content, { mode: 0o600 });
    const dir = await tempDir('badcert');
    return rig.run('plan', ['--auth', 'certificate', '--certificate-path', file, '--target-ou', rig.ou, '--out', dir], { AZURE_CLIENT_SECRET: undefined });
  }

  it.each([
    ['a certificate file without a key', () => registered.certPem, 'CERTIFICATE_NO_KEY', /no private key/],
    ['a key that does not match the certificate', () => `${registered.certPem}\n${other.keyPem}`, 'CERTIFICATE_KEY_MISMATCH', /does not belong to its certificate/],
    ['an expired certificate', () => `${lapsed.certPem}\n${lapsed.keyPem}`, 'CERTIFICATE_EXPIRED', /expired on/],
  ])('%s', async (label, content, reason, message) => {
    const run = await planWithCertificate(label.replace(/\W+/g, '-'), content());
    expect(run.code, describeRun(run)).toBe(1);
    expect(run.stderr).toContain(reason);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
    expectNoSecret(run, registered.keyPem, other.keyPem, lapsed.keyPem);
    expect(rig.sim.stats().perPath['POST /{tenant}/oauth2/v2.0/token'] ?? 0).toBe(0);
  });

  it('a valid certificate that is not registered on the app: AADSTS700027 from the sign-in host', async () => {
    const run = await planWithCertificate('unregistered', `${other.certPem}\n${other.keyPem}`);
    expect(run.code, describeRun(run)).toBe(1);
    expect(run.stderr).toContain('AUTH_FAILED');
    expect(run.stderr).toContain('AADSTS700027');
    expect(run.stderr).toMatch(/upload the certificate/);
    expectNoSecret(run, other.keyPem);
  });

  it("a scope the sign-in host does not know (another cloud's Graph): AADSTS70011 invalid_scope, with the flag to fix", async () => {
    const dir = await tempDir('badscope');
    const run = await rig.run('plan', ['--cloud', 'USGov', '--target-ou', rig.ou, '--out', dir]);
    expect(run.code, describeRun(run)).toBe(1);
    expect(run.stderr).toContain('AUTH_FAILED');
    expect(run.stderr).toContain('AADSTS70011');
    expect(run.stderr).toContain('https://graph.microsoft.us/.default');
    expect(run.stderr).toContain('--cloud');
    expectNoSecret(run);
  });

  it('a wrong tenant: AADSTS90002 named, with the flag to fix', async () => {
    const dir = await tempDir('badtenant');
    const run = await runCli(['plan', ...replaced(rig.flags, '--tenant-id', 'not-this-tenant.example'), '--target-ou', rig.ou, '--out', dir], { env: rig.env });
    expect(run.code, describeRun(run)).toBe(1);
    expect(run.stderr).toContain('AUTH_FAILED');
    expect(run.stderr).toContain("Tenant 'not-this-tenant.example' not found");
    expect(run.stderr).toContain('--tenant-id');
    expectNoSecret(run);
  });
});
