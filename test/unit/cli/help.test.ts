/**
 * What `entra2ad <command> --help` says, read in process (yargs hands the text
 * to a parse callback instead of printing it and exiting): defaults and choices
 * must be the ones the code uses.
 */
import { describe, expect, it } from 'vitest';
import { help } from './in-process.js';
import { DEFAULT_DIRECTORY_CONCURRENCY } from '../../../src/commands/rollback.js';
import { RETRY_AFTER_FORMS } from '../../../src/sim/throttle.js';

/** One flag's line of the help, whitespace collapsed. */
async function flagLine(command: string, flag: string): Promise<string> {
  const line = (await help(command)).split('\n').find((l) => l.includes(`--${flag} `));
  if (line === undefined) throw new Error(`${command} --help has no --${flag}`);
  return line.replace(/\s+/g, ' ').trim();
}

describe('--help', () => {
  it("rollback: --directory-concurrency's default is the one rollback uses, after the config file's apply.directoryConcurrency", async () => {
    expect(await flagLine('rollback', 'directory-concurrency')).toContain(`[default: the config file's apply.directoryConcurrency, else ${DEFAULT_DIRECTORY_CONCURRENCY}]`);
  });

  it("apply: --directory-concurrency defaults to the config file's apply.directoryConcurrency, else 8", async () => {
    expect(await flagLine('apply', 'directory-concurrency')).toContain("[default: the config file's apply.directoryConcurrency, else 8]");
  });

  it('sim: --retry-after offers the forms the simulator knows', async () => {
    expect(await flagLine('sim', 'retry-after')).toContain(`[choices: ${RETRY_AFTER_FORMS.map((f) => `"${f}"`).join(', ')}]`);
  });
});
