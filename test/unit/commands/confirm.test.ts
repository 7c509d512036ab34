/**
 * The confirmation before the first write: asked on the command's stderr (the sink it
 * is given), answered on stdin, never asked without a terminal. process.stderr is
 * watched: the question must not reach it.
 */
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { confirm } from '../../../src/commands/confirm.js';
import { UsageError } from '../../../src/errors.js';

/** A terminal: the person types `answer` once the question is on the screen. */
function terminal(answer: string) {
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  let screen = '';
  const stderr = {
    isTTY: true,
    write: (text: string) => {
      screen += text;
      if (text.endsWith('Type "yes" to go ahead: ')) setImmediate(() => stdin.write(`${answer}\n`));
    },
  };
  return { stdin, stderr, screen: () => screen };
}

afterEach(() => vi.restoreAllMocks());

describe('confirm', () => {
  it('asks on the given stderr, not process.stderr; "yes" goes ahead', async () => {
    const processStderr = vi.spyOn(process.stderr, 'write');
    const t = terminal(' YES ');
    expect(await confirm('apply: 3 user(s) to create', { yes: false, stderr: t.stderr, stdin: t.stdin })).toBe(true);
    expect(t.screen()).toBe('apply: 3 user(s) to create\nType "yes" to go ahead: ');
    expect(processStderr.mock.calls.filter(([text]) => String(text).includes('to go ahead'))).toEqual([]);
  });

  it('any other answer does not', async () => {
    const t = terminal('y');
    expect(await confirm('rollback: 1 user(s)', { yes: false, stderr: t.stderr, stdin: t.stdin })).toBe(false);
  });

  it('--yes: nothing asked', async () => {
    const t = terminal('no');
    expect(await confirm('apply', { yes: true, stderr: t.stderr, stdin: t.stdin })).toBe(true);
    expect(t.screen()).toBe('');
  });

  it('stderr or stdin not a terminal: CONFIRMATION_REQUIRED, nothing asked', async () => {
    const t = terminal('yes');
    const notTty = { write: (text: string) => void text };
    await expect(confirm('apply', { yes: false, stderr: notTty, stdin: t.stdin })).rejects.toMatchObject({ reason: 'CONFIRMATION_REQUIRED' });
    await expect(confirm('apply', { yes: false, stderr: t.stderr, stdin: Object.assign(new PassThrough(), { isTTY: false }) })).rejects.toBeInstanceOf(UsageError);
    expect(t.screen()).toBe('');
  });
});
