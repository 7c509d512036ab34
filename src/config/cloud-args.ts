/**
 * The sign-in flags every Graph-using command shares (snapshot, plan, apply,
 * verify): one builder for yargs, one converter to CloudOptions.
 *
 * Defaults come from the AZURE_* environment variables at resolution time
 * (src/cloud/cloud-options.ts), not as yargs defaults, so `--help` never prints them.
 * The client secret has no flag: AZURE_CLIENT_SECRET or --client-secret-file.
 */
import { readFileSync } from 'node:fs';
import { pemCertificatesProblem } from './pem.js';
import type { Argv } from 'yargs';
import { UsageError } from '../errors.js';
import { AUTH_METHODS, type AuthMethod, type CloudOptions } from '../cloud/cloud-options.js';
import { CLOUD_NAMES, type CloudName } from '../cloud/national-clouds.js';

export interface CloudArgs {
  'tenant-id'?: string | undefined;
  'client-id'?: string | undefined;
  auth?: AuthMethod | undefined;
  'client-secret-file'?: string | undefined;
  'certificate-path'?: string | undefined;
  cloud?: CloudName | undefined;
  'graph-url'?: string | undefined;
  'authority-host'?: string | undefined;
  'graph-ca-file'?: string | undefined;
}

const GROUP = 'Microsoft Graph sign-in:';

export function cloudOptionsBuilder<T>(yargs: Argv<T>): Argv<T & CloudArgs> {
  return yargs
    .option('tenant-id', { type: 'string', group: GROUP, describe: 'Directory (tenant) id [env AZURE_TENANT_ID]' })
    .option('client-id', { type: 'string', group: GROUP, describe: 'Application (client) id [env AZURE_CLIENT_ID]' })
    .option('auth', {
      choices: AUTH_METHODS,
      group: GROUP,
      describe: 'Sign-in method [default: secret/certificate from AZURE_* variables when set]',
    })
    .option('client-secret-file', {
      type: 'string',
      group: GROUP,
      describe: 'File whose first line is the client secret (or set AZURE_CLIENT_SECRET; there is no flag for the secret itself)',
    })
    .option('certificate-path', { type: 'string', group: GROUP, describe: 'PEM with private key and certificate [env AZURE_CLIENT_CERTIFICATE_PATH]' })
    .option('cloud', { choices: CLOUD_NAMES, group: GROUP, describe: 'National cloud [default: Public]' })
    .option('graph-url', { type: 'string', group: GROUP, describe: 'Graph endpoint override, e.g. the simulator (https only)' })
    .option('authority-host', { type: 'string', group: GROUP, describe: 'Sign-in host override, e.g. the simulator [env AZURE_AUTHORITY_HOST]' })
    .option('graph-ca-file', { type: 'string', group: GROUP, describe: 'Extra CA (PEM) to trust for Graph and sign-in, e.g. the simulator\'s' }) as unknown as Argv<T & CloudArgs>;
}

/** Flags -> CloudOptions; reads the secret and CA files. Missing values are resolved later from AZURE_*. */
export function toCloudOptions(args: CloudArgs): CloudOptions {
  const options: CloudOptions = {};
  if (args['tenant-id']) options.tenantId = args['tenant-id'];
  if (args['client-id']) options.clientId = args['client-id'];
  if (args.auth) options.auth = args.auth;
  if (args['certificate-path']) options.certificatePath = args['certificate-path'];
  if (args.cloud) options.cloud = args.cloud;
  if (args['graph-url']) options.graphUrl = args['graph-url'];
  if (args['authority-host']) options.authorityHost = args['authority-host'];
  if (args['client-secret-file']) options.clientSecret = readFirstLine(args['client-secret-file'], 'client secret', '--client-secret-file');
  if (args['graph-ca-file']) {
    options.ca = readWhole(args['graph-ca-file'], 'CA certificate', '--graph-ca-file');
    const problem = pemCertificatesProblem(options.ca);
    if (problem) throw new UsageError('CA_FILE_INVALID', `--graph-ca-file: ${args['graph-ca-file']} ${problem}`, [], { field: '--graph-ca-file' });
  }
  return options;
}

function readFirstLine(file: string, what: string, flag: string): string {
  const value = (readWhole(file, what, flag).split(/\r?\n/)[0] ?? '').trim();
  if (value === '') throw new UsageError('SECRET_UNREADABLE', `the ${what} file ${file} is empty`, [], { field: flag });
  return value;
}

function readWhole(file: string, what: string, flag: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    // The message names the file, never its content.
    throw new UsageError('FILE_UNREADABLE', `cannot read the ${what} from ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, [], { field: flag });
  }
}
