/**
 * The only file that knows yargs. Each command is a plain async function in
 * src/commands/, imported lazily so `entra2ad anchor` does not load Graph or LDAP.
 * One top-level catch maps our typed errors to exit codes (src/errors.ts).
 */
import { createRequire } from 'node:module';
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { Entra2adError, ExitCode, UsageError } from './errors.js';
import { OUTPUT_FORMATS, type OutputFormat } from './output.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

function withOutput<T>(y: Argv<T>, defaultFormat: OutputFormat = 'text') {
  return y.option('output', {
    alias: 'o',
    choices: OUTPUT_FORMATS,
    default: defaultFormat,
    describe: 'stdout format: text for people, json for scripts, none',
  });
}

export function buildCli(argv: string[]): Argv {
  return yargs(argv)
    .scriptName('entra2ad')
    .version(version)
    .strict()
    .demandCommand(1, 'Name a command; see entra2ad --help.')
    .recommendCommands()
    .command(
      'anchor <value>',
      'Convert between an objectGUID (GUID string) and an onPremisesImmutableId (base64)',
      (y) => withOutput(y.positional('value', { type: 'string', demandOption: true, describe: 'GUID or immutableId' })),
      async (args) => {
        const { anchor } = await import('./commands/anchor.js');
        await anchor({ value: args.value, output: args.output });
      },
    )
    .fail((message, error) => {
      if (error) throw error;
      throw new UsageError('USAGE', message ?? 'invalid command line');
    })
    .help()
    .wrap(Math.min(110, process.stdout.columns ?? 110));
}

export async function main(argv: string[] = hideBin(process.argv)): Promise<number> {
  try {
    await buildCli(argv).parseAsync();
    return process.exitCode === undefined ? ExitCode.Ok : Number(process.exitCode);
  } catch (error) {
    return reportError(error);
  }
}

function reportError(error: unknown): number {
  if (error instanceof Entra2adError) {
    const who = error.user ? ` [${error.user}]` : '';
    const where = error.field ? ` (${error.field})` : '';
    process.stderr.write(`entra2ad: ${error.reason}${who}${where}: ${error.message}\n`);
    if (error instanceof UsageError) {
      for (const problem of error.problems) process.stderr.write(`  - ${problem}\n`);
    }
    return error.exitCode;
  }
  process.stderr.write(`entra2ad: INTERNAL: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return ExitCode.Failure;
}
