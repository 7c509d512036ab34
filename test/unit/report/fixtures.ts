import { guidToImmutableId } from '../../../src/anchor/index.js';
import { buildPlan } from '../../../src/plan/build-plan.js';
import type { Plan } from '../../../src/plan/types.js';
import { NOW, adObject, directory, makeUser, person, settings } from '../plan/helpers.js';

export const RECOVER_ID = guidToImmutableId('bcd2e574-8d58-4136-a9df-8a19b145db79');

/** A plan with every action and the awkward values the writers must survive. */
export function samplePlan(targetOuExists = true): Plan {
  const users = [
    person('Łukasz', 'Żółć', 'lukasz@contoso.com', {
      mail: 'lukasz@contoso.com',
      proxyAddresses: ['SMTP:lukasz@contoso.com', 'smtp:lz@contoso.com', 'X500:/o=Contoso/ou=Exchange/cn=Recipients/cn=' + 'x'.repeat(80)],
      streetAddress: 'ul. Długa 1\nWarszawa',
      country: 'PL',
      department: '=cmd|\' /C calc\'!A0',
      jobTitle: '+SUM(1,2)',
    }),
    person('Smith, John', 'Quote "Q"', 'john@contoso.com', { displayName: 'Smith, John "Q"\nSecond line', department: '-2+3', jobTitle: '@SUM(A1)' }),
    person(' Lead', 'Trail ', 'space@contoso.com', { displayName: ' leading and trailing ', department: '\tTabbed', jobTitle: '\rCR' }),
    person(':Colon', '<Less', 'colon@contoso.com', { displayName: ':starts with colon' }),
    person('A', 'B', 'recover@contoso.com', { onPremisesImmutableId: RECOVER_ID, accountEnabled: false }),
    person('Adopt', 'Me', 'adopt@contoso.com'),
    makeUser({ userPrincipalName: 'guest_x.com#EXT#@contoso.onmicrosoft.com', userType: 'Guest', displayName: 'Guest' }),
    person('Synced', 'User', 'synced@contoso.com', { onPremisesSyncEnabled: true }),
    person('Blocked', 'User', 'blocked@contoso.com', { mail: 'shared@contoso.com' }),
    person('Long', 'Name', 'long@contoso.com', { displayName: 'Ω'.repeat(200), jobTitle: 'é'.repeat(200) }),
  ];
  const dir = directory(
    [
      adObject({ dn: 'CN=Adopt Me,OU=Staff,DC=corp,DC=example,DC=test', userPrincipalName: 'adopt@contoso.com', sAMAccountName: 'adopt' }),
      adObject({ dn: 'CN=Shared,OU=X,DC=corp,DC=example,DC=test', objectClass: ['top', 'contact'], mail: 'shared@contoso.com' }),
    ],
    [],
    targetOuExists,
  );
  return buildPlan({ users, directory: dir, settings: settings({ recover: true }), tenantId: 'tenant-1', now: NOW, toolVersion: '0.1.0' });
}
