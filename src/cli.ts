/**
 * The command line: the commands, their flags and the top-level catch. yargs is
 * known here and in the two shared flag builders (src/config/cloud-args.ts,
 * src/config/directory-args.ts). Each command is a plain async function in
 * src/commands/, imported lazily so `entra2ad anchor` does not load Graph or LDAP.
 * A command writes to the streams it is given and returns its exit code; `main`
 * returns that code (src/bin.ts sets process.exitCode from it, nothing else does),
 * and its one catch maps our typed errors to exit codes (src/errors.ts).
 */
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { Entra2adError, ExitCode, UsageError } from './errors.js';
import { OUTPUT_FORMATS, processIo, type CommandIo, type OutputFormat } from './output.js';
import { VERSION as version } from './version.js';
import { cloudOptionsBuilder, toCloudOptions } from './config/cloud-args.js';
import { directoryOptionsBuilder } from './config/directory-args.js';
import { CREATE_MODES } from './config/config-file.js';
import { PASSWORD_MODES } from './plan/types.js';
import { RETRY_AFTER_FORMS } from './sim/throttle.js';
import { SOURCE_ANCHORS, VERIFY_OUTPUT_FORMATS, VERIFY_SCOPES } from './verify/types.js';

function withOutput<T>(y: Argv<T>, defaultFormat: OutputFormat = 'text') {
  return y.option('output', {
    alias: 'o',
    choices: OUTPUT_FORMATS,
    default: defaultFormat,
    describe: 'stdout format: text for people, json for scripts, none',
  });
}

/** Flags of every command that plans (plan, apply, verify): config, scope, sign-in, LDAP. */
function withPlanOptions<T>(y: Argv<T>) {
  const PLAN = 'Planning (override the config file):';
  return directoryOptionsBuilder(
    cloudOptionsBuilder(
      y
        .option('config', { alias: 'c', type: 'string', describe: 'JSON config file (see samples/config.example.json)' })
        .option('target-ou', { type: 'string', group: PLAN, describe: 'DN of the OU new users go to (created if missing)' })
        .option('recover', {
          type: 'boolean',
          group: PLAN,
          describe: 'Recovery after losing the DC: users that carry an immutableId get it as mS-DS-ConsistencyGuid, under their old logon name, CN and OU; nothing is written to the cloud',
        })
        .option('map-dn', {
          type: 'string',
          array: true,
          group: PLAN,
          describe: 'Recovery: OLD=NEW, move users from the old DN (a subtree or domain) to the new one (repeatable; plan.recover.dnMap)',
        })
        .option('recover-cloud-managed', {
          type: 'boolean',
          group: PLAN,
          describe: 'Recovery: also recreate users whose source of authority is the cloud (isCloudManaged true; else blocked: BLOCKED_RECOVER_CLOUD_MANAGED)',
        })
        .option('allow-unknown-object-identifier', {
          type: 'boolean',
          group: PLAN,
          describe: 'Create users whose onPremisesObjectIdentifier could not be read (else blocked: BLOCKED_OBJECT_IDENTIFIER_UNKNOWN)',
        })
        .option('exchange-csv', {
          type: 'string',
          group: PLAN,
          describe:
            'Exchange Online export: Get-EXOMailbox -ResultSize Unlimited | Select-Object UserPrincipalName,ExchangeGuid,ArchiveGuid,LegacyExchangeDN,RecipientTypeDetails,PrimarySmtpAddress | Export-Csv FILE (gives msExchMailboxGuid, msExchArchiveGuid, X500)',
        })
        .option('password-mode', { choices: PASSWORD_MODES, group: PLAN, describe: 'Initial passwords [default: random]' })
        .option('include-disabled', { type: 'boolean', group: PLAN, describe: 'Plan disabled cloud users too (created disabled) [default: true]' })
        .option('upn-domain', { type: 'string', array: true, group: PLAN, describe: 'Only users whose UPN is in this domain (repeatable)' })
        .option('group', {
          type: 'string',
          array: true,
          group: PLAN,
          describe: 'Only users who are members of this Entra group, directly or through nested groups, by object id (repeatable)',
        })
        .option('filter', { type: 'string', group: PLAN, describe: 'An extra Graph $filter on users, e.g. "department eq \'Sales\'"' }),
    ),
  );
}

/** What the command that ran returned; yargs' parseAsync resolves with the arguments, not with it. */
export interface CommandRun {
  exitCode: ExitCode;
}

/**
 * The command line for `argv`. Commands write to `io` and their exit code is
 * recorded in `ran` (0 until one returns).
 */
export function buildCli(argv: string[], io: CommandIo = processIo(), ran: CommandRun = { exitCode: ExitCode.Ok }): Argv {
  const record = async (result: Promise<{ exitCode: ExitCode }>): Promise<void> => {
    ran.exitCode = (await result).exitCode;
  };
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
        await record(anchor({ value: args.value, output: args.output }, io));
      },
    )
    .command(
      'plan',
      'Dry run: read the tenant (and the DC, when given) and write plan.json, plan.csv and plan.ldif; changes nothing',
      (y) => withOutput(withPlanOptions(y).option('out', { type: 'string', demandOption: true, describe: 'Folder to write the plan files to' })),
      async (args) => {
        const { planCommand } = await import('./commands/plan.js');
        await record(planCommand(args, io));
      },
    )
    .command(
      'apply',
      'Create the planned users in AD, read their objectGUIDs and write them as onPremisesImmutableId; resumable',
      (y) =>
        withOutput(
          withPlanOptions(y)
            .option('plan', { type: 'string', describe: 'The reviewed plan.json to execute (its folder becomes the run folder)' })
            .option('out', { type: 'string', describe: 'Run folder (default: the plan\'s folder); without --plan a plan is made here first' })
            .option('yes', { alias: 'y', type: 'boolean', describe: 'Do not ask for confirmation (required without a terminal)' })
            .option('set-consistency-guid', { type: 'boolean', describe: 'Also stamp mS-DS-ConsistencyGuid = objectGUID on created users' })
            .option('create-mode', {
              choices: CREATE_MODES,
              describe: 'How users are created: portable = add disabled, set password, enable; auto = probe the DC once [default: auto]',
            })
            .option('directory-concurrency', { type: 'number', describe: 'LDAP operations in flight [default: the config file\'s apply.directoryConcurrency, else 8]' })
            .option('dc-outage-limit', {
              type: 'number',
              describe: 'Seconds to wait, reconnecting, for a DC that went away before stopping cleanly (exit 5; run again to resume) [default: 300]',
            })
            .option('initial-password-file', { type: 'string', describe: 'For password mode "fixed": file whose first line is the password (or ENTRA2AD_INITIAL_PASSWORD)' })
            .option('clear-object-identifier', {
              type: 'boolean',
              describe:
                'Recovery: then clear onPremisesObjectIdentifier (Graph beta) of each recovered user whose new AD object is read back with the right mS-DS-ConsistencyGuid; cannot be undone. Needs User-OnPremisesSyncBehavior.ReadWrite.All. On a completed run folder it does only this',
            }),
        ),
      async (args) => {
        const { applyCommand } = await import('./commands/apply.js');
        await record(applyCommand(args, io));
      },
    )
    .command(
      'rollback',
      'Undo an apply run for the users it created: clear the immutableId it wrote, then delete or disable the AD object; adopted users are never touched; resumable',
      (y) =>
        withOutput(
          directoryOptionsBuilder(
            cloudOptionsBuilder(
              y
                .option('run', { type: 'string', demandOption: true, describe: 'The run folder apply used (holds journal.jsonl and plan.json)' })
                .option('delete', { type: 'boolean', describe: 'Delete the AD users this run created' })
                .option('disable', { type: 'boolean', describe: 'Disable (ACCOUNTDISABLE) the AD users this run created instead of deleting them' })
                .conflicts('delete', 'disable')
                .option('yes', { alias: 'y', type: 'boolean', describe: 'Do not ask for confirmation (required without a terminal)' })
                .option('config', { alias: 'c', type: 'string', describe: 'JSON config file (its cloud and directory sections are used)' })
                .option('directory-concurrency', { type: 'number', describe: 'LDAP operations in flight [default: the config file\'s apply.directoryConcurrency, else 4]' }),
            ),
          ),
        ),
      async (args) => {
        const { rollbackCommand } = await import('./commands/rollback.js');
        await record(rollbackCommand(args, io));
      },
    )
    .command(
      'preflight',
      'Read the tenant (and the DC, when given) and report what would stop or block a run: tenant sync blocks, role holders, previously synced and federated users, directory conflicts; exit 1 on a tenant stop',
      (y) => withOutput(withPlanOptions(y)),
      async (args) => {
        const { preflightCommand } = await import('./commands/preflight.js');
        await record(preflightCommand(args, io));
      },
    )
    .command(
      'verify',
      'Predict what the next Entra Connect sync does with each AD user (hard-match, soft-match, duplicate, blocked, not-in-scope); exit 4 when any would become a duplicate',
      (y) =>
        withPlanOptions(y)
          .option('scope', {
            choices: VERIFY_SCOPES,
            default: 'ou' as const,
            describe: 'AD users to check: the target OU, or the whole domain (then cloud users without AD object are listed too)',
          })
          .option('source-anchor', {
            choices: SOURCE_ANCHORS,
            default: 'ms-DS-ConsistencyGuid' as const,
            describe: "Entra Connect's sourceAnchor (ms-DS-ConsistencyGuid falls back to objectGUID when empty)",
          })
          .option('output', {
            alias: 'o',
            choices: VERIFY_OUTPUT_FORMATS,
            default: 'text' as const,
            describe: 'stdout format: text for people, json/csv for scripts, none',
          }),
      async (args) => {
        const { verifyCommand } = await import('./commands/verify.js');
        await record(verifyCommand(args, io));
      },
    )
    .command(
      'sim',
      'Run the Graph-compatible tenant simulator (HTTPS, loopback) on a snapshot until Ctrl+C; prints one JSON line with url, CA file and throwaway credentials',
      (y) =>
        y
          .option('tenant', { type: 'string', demandOption: true, describe: 'Tenant snapshot file (JSON)' })
          .option('port', { type: 'number', describe: 'Port (default: a free one)' })
          .option('host', { type: 'string', describe: 'Loopback address to listen on (default 127.0.0.1)' })
          .option('latency-ms', { type: 'number', describe: 'Fixed delay per Graph request' })
          .option('jitter-ms', { type: 'number', describe: 'Random extra delay per Graph request, up to this' })
          .option('seed', { type: 'number', describe: 'Seed for faults, jitter and $batch order (default 1)' })
          .option('rate-429', { type: 'number', describe: 'Share of requests answered 429 (0..1)' })
          .option('rate-503', { type: 'number', describe: 'Share of requests answered 503 (0..1)' })
          .option('rate-504', { type: 'number', describe: 'Share of requests answered 504 (0..1)' })
          .option('drop-rate', { type: 'number', describe: 'Share of connections dropped without an answer (0..1)' })
          .option('after-commit-504-rate', { type: 'number', describe: 'Share of accepted writes answered 504 AFTER the change was stored (0..1)' })
          .option('after-commit-drop-rate', { type: 'number', describe: 'Share of requests that stored a write whose connection is then dropped (0..1)' })
          .option('eventual-lag-ms', { type: 'number', describe: 'Milliseconds a write stays out of ConsistencyLevel: eventual listings' })
          .option('eventual-lag-all-listings', { type: 'boolean', default: false, describe: 'Listings without ConsistencyLevel: eventual lag too (a worst case, not documented)' })
          .option('duplicate-immutable-id-as-500', { type: 'boolean', default: false, describe: 'Answer a duplicate onPremisesImmutableId with 500 instead of 400, as publicly reported' })
          .option('token-lifetime-seconds', { type: 'number', describe: 'expires_in of issued tokens (default 3599)' })
          .option('throttle-scale', { type: 'number', describe: "Multiply Graph's throttling budgets (e.g. 0.01)" })
          .option('throttle', { type: 'boolean', default: true, describe: 'Throttle like Graph (--no-throttle to turn off)' })
          .option('retry-after', { choices: RETRY_AFTER_FORMS, describe: 'Retry-After on 429s: fractional seconds (default) or whole seconds' })
          .option('sync-features-forbidden', { type: 'boolean', default: false, describe: 'Answer 403 to onPremisesSynchronization for every caller, delegated too' })
          .option('sync-features-for-apps', {
            type: 'boolean',
            default: false,
            describe: 'Let app-only tokens read onPremisesSynchronization (Graph does not: its page lists no application permission) to rehearse the tenant blocks',
          })
          .option('refuse-advanced-query', {
            type: 'boolean',
            default: false,
            describe: 'Answer 400 Request_UnsupportedQuery to every ConsistencyLevel: eventual request, as tenants without advanced queries do',
          })
          .option('client-certificate', {
            type: 'string',
            array: true,
            describe: 'PEM file whose certificate is registered on the simulated app, for --auth certificate (repeatable)',
          }),
      async (args) => {
        const { sim } = await import('./commands/sim.js');
        const options: Parameters<typeof sim>[0] = {
          tenant: args.tenant,
          port: args.port,
          host: args.host,
          latencyMs: args.latencyMs,
          jitterMs: args.jitterMs,
          seed: args.seed,
          rate429: args.rate429,
          rate503: args.rate503,
          rate504: args.rate504,
          dropRate: args.dropRate,
          afterCommit504Rate: args.afterCommit504Rate,
          afterCommitDropRate: args.afterCommitDropRate,
          eventualLagMs: args.eventualLagMs,
          eventualLagAllListings: args.eventualLagAllListings,
          duplicateImmutableIdAs500: args.duplicateImmutableIdAs500,
          tokenLifetimeSeconds: args.tokenLifetimeSeconds,
          throttleScale: args.throttleScale,
          throttle: args.throttle,
          retryAfter: args.retryAfter,
          syncFeaturesForbidden: args.syncFeaturesForbidden,
          syncFeaturesForApps: args.syncFeaturesForApps,
          refuseAdvancedQuery: args.refuseAdvancedQuery,
          clientCertificate: args.clientCertificate,
        };
        await record(sim(options, io));
      },
    )
    .command(
      'snapshot',
      'Write the tenant (users, domains, roles, sync features) as a snapshot file the simulator can load',
      (y) =>
        withOutput(
          cloudOptionsBuilder(y).option('out', { type: 'string', demandOption: true, describe: 'Snapshot file to write (mode 0600)' }),
        ),
      async (args) => {
        const { snapshot } = await import('./commands/snapshot.js');
        await record(snapshot({ out: args.out, cloud: toCloudOptions(args), output: args.output }, io));
      },
    )
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
