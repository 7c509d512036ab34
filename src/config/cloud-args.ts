/**
 * The sign-in flags (declared in src/config/flags/cloud.ts) -> CloudOptions.
 *
 * Defaults come from the AZURE_* environment variables at resolution time
 * (src/cloud/cloud-options.ts), not as yargs defaults, so `--help` never prints them.
 * The client secret has no flag: AZURE_CLIENT_SECRET or --client-secret-file.
 */
import { readFileSync } from 'node:fs';
import { pemCertificatesProblem } from './pem.js';
import { UsageError } from '../errors.js';
import type { CloudOptions } from '../cloud/cloud-options.js';
import type { CloudArgs } from './flags/cloud.js';

export type { CloudArgs } from './flags/cloud.js';

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
