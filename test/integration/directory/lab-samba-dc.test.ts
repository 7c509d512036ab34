/**
 * The lab DC itself (src/lab): its two TLS modes, and that stop() leaves
 * nothing behind. Needs a local Samba (the harness uses one when installed and
 * running as root); with an env or Docker DC these tests are reported skipped.
 */
import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { connect, DirectoryError } from '../../../src/directory/index.js';
import { startSambaDc } from '../../../src/lab/index.js';
import { dcInfo } from '../../harness/dc.js';

function loopbackHas(address: string): boolean {
  return execFileSync('ip', ['-4', '-o', 'addr', 'show', 'dev', 'lo'], { encoding: 'utf8' }).includes(`inet ${address}/32`);
}

/** Running and not a zombie (samba renames its process title, so we go by pid). */
function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

describe.runIf(dcInfo().source === 'samba')('startSambaDc (second, private DC)', () => {
  it("tls: 'samba' - Samba's own certificate names only the host: verify with ca + servername", async () => {
    await using dc = await startSambaDc({ tls: 'samba' });
    expect(dc.url).toBe(`ldaps://${dc.address}:636`);
    expect(dc.caPem).toContain('BEGIN CERTIFICATE');
    const { servername: _s, ...byAddressOnly } = dc.connectionOptions();
    await expect(connect(byAddressOnly)).rejects.toMatchObject({ reason: 'TLS_UNTRUSTED' });
    const dir = await connect(dc.connectionOptions());
    expect((await dir.rootDse()).dnsHostName).toBe(dc.servername);
    await dir.close();
  });

  it('stop() kills samba, removes the loopback alias and the folder; a second stop() is a no-op', async () => {
    const dc = await startSambaDc();
    expect(loopbackHas(dc.address)).toBe(true);
    expect(existsSync(dc.dir)).toBe(true);
    expect(processAlive(dc.pid)).toBe(true);
    expect(dc.timings.startMs).toBeGreaterThan(0);
    await dc.stop();
    expect(loopbackHas(dc.address)).toBe(false);
    expect(existsSync(dc.dir)).toBe(false);
    expect(processAlive(dc.pid)).toBe(false);
    await dc.stop();
    await expect(connect({ ...dc.connectionOptions(), connectTimeoutMs: 2_000 })).rejects.toBeInstanceOf(DirectoryError);
  });
});
