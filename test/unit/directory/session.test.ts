/**
 * Session's reconnect rules with fake clients (no socket): one shared reconnect
 * however many calls lost the connection, ask again or hand the loss back
 * (onLost), reopen an idle-closed connection silently, give up past the limit.
 */
import type { Client } from 'ldapts';
import { describe, expect, it } from 'vitest';
import { DirectoryError } from '../../../src/directory/errors.js';
import type { ResolvedTransport } from '../../../src/directory/options.js';
import { Session, type ConnectionEvent } from '../../../src/directory/session.js';

const transport = { url: 'ldaps://dc.test:636', implicitTls: true, tls: {} } as unknown as ResolvedTransport;
const lost = () => Object.assign(new Error('Connection closed before message response was received. Message type: AddRequest (0x68)'), {});
const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:636'), { code: 'ECONNREFUSED' });

interface FakeClient {
  id: number;
  isConnected: boolean;
  unbind(): Promise<void>;
}

function fake(id: number): FakeClient & Client {
  return { id, isConnected: true, socket: { destroyed: false, readyState: 'open', destroy: () => undefined }, unbind: async () => undefined } as unknown as FakeClient & Client;
}

/** A session whose opens fail `failures` times (refused), then succeed; time advances only by the waits. */
function rig(failures: number, outageLimitMs = 10_000) {
  let clock = 0;
  let opens = 0;
  const events: ConnectionEvent[] = [];
  const first = fake(0);
  const session = new Session(first, transport, {
    open: async () => {
      opens++;
      if (opens <= failures) throw refused();
      return fake(opens);
    },
    outageLimitMs,
    sleep: async (ms) => {
      clock += ms;
    },
    now: () => clock,
    onConnectionEvent: (e) => events.push(e),
  });
  return { session, first, events, opens: () => opens, clock: () => clock };
}

const site = { operation: 'test' };

describe('Session reconnect', () => {
  it('asks a read again on the new connection after a lost one, and says so only when the DC was away', async () => {
    const r = rig(2);
    const seen: number[] = [];
    const result = await r.session.run(site, async (client) => {
      const id = (client as unknown as FakeClient).id;
      seen.push(id);
      if (id === 0) throw lost();
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(seen).toEqual([0, 3]); // two refused opens, the third worked
    expect(r.events.map((e) => e.kind)).toEqual(['lost', 'retrying', 'retrying', 'restored']);
    expect(r.clock()).toBe(250 + 500);
    expect(r.session.reconnects).toBe(1);
  });

  it('reconnects once for every call that lost the same connection', async () => {
    const r = rig(1);
    const calls = Array.from({ length: 8 }, () =>
      r.session.run(site, async (client) => {
        if ((client as unknown as FakeClient).id === 0) {
          await Promise.resolve();
          throw lost();
        }
        return (client as unknown as FakeClient).id;
      }),
    );
    expect(await Promise.all(calls)).toEqual(Array(8).fill(2));
    expect(r.opens()).toBe(2);
  });

  it("hands the loss back with onLost 'throw' (an add), after the reconnect", async () => {
    const r = rig(0);
    let attempts = 0;
    const error = await r.session
      .run(
        site,
        async () => {
          attempts++;
          throw lost();
        },
        { onLost: 'throw' },
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DirectoryError);
    expect((error as DirectoryError).reason).toBe('CONNECTION_LOST');
    expect(attempts).toBe(1);
    expect(r.opens()).toBe(1); // reconnected before handing it back
  });

  it('reopens a connection the DC closed while idle before sending, without an event', async () => {
    const r = rig(0);
    r.first.isConnected = false;
    const id = await r.session.run(site, async (client) => (client as unknown as FakeClient).id);
    expect(id).toBe(1);
    expect(r.events).toEqual([]);
  });

  it('gives up past the outage limit: DC_UNAVAILABLE for the call, the calls waiting and every later call', async () => {
    const r = rig(Number.POSITIVE_INFINITY, 3_000);
    const first = r.session.run(site, async () => {
      throw lost();
    });
    const error = await first.catch((e: unknown) => e);
    expect((error as DirectoryError).reason).toBe('DC_UNAVAILABLE');
    expect((error as DirectoryError).exitCode).toBe(5);
    expect(r.clock()).toBe(3_000); // waits never run past the limit
    expect(r.events.at(-1)?.kind).toBe('gave-up');
    let sent = false;
    const later = await r.session
      .run({ operation: 'createUser', user: 'a@b.test' }, async () => {
        sent = true;
      })
      .catch((e: unknown) => e);
    expect((later as DirectoryError).reason).toBe('DC_UNAVAILABLE');
    expect((later as DirectoryError).message).toMatch(/createUser a@b.test: not sent/);
    expect(sent).toBe(false);
  });

  it('does not reconnect for an answer of the DC', async () => {
    const r = rig(0);
    const error = await r.session
      .run(site, async () => {
        throw Object.assign(new Error('x'), { code: 'EACCES' });
      })
      .catch((e: unknown) => e);
    expect((error as DirectoryError).reason).toBe('LDAP_ERROR');
    expect(r.opens()).toBe(0);
  });

  it('stops at once when the reopen is refused for good (wrong password)', async () => {
    let clock = 0;
    const session = new Session(fake(0), transport, {
      open: async () => {
        const { InvalidCredentialsError } = await import('ldapts');
        throw new InvalidCredentialsError('80090308: LdapErr: DSID-0C09041C, comment: AcceptSecurityContext error, data 52e');
      },
      sleep: async (ms) => {
        clock += ms;
      },
      now: () => clock,
    });
    const error = await session
      .run(site, async () => {
        throw lost();
      })
      .catch((e: unknown) => e);
    expect((error as DirectoryError).reason).toBe('DC_UNAVAILABLE');
    expect((error as DirectoryError).message).toMatch(/INVALID_CREDENTIALS/);
    expect(clock).toBe(0);
  });
});
