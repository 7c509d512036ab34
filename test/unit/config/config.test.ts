import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resolveCommon } from '../../../src/commands/common.js';
import { loadConfigFile } from '../../../src/config/config-file.js';
import { toDirectoryOptions } from '../../../src/config/directory-args.js';
import { UsageError } from '../../../src/errors.js';
import { makeCertificates } from '../../../src/sim/certs.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'entra2ad-config-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function configFile(content: unknown): Promise<string> {
  const file = join(dir, 'config.json');
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

async function usageProblems(run: () => Promise<unknown>): Promise<string[]> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return [(error as UsageError).message, ...(error as UsageError).problems];
  }
  throw new Error('expected a UsageError');
}

describe('config file', () => {
  it('accepts samples/config.example.json as a whole', async () => {
    const config = await loadConfigFile(new URL('../../../samples/config.example.json', import.meta.url).pathname);
    expect(config.directory?.url).toMatch(/^ldaps:/);
    expect(config.plan?.targetOu).toContain('OU=');
  });

  it('lists every problem with its path, not only the first', async () => {
    const file = await configFile({ directory: { url: 'http://dc', bogus: 1 }, apply: { directoryConcurrency: 0 }, extra: true });
    const problems = await usageProblems(() => loadConfigFile(file));
    expect(problems.join('\n')).toMatch(/directory\.url: must start with ldaps/);
    expect(problems.join('\n')).toMatch(/directory: Unrecognized key.*bogus/);
    expect(problems.join('\n')).toMatch(/apply\.directoryConcurrency/);
    expect(problems.join('\n')).toMatch(/Unrecognized key.*extra/);
  });

  it('names the file when it is not JSON or missing', async () => {
    const bad = await configFile('{ "plan": ');
    expect((await usageProblems(() => loadConfigFile(bad)))[0]).toMatch(/config\.json is not valid JSON/);
    expect((await usageProblems(() => loadConfigFile(join(dir, 'nope.json'))))[0]).toMatch(/ENOENT/);
  });
});

/** A command's stderr nobody reads. */
const quiet = { write: (text: string) => void text };

describe('resolveCommon: flags > config file > environment > defaults', () => {
  it('says its warnings, and later the device-code sign-in message, on the stderr it is given, not on process.stderr', async () => {
    const processStderr = vi.spyOn(process.stderr, 'write');
    let stderr = '';
    const sink = { write: (text: string) => void (stderr += text) };
    const resolved = await resolveCommon({ 'target-ou': 'OU=Cloud,DC=corp,DC=example', 'graph-url': 'https://graph.contoso-proxy.example', auth: 'device-code' }, {}, sink);
    expect(stderr).toMatch(/^warning .*graph\.contoso-proxy\.example/m);
    resolved.cloud.onDeviceCode?.({ message: 'To sign in, enter the code UNITTEST2', userCode: 'UNITTEST2', verificationUri: 'https://127.0.0.1:9/devicelogin' });
    expect(stderr).toContain('To sign in, enter the code UNITTEST2\n');
    expect(processStderr.mock.calls.filter(([text]) => /UNITTEST2|contoso-proxy/.test(String(text)))).toEqual([]);
    processStderr.mockRestore();
  });

  it('lets flags override the file and fills defaults', async () => {
    const file = await configFile({ plan: { targetOu: 'OU=FromFile,DC=corp,DC=example', password: { length: 20 } }, cloud: { tenantId: 'file-tenant' } });
    const resolved = await resolveCommon({ config: file, 'target-ou': 'OU=FromFlag,DC=corp,DC=example', 'password-mode': 'none', 'tenant-id': 'flag-tenant' }, {}, quiet);
    expect(resolved.settings.targetOu).toBe('OU=FromFlag,DC=corp,DC=example');
    expect(resolved.settings.password).toMatchObject({ mode: 'none', length: 20, mustChange: true });
    expect(resolved.cloud.tenantId).toBe('flag-tenant');
    expect(resolved.directory).toBeUndefined();
  });

  it('reports a missing target OU and an incomplete directory together', async () => {
    const problems = await usageProblems(() => resolveCommon({ 'ldap-url': 'ldaps://dc1.corp.example' }, {}, quiet));
    const text = problems.join('\n');
    expect(text).toMatch(/plan\.targetOu/);
    expect(text).toMatch(/--bind-dn/);
    expect(text).toMatch(/ENTRA2AD_BIND_PASSWORD/);
  });
});

describe('directory options', () => {
  it('takes the bind password from the environment or a file, never a flag', async () => {
    const env = { ENTRA2AD_BIND_PASSWORD: 'from-env' } as NodeJS.ProcessEnv;
    expect(toDirectoryOptions({ 'ldap-url': 'ldaps://dc', 'bind-dn': 'a@b' }, {}, env)?.bindPassword).toBe('from-env');
    const pwFile = join(dir, 'pw');
    await writeFile(pwFile, 'from-file\nignored\n');
    expect(toDirectoryOptions({ 'ldap-url': 'ldaps://dc', 'bind-dn': 'a@b', 'bind-password-file': pwFile }, {}, env)?.bindPassword).toBe('from-file');
  });

  it('refuses a CA file that is not PEM (exit 2 DIRECTORY_OPTIONS naming --ldap-ca-file), accepts a PEM bundle', async () => {
    const env = { ENTRA2AD_BIND_PASSWORD: 'x' } as NodeJS.ProcessEnv;
    const der = join(dir, 'ca.cer');
    await writeFile(der, Buffer.from([0x30, 0x82, 0x01, 0x0a, 0x02]));
    let error: unknown;
    try {
      toDirectoryOptions({ 'ldap-url': 'ldaps://dc', 'bind-dn': 'a', 'ldap-ca-file': der }, {}, env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    expect((error as UsageError).problems).toEqual([expect.stringMatching(/^--ldap-ca-file: .*ca\.cer holds no PEM certificate/)]);
    const broken = join(dir, 'broken.pem');
    await writeFile(broken, '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n');
    expect(() => toDirectoryOptions({ 'ldap-url': 'ldaps://dc', 'bind-dn': 'a', 'ldap-ca-file': broken }, {}, env)).toThrow(/the directory connection is incomplete/);
    const certs = await makeCertificates();
    try {
      const bundle = join(dir, 'bundle.pem');
      await writeFile(bundle, `${certs.caPem}\n${certs.serverCert}`);
      expect(toDirectoryOptions({ 'ldap-url': 'ldaps://dc', 'bind-dn': 'a', 'ldap-ca-file': bundle }, {}, env)?.ca).toContain('BEGIN CERTIFICATE');
    } finally {
      await certs.dispose();
    }
  });

  it('is undefined when no DC is named anywhere (dry run without AD)', () => {
    expect(toDirectoryOptions({}, {}, {})).toBeUndefined();
  });

  it('marks the explicit lab opt-out and keeps verification on otherwise', () => {
    const env = { ENTRA2AD_BIND_PASSWORD: 'x' } as NodeJS.ProcessEnv;
    expect(toDirectoryOptions({ 'ldap-url': 'ldaps://dc', 'bind-dn': 'a' }, {}, env)?.insecureTls).toBeUndefined();
    expect(toDirectoryOptions({ 'ldap-url': 'ldaps://dc', 'bind-dn': 'a', 'insecure-skip-tls-verify': true }, {}, env)?.insecureTls).toBe(true);
  });
});

describe('every config problem at once', () => {
  it('reports the file\'s unknown keys and type errors together with the plan settings\' problems', async () => {
    const file = join(dir, 'many.json');
    await writeFile(
      file,
      JSON.stringify({ directory: { bogus: 1, url: 'http://x' }, apply: { directoryConcurrency: 'x' }, plan: { targetOu: 5, password: { length: 'x' }, typo: 1 }, extra: 1 }),
    );
    let error: unknown;
    try {
      await resolveCommon({ config: file } as never, {}, quiet);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    const problems = (error as UsageError).problems;
    for (const re of [/^directory\.url: /, /^directory: Unrecognized key: "bogus"/, /^apply\.directoryConcurrency: /, /^\(config\): Unrecognized key: "extra"/, /^plan\.targetOu: /, /^plan\.password\.length: /, /^plan\.\(settings\): .*typo/]) {
      expect(problems.some((p) => re.test(p)), `${re} in\n${problems.join('\n')}`).toBe(true);
    }
  });
});

