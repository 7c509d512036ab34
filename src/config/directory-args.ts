/**
 * The LDAP flags shared by plan, apply, verify and rollback, and their
 * conversion to DirectoryConnectionOptions (flags > config file > environment).
 * The bind password has no flag: ENTRA2AD_BIND_PASSWORD or --bind-password-file.
 */
import { readFileSync } from 'node:fs';
import { pemCertificatesProblem } from './pem.js';
import type { Argv } from 'yargs';
import type { DirectoryConnectionOptions } from '../directory/index.js';
import { UsageError } from '../errors.js';
import type { ConfigFile } from './config-file.js';

export interface DirectoryArgs {
  'ldap-url'?: string | undefined;
  'bind-dn'?: string | undefined;
  'bind-password-file'?: string | undefined;
  'ldap-ca-file'?: string | undefined;
  'ldap-servername'?: string | undefined;
  'start-tls'?: boolean | undefined;
  'insecure-skip-tls-verify'?: boolean | undefined;
}

const GROUP = 'Active Directory (LDAPS):';
export const BIND_PASSWORD_ENV = 'ENTRA2AD_BIND_PASSWORD';

export function directoryOptionsBuilder<T>(yargs: Argv<T>): Argv<T & DirectoryArgs> {
  return yargs
    .option('ldap-url', { type: 'string', group: GROUP, describe: 'ldaps://dc.example.com (or ldap:// with --start-tls) [env ENTRA2AD_LDAP_URL]' })
    .option('bind-dn', { type: 'string', group: GROUP, describe: 'Bind as this DN or UPN [env ENTRA2AD_BIND_DN]' })
    .option('bind-password-file', {
      type: 'string',
      group: GROUP,
      describe: `File whose first line is the bind password (or set ${BIND_PASSWORD_ENV}; there is no flag for the password itself)`,
    })
    .option('ldap-ca-file', { type: 'string', group: GROUP, describe: 'PEM of the CA that issued the DC certificate [env ENTRA2AD_LDAP_CA_FILE]' })
    .option('ldap-servername', { type: 'string', group: GROUP, describe: 'Name to verify the DC certificate against, when the URL uses another name or an IP' })
    .option('start-tls', { type: 'boolean', group: GROUP, describe: 'Upgrade ldap:// with StartTLS before binding' })
    .option('insecure-skip-tls-verify', {
      type: 'boolean',
      group: GROUP,
      describe: 'LAB ONLY: do not verify the DC certificate (anyone in the middle can read every password)',
    }) as unknown as Argv<T & DirectoryArgs>;
}

/** undefined when no DC was named anywhere: the caller then works without AD (dry run only). */
export function toDirectoryOptions(
  args: DirectoryArgs,
  file: ConfigFile['directory'] = {},
  env: NodeJS.ProcessEnv = process.env,
): DirectoryConnectionOptions | undefined {
  const url = args['ldap-url'] ?? file.url ?? env.ENTRA2AD_LDAP_URL;
  if (!url) return undefined;
  const problems: string[] = [];
  const bindDn = args['bind-dn'] ?? file.bindDn ?? env.ENTRA2AD_BIND_DN;
  if (!bindDn) problems.push('--bind-dn (or directory.bindDn, or ENTRA2AD_BIND_DN): who to bind as is required with --ldap-url');
  const bindPassword = args['bind-password-file']
    ? readFirstLine(args['bind-password-file'], '--bind-password-file', problems)
    : env[BIND_PASSWORD_ENV];
  if (!bindPassword) problems.push(`${BIND_PASSWORD_ENV} or --bind-password-file: the bind password is required with --ldap-url`);
  const caFile = args['ldap-ca-file'] ?? file.caFile ?? env.ENTRA2AD_LDAP_CA_FILE;
  const ca = caFile ? readWhole(caFile, '--ldap-ca-file', problems) : undefined;
  const caProblem = ca === undefined ? undefined : pemCertificatesProblem(ca);
  if (caProblem) problems.push(`--ldap-ca-file: ${caFile} ${caProblem}`);
  if (problems.length > 0) throw new UsageError('DIRECTORY_OPTIONS', 'the directory connection is incomplete', problems, { field: 'directory' });
  const options: DirectoryConnectionOptions = { url, bindDn: bindDn!, bindPassword: bindPassword! };
  if (ca) options.ca = ca;
  const servername = args['ldap-servername'] ?? file.servername;
  if (servername) options.servername = servername;
  const startTls = args['start-tls'] ?? file.startTls;
  if (startTls) options.startTls = true;
  if (args['insecure-skip-tls-verify']) options.insecureTls = true;
  return options;
}

function readWhole(file: string, flag: string, problems: string[]): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    problems.push(`${flag}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    return undefined;
  }
}

function readFirstLine(file: string, flag: string, problems: string[]): string | undefined {
  const text = readWhole(file, flag, problems);
  const line = text?.split(/\r?\n/)[0];
  if (text !== undefined && !line) problems.push(`${flag}: ${file} is empty`);
  return line || undefined;
}
