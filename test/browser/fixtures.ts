import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPlan, type BuildPlanInput } from '../../src/plan/build-plan.js';
import type { Plan } from '../../src/plan/types.js';
import { NOW, adObject, directory, person, settings } from '../unit/plan/helpers.js';

/** Screenshots and pages kept after the run (gitignored). */
export const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
export async function artifactDir(): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  return ARTIFACTS;
}
export const artifact = (name: string) => join(ARTIFACTS, name);

/** Display names a tenant could hold that must show as text: markup, a script end, a spreadsheet formula. */
export const HOSTILE = {
  img: '<img src=x onerror=alert(1)>',
  scriptEnd: '</script><script>alert(2)</script>',
  formula: '=HYPERLINK("http://example.invalid/x","click me")',
} as const;

/** The inputs of a plan with every decision, warnings, an OU to create, and the hostile names. */
export function reviewPlanInput(): BuildPlanInput {
  const users = [
    person('Ann', 'Lee', 'ann@contoso.com', { mail: 'ann@contoso.com' }),
    person('Img', 'Tag', 'img@contoso.com', { displayName: HOSTILE.img }),
    person('Script', 'End', 'script@contoso.com', { displayName: HOSTILE.scriptEnd }),
    person('Formula', 'Cell', 'formula@contoso.com', { displayName: HOSTILE.formula, department: '=1+2' }),
    person('Long', 'Name', 'long@contoso.com', { displayName: 'Ω'.repeat(200), jobTitle: 'é'.repeat(200) }),
    person('Adopt', 'Me', 'adopt@contoso.com'),
    person('Guest', 'User', 'guest@contoso.com', { userType: 'Guest' }),
    person('Synced', 'User', 'synced@contoso.com', { onPremisesSyncEnabled: true }),
    person('Blocked', 'One', 'blocked1@contoso.com', { mail: 'shared@contoso.com' }),
    person('Blocked', 'Two', 'blocked2@contoso.com', { mail: 'shared@contoso.com', proxyAddresses: ['SMTP:shared@contoso.com'] }),
  ];
  const dir = directory(
    [
      adObject({ dn: 'CN=Adopt Me,OU=Staff,DC=corp,DC=example,DC=test', userPrincipalName: 'adopt@contoso.com', sAMAccountName: 'adopt' }),
      adObject({ dn: 'CN=Shared,OU=X,DC=corp,DC=example,DC=test', objectClass: ['top', 'contact'], mail: 'shared@contoso.com' }),
    ],
    [],
    false,
  );
  return { users, directory: dir, settings: settings(), tenantId: 'tenant-1', now: NOW, toolVersion: '0.1.0' };
}

export const reviewPlan = (): Plan => buildPlan(reviewPlanInput());
