/**
 * The command line run in process: `main(argv, io)` returns the exit code and
 * writes to the streams it is given, so a test needs no child process, no build
 * and no spying on the process's streams, and sees the same bytes an admin does.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeAnchor } from '../../../src/anchor/index.js';
import { main } from '../../../src/cli.js';
import { buffers } from './in-process.js';

describe('main in process', () => {
  it('anchor: exit 0, the immutableId on stdout and nothing else; process.exitCode untouched', async () => {
    const io = buffers();
    expect(await main(['anchor', 'f7cc07d7-7c15-447d-876d-c01b0e5a9e38'], io)).toBe(0);
    expect(io.out()).toBe('1wfM9xV8fUSHbcAbDlqeOA==\n');
    expect(io.err()).toBe('');
    expect(process.exitCode).toBeUndefined();
  });

  it('anchor --output json: the same JSON as before, without the exit code', async () => {
    const io = buffers();
    expect(await main(['anchor', '1wfM9xV8fUSHbcAbDlqeOA==', '--output', 'json'], io)).toBe(0);
    expect(io.out()).toBe(`${JSON.stringify(describeAnchor('1wfM9xV8fUSHbcAbDlqeOA=='), null, 2)}\n`);
  });

  it('a typed error is exit 2 and one line on the given stderr, no stack', async () => {
    const io = buffers();
    expect(await main(['apply'], io)).toBe(2);
    expect(io.err()).toBe('entra2ad: RUN_DIR_REQUIRED (--out): name the plan to execute (--plan DIR/plan.json) or a run folder (--out DIR)\n');
    expect(io.out()).toBe('');
  });
});

// Was a spawned-CLI test with a simulator and a DC (test/integration/apply/guards.test.ts); in process, a
// loopback listener standing in for Graph and the sign-in endpoint shows that not one connection is made.
describe('flags', () => {
  let listener: Server;
  let connections = 0;
  let url: string;
  beforeAll(async () => {
    listener = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(listener.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => listener.close(() => resolve())));

  it.each([['0'], ['abc']])('apply --directory-concurrency %s is exit 2 FLAGS_INVALID before anything: no connection, nothing in the run folder', async (value) => {
    const dir = mkdtempSync(join(tmpdir(), 'entra2ad-flags-'));
    const io = buffers();
    const code = await main(
      [
        'apply',
        '--plan', join(dir, 'plan.json'),
        '--yes',
        '--tenant-id', '11111111-2222-4333-8444-555555555555',
        '--client-id', '22222222-3333-4444-8555-666666666666',
        '--graph-url', url,
        '--authority-host', url,
        '--ldap-url', `ldaps://127.0.0.1:${(listener.address() as { port: number }).port}`,
        '--directory-concurrency', value,
      ],
      io,
    );
    expect(code, io.err()).toBe(2);
    expect(io.err()).toMatch(/^entra2ad: FLAGS_INVALID \(--directory-concurrency\): 1 invalid flag value\(s\); nothing was done:\n/);
    expect(io.err()).toMatch(/--directory-concurrency: (0|not a number); it takes a whole number from 1 to 32/);
    expect(io.err()).not.toMatch(/at .*\.[jt]s:\d+/);
    expect(io.out()).toBe('');
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(join(dir, 'journal.jsonl'))).toBe(false);
    expect(connections, 'not even a token request').toBe(0);
  });
});
