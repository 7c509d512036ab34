/**
 * vitest globalSetup of the `integration` project: one real AD DC for the
 * whole run, handed to the tests as `inject('dc')` (see dc-info.ts).
 *
 * Chosen in this order, and never skipped silently:
 *   1. ENTRA2AD_TEST_LDAP_URL (+ _BIND_DN, _BIND_PASSWORD, _BASE_DN, optional
 *      _CA_FILE and _TLS_SERVERNAME): an existing DC. Tests work in their own
 *      OU=t-<random> under _BASE_DN and delete it afterwards.
 *   2. Samba installed (and running as root): a fresh lab DC (src/lab).
 *   3. Docker reachable: docker/samba-dc through testcontainers.
 *   4. Otherwise: fail, saying what to install.
 * The DC is stopped in teardown, which vitest runs whether tests pass or fail.
 */
import { readFile } from 'node:fs/promises';
import type { TestProject } from 'vitest/node';
import { connect } from '../../src/directory/index.js';
import { SAMBA_INSTALL_COMMAND, isSambaInstalled, startSambaDc } from '../../src/lab/index.js';
import { dcInfoOfSamba, type DcInfo } from './dc-info.js';
import { isDockerReachable, startDockerDc } from './docker-dc.js';

interface ChosenDc {
  info: DcInfo;
  stop: () => Promise<void>;
}

const ENV_KEYS = ['ENTRA2AD_TEST_BIND_DN', 'ENTRA2AD_TEST_BIND_PASSWORD', 'ENTRA2AD_TEST_BASE_DN'] as const;

async function fromEnvironment(url: string): Promise<ChosenDc> {
  const missing = ENV_KEYS.filter((k) => !process.env[k]);
  if (missing.length > 0) throw new Error(`ENTRA2AD_TEST_LDAP_URL is set but ${missing.join(', ')} not`);
  const caFile = process.env.ENTRA2AD_TEST_CA_FILE;
  const servername = process.env.ENTRA2AD_TEST_TLS_SERVERNAME;
  const info: DcInfo = {
    source: 'env',
    url,
    bindDn: process.env.ENTRA2AD_TEST_BIND_DN!,
    bindPassword: process.env.ENTRA2AD_TEST_BIND_PASSWORD!,
    baseDn: process.env.ENTRA2AD_TEST_BASE_DN!,
    urlHostVerifiable: !servername,
    ...(caFile ? { caFile, caPem: await readFile(caFile, 'utf8') } : {}),
    ...(servername ? { servername } : {}),
  };
  // Fail here, once, with the real reason, rather than in every test.
  const dir = await connect({
    url: info.url,
    bindDn: info.bindDn,
    bindPassword: info.bindPassword,
    ...(info.caPem ? { ca: info.caPem } : {}),
    ...(info.servername ? { servername: info.servername } : {}),
  });
  await dir.close();
  return { info, stop: async () => undefined };
}

async function fromSamba(): Promise<ChosenDc> {
  const dc = await startSambaDc();
  return { info: dcInfoOfSamba(dc), stop: () => dc.stop() };
}

async function fromDocker(): Promise<ChosenDc> {
  const dc = await startDockerDc();
  return {
    info: {
      source: 'docker',
      url: dc.url,
      bindDn: dc.bindDn,
      bindPassword: dc.bindPassword,
      baseDn: dc.baseDn,
      caPem: dc.caPem,
      servername: dc.servername,
      urlHostVerifiable: false,
    },
    stop: () => dc.stop(),
  };
}

async function chooseDc(): Promise<ChosenDc> {
  const url = process.env.ENTRA2AD_TEST_LDAP_URL;
  if (url) return fromEnvironment(url);
  const isRoot = typeof process.getuid !== 'function' || process.getuid() === 0;
  if (isSambaInstalled() && isRoot) return fromSamba();
  if (await isDockerReachable()) return fromDocker();
  const sambaNote = isSambaInstalled() ? 'Samba is installed but the lab DC needs root. ' : '';
  throw new Error(
    `The integration tests need an AD DC and found none. ${sambaNote}Either:\n` +
      `  - install Samba (as root): ${SAMBA_INSTALL_COMMAND}\n` +
      '  - or make Docker available (the harness builds docker/samba-dc),\n' +
      '  - or point at a DC: ENTRA2AD_TEST_LDAP_URL, ENTRA2AD_TEST_BIND_DN, ENTRA2AD_TEST_BIND_PASSWORD, ENTRA2AD_TEST_BASE_DN [, ENTRA2AD_TEST_CA_FILE, ENTRA2AD_TEST_TLS_SERVERNAME].',
  );
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = performance.now();
  const chosen = await chooseDc();
  try {
    project.provide('dc', chosen.info);
    // One line on stderr so a run always says which DC it used (never the password).
    process.stderr.write(
      `[entra2ad] integration DC: ${chosen.info.source} ${chosen.info.url} (${chosen.info.baseDn}), ready in ${Math.round(performance.now() - started)}ms\n`,
    );
  } catch (error) {
    await chosen.stop();
    throw error;
  }
  return async () => {
    await chosen.stop();
  };
}
