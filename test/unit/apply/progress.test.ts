/**
 * apply's progress goes to the command's stderr (the sink it is given): a bar when it
 * is a terminal, plain lines otherwise; never to process.stderr.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProgress } from '../../../src/apply/progress.js';

function sink(isTTY: boolean) {
  let text = '';
  return { isTTY, write: (t: string) => void (text += t), text: () => text };
}

afterEach(() => vi.restoreAllMocks());

describe('createProgress', () => {
  it('not a terminal: the counts as one plain line on the given stderr at the end', () => {
    const processStderr = vi.spyOn(process.stderr, 'write');
    const stderr = sink(false);
    const progress = createProgress(2, { stderr, intervalMs: 60_000 });
    progress.onEvent({ kind: 'created', cloudId: 'a' });
    progress.onEvent({ kind: 'anchored', cloudId: 'a' });
    progress.onEvent({ kind: 'failed', cloudId: 'b' });
    progress.stop();
    expect(stderr.text()).toMatch(/^apply: 2\/2 done \(created 1, anchored 1, unchanged 0, failed 1\) [0-9.]+\/s\n$/);
    expect(processStderr.mock.calls.filter(([text]) => String(text).includes('apply'))).toEqual([]);
  });

  it('a terminal: the bar is drawn on the given stderr', () => {
    const processStderr = vi.spyOn(process.stderr, 'write');
    const stderr = sink(true);
    const progress = createProgress(1, { stderr });
    progress.onEvent({ kind: 'anchored', cloudId: 'a' });
    progress.stop();
    expect(stderr.text()).toContain('apply [');
    expect(stderr.text()).toContain('1/1');
    expect(processStderr.mock.calls.filter(([text]) => String(text).includes('apply ['))).toEqual([]);
  });
});
