/**
 * The one list of Graph user properties (src/graph/user.ts) and what is derived from
 * it: the $select list, the template variables and the shared-value properties are
 * what they were when each was its own list.
 */
import { describe, expect, it } from 'vitest';
import { EXTENSION_ATTRIBUTE_NAMES, SHARED_VALUE_PROPERTIES, TEMPLATE_PROPERTIES, USER_SELECT, type GraphUser } from '../../../src/graph/user.js';
import { TEMPLATE_VARIABLES, templateContext } from '../../../src/plan/names/templates.js';
import { makeUser } from '../plan/helpers.js';

describe('the Graph user properties entra2ad reads', () => {
  it('$select: every property, in the order snapshots list them', () => {
    expect(USER_SELECT.join(',')).toBe(
      'id,userPrincipalName,displayName,givenName,surname,mail,mailNickname,proxyAddresses,businessPhones,mobilePhone,faxNumber,officeLocation,' +
        'streetAddress,city,state,postalCode,country,usageLocation,jobTitle,department,companyName,employeeId,employeeType,accountEnabled,userType,' +
        'creationType,onPremisesSyncEnabled,onPremisesImmutableId,onPremisesLastSyncDateTime,onPremisesDistinguishedName,onPremisesSamAccountName,' +
        'onPremisesExtensionAttributes',
    );
  });

  it('template variables: the person-describing strings, then the derived ones and the 15 extension attributes', () => {
    expect(TEMPLATE_VARIABLES.join(',')).toBe(
      'id,userPrincipalName,displayName,givenName,surname,mail,mailNickname,mobilePhone,faxNumber,officeLocation,streetAddress,city,state,postalCode,' +
        'country,usageLocation,jobTitle,department,companyName,employeeId,employeeType,userType,given,upnPrefix,upnDomain,businessPhone,' +
        Array.from({ length: 15 }, (_, i) => `extensionAttribute${i + 1}`).join(','),
    );
    expect(EXTENSION_ATTRIBUTE_NAMES).toHaveLength(15);
  });

  it('shared values: the low-cardinality strings, not names, addresses or ids', () => {
    expect(SHARED_VALUE_PROPERTIES.join(',')).toBe('givenName,surname,officeLocation,city,state,postalCode,country,usageLocation,jobTitle,department,companyName,employeeType,userType,creationType');
  });

  it('every derived property is read, and holds a string for a user that has it', () => {
    const user: GraphUser = makeUser({ creationType: 'Invitation', employeeId: 'E1', faxNumber: '+1', streetAddress: 'Main St 1' });
    for (const p of [...TEMPLATE_PROPERTIES, ...SHARED_VALUE_PROPERTIES]) {
      expect(USER_SELECT, p).toContain(p);
      const value: unknown = user[p];
      expect(value === null || typeof value === 'string', p).toBe(true);
    }
    const context = templateContext(user);
    for (const p of TEMPLATE_PROPERTIES) expect(context[p], p).toBe(user[p] ?? null);
  });
});
