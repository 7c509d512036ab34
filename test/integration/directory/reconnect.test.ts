/**
 * The directory session against a real DC that closes or loses connections
 * (a lab Samba DC of this file's own, test/harness/dc.ts startOwnDc):
 *  - idle connections: AD closes a connection idle for MaxConnIdleTime, an
 *    lDAPAdminLimits value of the Default Query Policy
 *    (learn.microsoft.com/troubleshoot/windows-server/active-directory/view-set-ldap-policy-using-ntdsutil);
 *    Samba reads the same value for every new connection (source4/ldap_server/ldap_server.c,
 *    ldapsrv_load_limits). Set to 2 s here, the next call after 4 s idle must
 *    work, with no event for the admin;
 *  - StartTLS: after a DC restart the next call must reconnect WITH StartTLS
 *    and the bind (ldapts alone would reopen the socket in clear and unbound,
 *    and the call would fail or leak).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Attribute, Change } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type ConnectionEvent } from '../../../src/directory/index.js';
import type { SambaDc } from '../../../src/lab/index.js';
import { ownDcUnavailable, plainLdapClient, startOwnDc } from '../../harness/dc.js';

const skipReason = ownDcUnavailable();

async function setMaxConnIdleTime(dc: SambaDc, seconds: number): Promise<void> {
  const client = plainLdapClient(dc);
  try {
    await client.bind(dc.bindDn, dc.bindPassword);
    const policy = `CN=Default Query Policy,CN=Query-Policies,CN=Directory Service,CN=Windows NT,CN=Services,CN=Configuration,${dc.baseDn}`;
    const { searchEntries } = await client.search(policy, { scope: 'base', attributes: ['lDAPAdminLimits'] });
    const values = [searchEntries[0]?.lDAPAdminLimits ?? []].flat().map(String);
    const next = [...values.filter((v) => !/^MaxConnIdleTime=/i.test(v)), `MaxConnIdleTime=${seconds}`];
    await client.modify(policy, new Change({ operation: 'replace', modification: new Attribute({ type: 'lDAPAdminLimits', values: next }) }));
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

describe.skipIf(skipReason !== undefined)(`directory session reconnects${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let dc: SambaDc;
  beforeAll(async () => {
    dc = await startOwnDc();
  });
  afterAll(async () => {
    await dc?.stop();
  });

  it('reopens a connection the DC closed while idle (MaxConnIdleTime), without an error or a word', async () => {
    await setMaxConnIdleTime(dc, 2);
    const events: ConnectionEvent[] = [];
    await using dir = await connect({ ...dc.connectionOptions(), onConnectionEvent: (e) => events.push(e) });
    expect((await dir.readUser(dc.bindDn, ['sAMAccountName'])).attributes.sAMAccountName).toEqual(['Administrator']);
    await sleep(4_000);
    expect((await dir.readUser(dc.bindDn, ['sAMAccountName'])).attributes.sAMAccountName).toEqual(['Administrator']);
    expect(dir.reconnects, 'the DC closed the idle connection and it was reopened').toBe(1);
    expect(events).toEqual([]);
    await setMaxConnIdleTime(dc, 900);
  });

  it('after a DC restart, a StartTLS session reconnects with StartTLS and the bind', async () => {
    const events: ConnectionEvent[] = [];
    await using dir = await connect({ ...dc.connectionOptions(), url: `ldap://${dc.address}:389`, startTls: true, onConnectionEvent: (e) => events.push(e) });
    expect((await dir.readUser(dc.bindDn, ['sAMAccountName'])).attributes.sAMAccountName).toEqual(['Administrator']);
    await dc.restart({ downMs: 500 });
    const started = performance.now();
    // Readable only bound; on a connection ldapts had reopened itself (no StartTLS, no bind) Samba would refuse it.
    expect((await dir.readUser(dc.bindDn, ['sAMAccountName'])).attributes.sAMAccountName).toEqual(['Administrator']);
    expect(dir.reconnects).toBe(1);
    // Not after an operation timeout (60 s): the closed StartTLS connection is seen as closed (client.ts isClosed).
    expect(performance.now() - started).toBeLessThan(30_000);
  });

  it('a call made while the DC is down waits for it and then succeeds; the admin is told', async () => {
    const events: ConnectionEvent[] = [];
    await using dir = await connect({ ...dc.connectionOptions(), onConnectionEvent: (e) => events.push(e) });
    await dc.stopProcess();
    const read = dir.readUser(dc.bindDn, ['sAMAccountName']);
    await sleep(1_500);
    await dc.resumeProcess();
    expect((await read).attributes.sAMAccountName).toEqual(['Administrator']);
    expect(events.map((e) => e.kind)).toContain('lost');
    expect(events.at(-1)?.kind).toBe('restored');
  });

  it('gives up with DC_UNAVAILABLE past the outage limit, for that call and every later one', async () => {
    await using dir = await connect({ ...dc.connectionOptions(), outageLimitMs: 1_000 });
    await dc.stopProcess();
    try {
      const error = await dir.readUser(dc.bindDn, ['sAMAccountName']).catch((e: unknown) => e);
      expect((error as { reason?: string }).reason).toBe('DC_UNAVAILABLE');
      expect((error as { exitCode?: number }).exitCode).toBe(5);
      await dc.resumeProcess();
      const later = await dir.readUser(dc.bindDn, ['sAMAccountName']).catch((e: unknown) => e);
      expect((later as { reason?: string }).reason).toBe('DC_UNAVAILABLE');
    } finally {
      await dc.resumeProcess();
    }
  });
});
