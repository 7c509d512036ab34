/**
 * Progress on stderr: a bar when stderr is a terminal, otherwise one plain line
 * every few seconds (CI logs and `2> file` stay readable). Counts only; never a
 * name or a secret.
 */
import cliProgress from 'cli-progress';
import type { ProgressEvent } from './user.js';

export interface Progress {
  onEvent(event: ProgressEvent): void;
  stop(): void;
}

export function createProgress(total: number, options: { tty?: boolean; intervalMs?: number; write?: (line: string) => void } = {}): Progress {
  const counts = { created: 0, anchored: 0, failed: 0, unchanged: 0 };
  const done = () => counts.anchored + counts.failed + counts.unchanged;
  const tty = options.tty ?? Boolean(process.stderr.isTTY);
  if (tty && total > 0) {
    const bar = new cliProgress.SingleBar(
      {
        format: 'apply [{bar}] {percentage}% {value}/{total} | created {created} anchored {anchored} failed {failed} | {rate}/s | ETA {eta_formatted}',
        stream: process.stderr,
        hideCursor: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    const started = Date.now();
    bar.start(total, 0, { ...counts, rate: '0' });
    return {
      onEvent(event) {
        counts[event.kind]++;
        const rate = (done() / Math.max(1, (Date.now() - started) / 1000)).toFixed(1);
        bar.update(done(), { ...counts, rate });
      },
      stop: () => bar.stop(),
    };
  }
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const started = Date.now();
  const line = () => {
    const seconds = (Date.now() - started) / 1000;
    write(
      `apply: ${done()}/${total} done (created ${counts.created}, anchored ${counts.anchored}, unchanged ${counts.unchanged}, failed ${counts.failed}) ${(done() / Math.max(seconds, 0.001)).toFixed(1)}/s`,
    );
  };
  const timer = setInterval(line, options.intervalMs ?? 5000);
  timer.unref();
  return {
    onEvent(event) {
      counts[event.kind]++;
    },
    stop() {
      clearInterval(timer);
      if (total > 0) line();
    },
  };
}
