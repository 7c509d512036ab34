/**
 * The command line in process, for the tests: buffers that stand for stdout and
 * stderr, `<command> --help` as text (yargs hands it to a parse callback instead
 * of printing it and exiting), and a shape's flags read by a real yargs.
 */
import yargs from 'yargs';
import { buildCli } from '../../../src/cli.js';
import type { FlagShape } from '../../../src/config/flags/flag.js';
import { withFlags } from '../../../src/config/flags/to-yargs.js';
import type { CommandIo } from '../../../src/output.js';

export function buffers(): CommandIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    out: () => out,
    err: () => err,
  };
}

export function help(command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // wrap(null): one line per flag, however wide the terminal.
    buildCli([]).wrap(null).parse([command, '--help'], {}, (error, _argv, output) => (error ? reject(error) : resolve(output)));
  });
}

/** What yargs reads from `argv` with `shape`'s flags declared (strict; a failure throws its message). */
export function readFlags(shape: FlagShape, argv: string[]): Record<string, unknown> {
  return withFlags(yargs(argv), shape)
    .strict()
    .exitProcess(false)
    .fail((message) => {
      throw new Error(message);
    })
    .parseSync();
}
