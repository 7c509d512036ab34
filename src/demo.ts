/**
 * `npm run demo`: the whole pipeline on the sample tenant, on this machine only.
 * Starts the Graph simulator (HTTPS, loopback) with samples/tenant.contoso.json,
 * provisions a throwaway Samba AD DC when Samba is installed, then runs the
 * real CLI as an admin would: plan, apply, verify, apply again (nothing to do). Prints each command (secrets
 * travel in environment variables and are never printed) and cleans up.
 */
import { spawn } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isSambaInstalled, startSambaDc, type SambaDc } from './lab/index.js';
import { startSimulator } from './sim/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'dist', 'bin.js');
const out = resolve(process.env.ENTRA2AD_DEMO_OUT ?? join(process.cwd(), 'out', 'demo'));
const TARGET_OU = 'OU=Cloud Users,OU=entra2ad demo,DC=corp,DC=example,DC=test';

function step(text: string): void {
  process.stderr.write(`\n== ${text}\n`);
}

function run(args: string[], env: Record<string, string>): Promise<number> {
  const shown = args.map((a) => (/[\s,"']/.test(a) ? `"${a}"` : a)).join(' ');
  process.stderr.write(`$ entra2ad ${shown}\n`);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env } });
    child.on('error', reject);
    child.on('exit', (code) => resolvePromise(code ?? 1));
  });
}

async function main(): Promise<number> {
  const started = Date.now();
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });

  step('Starting the Microsoft Graph simulator with the sample tenant (samples/tenant.contoso.json)');
  const sim = await startSimulator({ tenant: join(root, 'samples', 'tenant.contoso.json'), latencyMs: 5, jitterMs: 5, seed: 1 });
  process.stderr.write(`simulator: ${sim.url} (tenant ${sim.tenantId}); CA ${sim.caFile}\n`);
  const cloudFlags = ['--tenant-id', sim.tenantId, '--client-id', sim.clientId, '--graph-url', sim.url, '--authority-host', sim.authorityHost, '--graph-ca-file', sim.caFile];
  const env: Record<string, string> = { AZURE_CLIENT_SECRET: sim.clientSecret };

  let dc: SambaDc | undefined;
  try {
    if (await isSambaInstalled()) {
      step('Provisioning a throwaway Samba AD DC on a loopback address');
      dc = await startSambaDc();
      process.stderr.write(`DC: ${dc.url} (${dc.servername}), domain ${dc.baseDn}\n`);
    } else {
      step('Samba is not installed: doing the dry run only. For the full demo: sudo apt-get install -y samba samba-ad-dc ldb-tools ldap-utils');
    }
    const ldapFlags = dc ? ['--ldap-url', dc.url, '--bind-dn', dc.bindDn, '--ldap-ca-file', dc.caFile, '--ldap-servername', dc.servername] : [];
    if (dc) env.ENTRA2AD_BIND_PASSWORD = dc.bindPassword;

    step('Dry run: plan (reads the tenant and the DC, writes plan.json, plan.csv, plan.ldif; changes nothing)');
    const planCode = await run(['plan', ...cloudFlags, ...ldapFlags, '--target-ou', TARGET_OU, '--out', out], env);
    if (planCode !== 0 || !dc) return planCode;

    step('Apply the reviewed plan: create users, read objectGUIDs, write onPremisesImmutableId');
    const applyCode = await run(['apply', '--plan', join(out, 'plan.json'), ...cloudFlags, ...ldapFlags, '--yes'], env);

    step('Verify: what will the next Entra Connect sync do for each user? (reads both sides, writes nothing)');
    await run(['verify', ...cloudFlags, ...ldapFlags, '--target-ou', TARGET_OU, '--output', 'none'], env);

    step('Apply again: a completed run changes nothing');
    await run(['apply', '--plan', join(out, 'plan.json'), ...cloudFlags, ...ldapFlags, '--yes'], env);

    step('Done');
    process.stderr.write(
      [
        `plan:        ${join(out, 'plan.csv')} (and plan.json, plan.ldif)`,
        `report:      ${join(out, 'report.csv')} (and report.json)`,
        `passwords:   ${join(out, 'credentials.csv')} (mode 0600)`,
        `journal:     ${join(out, 'journal.jsonl')}`,
        `time:        ${((Date.now() - started) / 1000).toFixed(1)} s`,
        'The simulator and the DC are removed now; the files above stay.',
      ].join('\n') + '\n',
    );
    return applyCode;
  } finally {
    await dc?.stop();
    await sim.close();
  }
}

process.exitCode = await main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 1;
});
