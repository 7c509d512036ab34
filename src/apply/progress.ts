/**
 * Progress on the command's stderr: a bar when it is a terminal, otherwise one plain
 * line every few seconds (CI logs and `2> file` stay readable). Counts only; never a
 * name or a secret.
 */
import cliProgress from 'cli-progress';
import type { TextSink } from '../output.js';
import type { ProgressEvent } from './user.js';

export interface Progress {
  onEvent(event: ProgressEvent): void;
  stop(): void;
}

export function createProgress(total: number, options: { stderr: TextSink; intervalMs?: number }): Progress {
  const { stderr } = options;
  const counts = { created: 0, anchored: 0, failed: 0, unchanged: 0 };
  const done = () => counts.anchored + counts.failed + counts.unchanged;
  if (stderr.isTTY === true && total > 0) {
    const bar = new cliProgress.SingleBar(
      {
        format: 'apply [{bar}] {percentage}% {value}/{total} | created {created} anchored {anchored} failed {failed} | {rate}/s | ETA {eta_formatted}',
        // cli-progress draws with write() and ANSI cursor codes only (its lib/terminal.js), which a TextSink takes.
        stream: stderr as NodeJS.WritableStream,
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
  const write = (line: string) => stderr.write(`${line}\n`);
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
