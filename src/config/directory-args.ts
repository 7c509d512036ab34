/**
 * The LDAP flags (declared in src/config/flags/directory.ts) -> DirectoryConnectionOptions
 * (flags > config file > environment).
 * The bind password has no flag: ENTRA2AD_BIND_PASSWORD or --bind-password-file.
 */
import { readFileSync } from 'node:fs';
import { pemCertificatesProblem } from './pem.js';
import type { DirectoryConnectionOptions } from '../directory/index.js';
import { UsageError } from '../errors.js';
import type { ConfigFile } from './config-file.js';
import { BIND_PASSWORD_ENV, type DirectoryArgs } from './flags/directory.js';

export { BIND_PASSWORD_ENV, type DirectoryArgs } from './flags/directory.js';

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
