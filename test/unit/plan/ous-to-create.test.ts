import { describe, expect, it } from 'vitest';
import { dnKeyOrText } from '../../../src/directory/dn.js';
import { ousToCreate } from '../../../src/plan/ous-to-create.js';

const D = 'DC=corp,DC=example,DC=test';
const keys = (...dns: string[]) => new Set(dns.map(dnKeyOrText));

describe('ousToCreate', () => {
  it.each([
    ['nothing exists: every level, top-down', `OU=Sales,OU=EMEA,${D}`, keys(), undefined, [`OU=EMEA,${D}`, `OU=Sales,OU=EMEA,${D}`]],
    ['the upper level exists (any case)', `OU=Sales,OU=EMEA,${D}`, keys(`ou=emea,${D.toLowerCase()}`), undefined, [`OU=Sales,OU=EMEA,${D}`]],
    ['all exist', `OU=Sales,OU=EMEA,${D}`, keys(`OU=EMEA,${D}`, `OU=Sales,OU=EMEA,${D}`), undefined, []],
    ['escaped RDNs stay escaped', `OU=R\\+D,OU=\\#Ops,${D}`, keys(), undefined, [`OU=\\#Ops,${D}`, `OU=R\\+D,OU=\\#Ops,${D}`]],
    ['the target OU the head adds is left out', `OU=Staff,OU=Cloud,${D}`, keys(), `OU=Cloud,${D}`, [`OU=Staff,OU=Cloud,${D}`]],
    ['the domain itself is never listed', D, keys(), undefined, []],
  ] as const)('%s', (_name, parent, existing, skip, expected) => {
    expect(ousToCreate(parent, D, existing, new Set(), skip)).toEqual(expected);
  });

  it('each OU once per plan: a later entry does not list what an earlier one carries', () => {
    const queued = new Set<string>();
    expect(ousToCreate(`OU=Sales,OU=EMEA,${D}`, D, keys(), queued)).toHaveLength(2);
    expect(ousToCreate(`OU=Ops,OU=EMEA,${D}`, D, keys(), queued)).toEqual([`OU=Ops,OU=EMEA,${D}`]);
    expect(ousToCreate(`OU=Sales,OU=EMEA,${D}`, D, keys(), queued)).toEqual([]);
  });
});
