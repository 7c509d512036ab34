/**
 * Which of the Exchange attributes entra2ad may stamp (src/exchange/attributes.ts) the
 * forest's schema defines: an attributeSchema object with that lDAPDisplayName in the
 * schema naming context, whose DN the rootDSE gives as `schemaNamingContext`
 * ([MS-ADTS] 3.1.1.3.2.17; schema objects: [MS-ADTS] 3.1.1.2.3). Exchange's
 * `Setup /PrepareSchema` adds them
 * (learn.microsoft.com/exchange/plan-and-deploy/prepare-ad-and-domains); a forest that
 * was never prepared has none, and AD refuses a write of one with noSuchAttribute.
 *
 * One search, base = the schema NC, scope one, filtered on the names: a handful of
 * entries whatever the size of the schema.
 */
import { AndFilter, EqualityFilter, OrFilter } from 'ldapts';
import { EXCHANGE_ATTRIBUTE_NAMES, exchangeSchemaOf, type ExchangeSchema } from '../exchange/attributes.js';
import { DirectoryError } from './errors.js';
import { strings } from './entry.js';
import { readRootDse } from './root-dse.js';
import type { Session } from './session.js';

export async function readExchangeSchema(session: Session): Promise<ExchangeSchema> {
  const { schemaNamingContext } = await readRootDse(session);
  if (!schemaNamingContext)
    throw new DirectoryError('UNEXPECTED_RESPONSE', 'the rootDSE has no schemaNamingContext: is this an Active Directory DC?', { operation: 'readExchangeSchema' });
  const entries = await session.search(
    schemaNamingContext,
    {
      scope: 'one',
      filter: new AndFilter({
        filters: [
          new EqualityFilter({ attribute: 'objectClass', value: 'attributeSchema' }),
          new OrFilter({ filters: EXCHANGE_ATTRIBUTE_NAMES.map((name) => new EqualityFilter({ attribute: 'lDAPDisplayName', value: name })) }),
        ],
      }),
      attributes: ['lDAPDisplayName'],
    },
    { operation: 'readExchangeSchema', dn: schemaNamingContext },
  );
  return exchangeSchemaOf('directory', entries.flatMap((e) => strings(e, 'lDAPDisplayName')));
}
