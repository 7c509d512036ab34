/**
 * The command line: the commands and the top-level catch. Each command's flags are
 * ONE zod schema (src/config/flags/<command>.ts) that gives yargs its options
 * (to-yargs.ts), checks what yargs read (parse-flags.ts: FLAGS_INVALID, exit 2,
 * before anything is read or written) and types the command's args. Each command
 * is a plain async function in src/commands/, imported lazily so `entra2ad anchor`
 * does not load Graph or LDAP. A command writes to the streams it is given and
 * returns its exit code; `main` returns that code (src/bin.ts sets process.exitCode
 * from it, nothing else does), and its one catch maps our typed errors to exit
 * codes (src/errors.ts).
 */
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import type { z } from 'zod';
import { Entra2adError, ExitCode, UsageError } from './errors.js';
import { processIo, type CommandIo } from './output.js';
import { VERSION as version } from './version.js';
import { toCloudOptions } from './config/cloud-args.js';
import {
  anchorSpec,
  applySpec,
  camelKeys,
  parseFlags,
  planSpec,
  preflightSpec,
  rollbackSpec,
  simSpec,
  snapshotSpec,
  verifySpec,
  withFlags,
  type CommandSpec,
} from './config/flags/index.js';

/** What the command that ran returned; yargs' parseAsync resolves with the arguments, not with it. */
export interface CommandRun {
  exitCode: ExitCode;
}

/**
 * The command line for `argv`. Commands write to `io` and their exit code is
 * recorded in `ran` (0 until one returns).
 */
export function buildCli(argv: string[], io: CommandIo = processIo(), ran: CommandRun = { exitCode: ExitCode.Ok }): Argv {
  /** `spec`'s flags declared for yargs; what yargs read checked against the schema, then `run`. */
  const command = <S extends z.ZodObject>(y: Argv, spec: CommandSpec<S>, run: (args: z.output<S>) => Promise<{ exitCode: ExitCode }>): Argv =>
    y.command(
      spec.command,
      spec.describe,
      (c) => withFlags(c, spec.flags.shape, spec.examples),
      async (parsed) => {
        ran.exitCode = (await run(parseFlags(spec.flags, parsed))).exitCode;
      },
    );

  let cli = yargs(argv)
    .scriptName('entra2ad')
    .version(version)
    .strict()
    .demandCommand(1, 'Name a command; see entra2ad --help.')
    .recommendCommands();
  cli = command(cli, anchorSpec, async (args) => (await import('./commands/anchor.js')).anchor(args, io));
  cli = command(cli, planSpec, async (args) => (await import('./commands/plan.js')).planCommand(args, io));
  cli = command(cli, applySpec, async (args) => (await import('./commands/apply.js')).applyCommand(args, io));
  cli = command(cli, rollbackSpec, async (args) => (await import('./commands/rollback.js')).rollbackCommand(args, io));
  cli = command(cli, preflightSpec, async (args) => (await import('./commands/preflight.js')).preflightCommand(args, io));
  cli = command(cli, verifySpec, async (args) => (await import('./commands/verify.js')).verifyCommand(args, io));
  cli = command(cli, simSpec, async (args) => (await import('./commands/sim.js')).sim(camelKeys(args), io));
  cli = command(cli, snapshotSpec, async (args) => {
    const { snapshot } = await import('./commands/snapshot.js');
    return snapshot({ out: args.out, cloud: toCloudOptions(args), output: args.output }, io);
  });
  return cli
    .fail((message, error) => {
      if (error) throw error;
      throw new UsageError('USAGE', message ?? 'invalid command line');
    })
    .help()
    .wrap(Math.min(110, process.stdout.columns ?? 110));
}

/** Runs one command line and returns its exit code; sets no process state. */
export async function main(argv: string[] = hideBin(process.argv), io: CommandIo = processIo()): Promise<number> {
  const ran: CommandRun = { exitCode: ExitCode.Ok };
  try {
    await buildCli(argv, io, ran).parseAsync();
    return ran.exitCode;
  } catch (error) {
    return reportError(error, io);
  }
}

/** The one place an error becomes an exit code and a line on stderr. */
function reportError(error: unknown, io: CommandIo): number {
  if (error instanceof Entra2adError) {
    const who = error.user ? ` [${error.user}]` : '';
    const where = error.field ? ` (${error.field})` : '';
    io.stderr.write(`entra2ad: ${error.reason}${who}${where}: ${error.message}\n`);
    if (error instanceof UsageError) {
      for (const problem of error.problems) io.stderr.write(`  - ${problem}\n`);
    }
    return error.exitCode;
  }
  io.stderr.write(`entra2ad: INTERNAL: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return ExitCode.Failure;
}
