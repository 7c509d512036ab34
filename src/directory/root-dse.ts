/**
 * The rootDSE (RFC 4512 section 5.1): what the DC says about itself before we
 * know anything, read with an empty base DN and base scope.
 */
import { DirectoryError } from './errors.js';
import { firstString, strings } from './entry.js';
import type { Session } from './session.js';

export interface RootDse {
  /** The domain naming context, e.g. `DC=corp,DC=example,DC=com` ([MS-ADTS] 3.1.1.3.2.3). */
  defaultNamingContext: string;
  /** The DC's DNS name, e.g. `dc1.corp.example.com`. */
  dnsHostName?: string;
  /** Domain functional level ([MS-ADTS] 6.1.4.2): 4 = 2008 R2, 6 = 2012 R2, 7 = 2016. */
  domainFunctionality?: number;
  supportedControl: string[];
  /** The schema naming context, e.g. `CN=Schema,CN=Configuration,DC=corp,DC=example,DC=com` ([MS-ADTS] 3.1.1.3.2.17). */
  schemaNamingContext?: string;
}

export async function readRootDse(session: Session): Promise<RootDse> {
  const entries = await session.search(
    '',
    { scope: 'base', attributes: ['defaultNamingContext', 'dnsHostName', 'domainFunctionality', 'supportedControl', 'schemaNamingContext'] },
    { operation: 'readRootDse' },
  );
  const entry = entries[0];
  const defaultNamingContext = entry ? firstString(entry, 'defaultNamingContext') : undefined;
  if (!entry || !defaultNamingContext) {
    throw new DirectoryError('UNEXPECTED_RESPONSE', 'the rootDSE has no defaultNamingContext: is this an Active Directory DC?', {
      operation: 'readRootDse',
    });
  }
  const dse: RootDse = { defaultNamingContext, supportedControl: strings(entry, 'supportedControl') };
  const schema = firstString(entry, 'schemaNamingContext');
  if (schema !== undefined) dse.schemaNamingContext = schema;
  const host = firstString(entry, 'dnsHostName');
  if (host !== undefined) dse.dnsHostName = host;
  const level = Number(firstString(entry, 'domainFunctionality'));
  if (Number.isInteger(level)) dse.domainFunctionality = level;
  return dse;
}
