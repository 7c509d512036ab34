/**
 * A throwaway Samba AD DC for tests, the README demo and benchmarks.
 *
 *   await using dc = await startSambaDc();
 *   await using dir = await connect(dc.connectionOptions());
 *
 * It provisions a domain into a temp folder (or copies a per-machine template,
 * see provision.ts), adds a loopback alias of its own (127.a.b.c/32 on lo:
 * Samba only listens on addresses an interface carries), and runs
 * `samba -i -M single` with only the LDAP server. Needs root (the alias, and
 * Samba as a DC) and the Debian packages in SAMBA_INSTALL_COMMAND.
 *
 * TLS (why: src/lab/README.md): by default (`tls: 'lab-ca'`) the DC gets a
 * certificate from a CA made for it, naming its DNS name and its address, so
 * `ldaps://127.a.b.c:636` verifies with the CA alone (`caPem`/`caFile`), in
 * Node and in OpenLDAP tools (`LDAPTLS_CACERT=caFile ldapsearch -H url`).
 * With `tls: 'samba'` Samba generates its own certificate, which names only
 * the host (CN=DC1.realm, no subjectAltName): clients must then verify with
 * the CA plus `servername` (Node `tls.connect({ ca, servername })`; the
 * default checkServerIdentity falls back to the CN when there is no SAN).
 * `servername` is the DC's DNS name and is valid in both modes.
 *
 * Cleanup is deterministic: stop() (or asyncDispose) kills samba, removes the
 * alias and deletes the folder; the same happens synchronously on process
 * exit and SIGINT/SIGTERM/SIGHUP. If the process is SIGKILLed, samba still
 * exits (it runs with `-i` and quits on EOF of its stdin pipe) and the next
 * startSambaDc sweeps the alias and folder left behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, rmSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DirectoryConnectionOptions } from '../directory/index.js';
import { debug } from './debug.js';
import { LabError, SAMBA_INSTALL_COMMAND } from './errors.js';
import { onProcessExit } from './exit-cleanup.js';
import { createLabCertificates } from './lab-tls.js';
import { claimLoopbackAddress, releaseLoopbackAddress, releaseLoopbackAddressSync } from './loopback.js';
import { labAdminPassword, provisionDomain, provisionFromTemplate } from './provision.js';
import { findSambaBinaries, sambaVersion, type SambaBinaries } from './samba-install.js';
import { killGroup, LAB_DIR_PREFIX, sweepStaleLabs, type LabRecord } from './stale.js';
import { waitForLdaps } from './wait-for-ldaps.js';

export { isSambaInstalled } from './samba-install.js';

export interface SambaDcOptions {
  /** Kerberos realm = DNS domain, upper case. Default `CORP.EXAMPLE.TEST` (RFC 6761 `.test`: never resolves). */
  realm?: string;
  /** NetBIOS domain name. Default `CORP`. */
  domain?: string;
  /** The DC's host name (first label of its DNS name). Default `dc1`. */
  hostname?: string;
  /** Administrator password. Default: random. Giving one disables template reuse (the template has its own). */
  adminPassword?: string;
  /** Use this 127.x.y.z (it must not be on lo yet) instead of a random one. */
  address?: string;
  /** `lab-ca` (default): our CA, certificate valid for the address. `samba`: Samba's own, host name only. */
  tls?: 'lab-ca' | 'samba';
  /** Copy a per-machine provisioned template instead of provisioning each time (about 6 s saved). Default true. */
  reuseProvision?: boolean;
  /** Where templates live. Default `$XDG_CACHE_HOME/entra2ad` or `~/.cache/entra2ad`. */
  cacheDir?: string;
  /** Parent of the DC's temp folder. Default `os.tmpdir()`. */
  baseDir?: string;
  /** How long to wait for the first successful LDAPS bind. Default 90 000 ms. */
  readyTimeoutMs?: number;
  /** More smb.conf options for this DC, e.g. `{ 'dsdb:schema update allowed': 'yes' }` (a test forest with a schema extension). */
  smbOptions?: Readonly<Record<string, string>>;
}

export interface SambaDcTimings {
  /** Provisioning, or copying the template. */
  provisionMs: number;
  /** From spawning samba to the first successful LDAPS bind. */
  startMs: number;
  totalMs: number;
  /** True when the domain was copied from an existing template. */
  fromTemplate: boolean;
}

export interface SambaDc extends AsyncDisposable {
  /** `ldaps://127.a.b.c:636`. */
  url: string;
  /** What the URL names (the address). */
  host: string;
  /** The loopback alias the DC listens on. */
  address: string;
  port: number;
  /** `DC=corp,DC=example,DC=test`. */
  baseDn: string;
  realm: string;
  domain: string;
  /** `CN=Administrator,CN=Users,<baseDn>`. */
  bindDn: string;
  /** `Administrator@corp.example.test`. */
  bindUpn: string;
  bindPassword: string;
  /** PEM file of the CA that issued the DC's certificate. */
  caFile: string;
  caPem: string;
  /** The DC's DNS name, e.g. `dc1.corp.example.test`: in its certificate in both TLS modes. */
  servername: string;
  tls: 'lab-ca' | 'samba';
  /** The DC's folder (deleted by stop()). */
  dir: string;
  /** Process id of the samba we started (leader of its own process group). */
  pid: number;
  timings: SambaDcTimings;
  /** Options for `connect()` from src/directory: verified TLS, no insecure flag. */
  connectionOptions(): DirectoryConnectionOptions;
  /**
   * Ends the samba process only, as a DC that goes away does: every open
   * connection is dropped and new ones are refused until {@link resumeProcess}.
   */
  stopProcess(): Promise<void>;
  /** Starts samba again on the same address, domain and certificate; resolves once it answers a bind. */
  resumeProcess(): Promise<void>;
  /** stopProcess, `downMs` (default 0) of silence, resumeProcess: a DC restart as clients see it. */
  restart(options?: { downMs?: number }): Promise<void>;
  /** Kills samba, removes the loopback alias, deletes the folder. Idempotent. */
  stop(): Promise<void>;
}

function defaultCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'entra2ad');
}

function realmToDn(realm: string): string {
  return realm
    .toLowerCase()
    .split('.')
    .map((label) => `DC=${label}`)
    .join(',');
}

function requireBinaries(): SambaBinaries {
  const binaries = findSambaBinaries();
  if (!binaries) {
    throw new LabError('LAB_SAMBA_MISSING', `Samba AD DC is not installed. As root: ${SAMBA_INSTALL_COMMAND}`);
  }
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new LabError(
      'LAB_NOT_ROOT',
      'the lab DC needs root: Samba runs as a DC only as root, and its loopback alias needs CAP_NET_ADMIN. Run as root, or point the tests at a DC with ENTRA2AD_TEST_LDAP_URL.',
    );
  }
  return binaries;
}

async function tail(file: string, lines = 20): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export async function startSambaDc(options: SambaDcOptions = {}): Promise<SambaDc> {
  const started = performance.now();
  const binaries = requireBinaries();
  const realm = (options.realm ?? 'CORP.EXAMPLE.TEST').toUpperCase();
  const domain = (options.domain ?? 'CORP').toUpperCase();
  const hostname = (options.hostname ?? 'dc1').toLowerCase();
  const names = { realm, domain, hostname };
  const tlsMode = options.tls ?? 'lab-ca';
  const baseDir = options.baseDir ?? tmpdir();
  const reuse = (options.reuseProvision ?? true) && options.adminPassword === undefined;
  const fqdn = `${hostname}.${realm.toLowerCase()}`;
  const baseDn = realmToDn(realm);

  await sweepStaleLabs(baseDir);

  const dir = await mkdtemp(join(baseDir, LAB_DIR_PREFIX));
  let address: string | undefined;
  let child: ChildProcess | undefined;
  let exitInfo: string | undefined;
  let unregister: (() => void) | undefined;
  let stopping: Promise<void> | undefined;

  // Synchronous: also used from exit/signal handlers.
  const cleanupSync = (): void => {
    if (child?.pid !== undefined && exitInfo === undefined) killGroup(child.pid, 'SIGKILL');
    if (address !== undefined) releaseLoopbackAddressSync(address);
    rmSync(dir, { recursive: true, force: true });
  };
  unregister = onProcessExit(cleanupSync);

  /** Ends the samba process (SIGTERM, SIGKILL after 5 s) and waits for it to be gone. */
  const killSamba = async (): Promise<void> => {
    const running = child;
    if (running?.pid === undefined || exitInfo !== undefined) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    killGroup(running.pid, 'SIGTERM');
    const timer = new AbortController();
    const graceful = await Promise.race([exited.then(() => true), sleep(5_000, false, { signal: timer.signal }).catch(() => false)]);
    timer.abort(); // the pending timer must not keep the process alive
    if (!graceful) {
      killGroup(running.pid, 'SIGKILL');
      await exited;
    }
  };

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      unregister?.();
      unregister = undefined;
      await killSamba();
      if (address !== undefined) await releaseLoopbackAddress(address);
      await rm(dir, { recursive: true, force: true });
      debug('lab: DC in %s stopped', dir);
    })();
    return stopping;
  };

  try {
    address = await claimLoopbackAddress(options.address);
    const record: LabRecord = { ownerPid: process.pid, address, dir };
    await writeFile(join(dir, 'lab.json'), JSON.stringify(record));

    // 1. Provision (or copy the template).
    const provisionStarted = performance.now();
    const domainDir = join(dir, 'dc');
    let adminPassword: string;
    let fromTemplate = false;
    if (reuse) {
      const version = await sambaVersion(binaries);
      const result = await provisionFromTemplate(binaries, options.cacheDir ?? defaultCacheDir(), domainDir, names, version);
      adminPassword = result.adminPassword;
      fromTemplate = !result.templateCreated;
    } else {
      adminPassword = options.adminPassword ?? labAdminPassword();
      await provisionDomain(binaries, domainDir, names, adminPassword);
    }
    const provisionMs = Math.round(performance.now() - provisionStarted);
    debug('lab: domain %s ready in %s after %dms (%s)', realm, domainDir, provisionMs, fromTemplate ? 'template copy' : 'provisioned');

    // 2. TLS material.
    const tlsArgs: string[] = [];
    let caFile = join(domainDir, 'private', 'tls', 'ca.pem');
    let caPem = '';
    if (tlsMode === 'lab-ca') {
      const certs = await createLabCertificates(dir, { fqdn, hostname, address });
      caFile = certs.caFile;
      caPem = certs.caPem;
      tlsArgs.push(`--option=tls certfile=${certs.certFile}`, `--option=tls keyfile=${certs.keyFile}`, `--option=tls cafile=${certs.caFile}`);
    }

    // 3. Start samba in the foreground of its own process group, logging to a file.
    const startStarted = performance.now();
    const logFile = join(dir, 'samba.log');
    const spawnSamba = async (): Promise<void> => {
      exitInfo = undefined;
      const logFd = openSync(logFile, 'a');
      let started: ChildProcess;
      try {
        started = spawn(
          binaries.samba,
          [
            '-i', // foreground; exits on EOF of stdin, i.e. when we are gone
            '-M',
            'single',
            '-s',
            join(domainDir, 'etc', 'smb.conf'),
            '--option=server services=ldap',
            `--option=interfaces=${address}`,
            '--option=bind interfaces only=yes',
            `--option=pid directory=${join(domainDir, 'run')}`,
            ...tlsArgs,
            ...Object.entries(options.smbOptions ?? {}).map(([k, v]) => `--option=${k}=${v}`),
          ],
          { stdio: ['pipe', logFd, logFd], detached: true },
        );
      } finally {
        closeSync(logFd);
      }
      child = started;
      started.once('exit', (code, signal) => {
        if (child !== started) return;
        exitInfo = `samba exited (${signal ?? `code ${code}`})`;
        debug('lab: %s', exitInfo);
      });
      started.once('error', (error) => {
        if (child === started) exitInfo = `samba could not be started: ${error.message}`;
      });
      // Neither the child nor our end of its stdin keeps the event loop alive:
      // a script that forgets stop() still ends, and its exit hook cleans up.
      started.unref();
      (started.stdin as (Writable & { unref?: () => void }) | null)?.unref?.();
      record.sambaPid = started.pid;
      await writeFile(join(dir, 'lab.json'), JSON.stringify(record));
    };
    await spawnSamba();

    const url = `ldaps://${address}:636`;
    const bindDn = `CN=Administrator,CN=Users,${baseDn}`;
    const stillRunning = (): string | undefined => exitInfo;
    const readyTimeoutMs = options.readyTimeoutMs ?? 90_000;
    try {
      if (tlsMode === 'samba') {
        // Samba writes its CA when it first starts; wait for it unverified, then prove a verified bind.
        await waitForLdaps({ connection: { url, bindDn, bindPassword: adminPassword, insecureTls: true }, timeoutMs: readyTimeoutMs, stillRunning });
        caPem = await readFile(caFile, 'utf8');
      }
      await waitForLdaps({
        connection: { url, bindDn, bindPassword: adminPassword, ca: caPem, servername: fqdn },
        timeoutMs: readyTimeoutMs,
        stillRunning,
      });
    } catch (error) {
      throw new LabError(
        error instanceof LabError ? error.reason : 'LAB_START_FAILED',
        `${(error as Error).message}\n--- samba log (${logFile}) ---\n${await tail(logFile)}`,
        error,
      );
    }
    const startMs = Math.round(performance.now() - startStarted);
    const timings: SambaDcTimings = { provisionMs, startMs, totalMs: Math.round(performance.now() - started), fromTemplate };
    debug('lab: DC %s at %s ready: provision %dms, start %dms, total %dms', fqdn, url, provisionMs, startMs, timings.totalMs);

    const bindPassword = adminPassword;
    const resumeProcess = async (): Promise<void> => {
      if (stopping) throw new LabError('LAB_START_FAILED', 'the lab DC was stopped for good');
      if (child !== undefined && exitInfo === undefined) return;
      await spawnSamba();
      await waitForLdaps({ connection: { url, bindDn, bindPassword, ca: caPem, servername: fqdn }, timeoutMs: readyTimeoutMs, stillRunning });
      debug('lab: DC %s running again (pid %d)', fqdn, child?.pid);
    };
    const dc: SambaDc = {
      url,
      host: address,
      address,
      port: 636,
      baseDn,
      realm,
      domain,
      bindDn,
      bindUpn: `Administrator@${realm.toLowerCase()}`,
      bindPassword,
      caFile,
      caPem,
      servername: fqdn,
      tls: tlsMode,
      dir,
      get pid() {
        return child!.pid!;
      },
      timings,
      connectionOptions: () => ({ url, bindDn, bindPassword, ca: caPem, servername: fqdn }),
      stopProcess: killSamba,
      resumeProcess,
      restart: async ({ downMs = 0 } = {}) => {
        await killSamba();
        if (downMs > 0) await sleep(downMs);
        await resumeProcess();
      },
      stop,
      [Symbol.asyncDispose]: stop,
    };
    return dc;
  } catch (error) {
    await stop().catch((stopError: unknown) => debug('lab: cleanup after failed start: %s', String(stopError)));
    throw error;
  }
}
