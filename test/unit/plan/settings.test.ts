import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { loadPlanSettings, parsePlanSettings, settingsJsonSchema } from '../../../src/plan/settings.js';

const OU = 'OU=Cloud Users,DC=corp,DC=example,DC=test';

describe('plan settings', () => {
  it('fills in the defaults', () => {
    expect(loadPlanSettings({ targetOu: OU })).toEqual({
      targetOu: OU,
      samTemplates: ['{upnPrefix}', '{given}.{surname}', '{given:1}{surname}'],
      cnTemplate: '{displayName}',
      cnFallbackTemplates: ['{given} {surname}', '{upnPrefix}'],
      scope: { includeDisabled: true },
      attributeMap: {},
      password: { mode: 'random', length: 16, mustChange: true, avoidAmbiguous: true },
      recover: false,
      allowUnknownObjectIdentifier: false,
      adoptProtectedUpns: [],
      recovery: { placement: 'old-ou', dnMap: {}, onNameTaken: 'block', cloudManaged: 'block' },
    });
  });

  it('reports every problem with its path', () => {
    const r = parsePlanSettings({
      targetOu: 'Cloud Users',
      samTemplates: ['{given}.{nope}'],
      cnTemplate: '{displayName',
      scope: { upnDomains: ['not a domain'], includeUpns: ['a@x.com'], excludeUpns: ['A@X.COM'], includeDisabled: 'yes' },
      attributeMap: { sAMAccountName: '{given}', 'bad attr': '{given}', mailNickname: '{mailNickname}', description: null, servicePrincipalName: 'HTTP/{upnPrefix}' },
      password: { mode: 'secret', length: 8 },
      typo: true,
    });
    expect(r.ok).toBe(false);
    const problems = r.ok ? [] : r.problems;
    const expected = [
      /^targetOu: must be a DN/,
      /^samTemplates\[0\]: bad template: unknown variable "nope"/,
      /^cnTemplate: bad template: unclosed/,
      /^scope\.upnDomains\[0\]: must be a domain name/,
      /^scope\.includeDisabled: /,
      /^password\.mode: /,
      /^password\.length: /,
      /^\(settings\): .*typo/,
    ];
    for (const re of expected) expect(problems.some((p) => re.test(p)), `${re} in\n${problems.join('\n')}`).toBe(true);
  });

  it('checks the attribute map after the shape is valid', () => {
    const r = parsePlanSettings({
      targetOu: OU,
      exchangeSchema: false,
      attributeMap: { sAMAccountName: '{given}', 'bad attr': '{given}', mailNickname: '{mailNickname}', description: null, servicePrincipalName: 'HTTP/{upnPrefix}' },
      scope: { includeUpns: ['a@x.com'], excludeUpns: ['A@X.COM'] },
    });
    expect(r.ok ? [] : r.problems).toEqual([
      'attributeMap.sAMAccountName: is set by entra2ad itself and cannot be mapped',
      'attributeMap.bad attr: is not an LDAP attribute name',
      'attributeMap.mailNickname: exists only in forests prepared for Exchange, and exchangeSchema is false: remove one of the two',
      'attributeMap.servicePrincipalName: controls what the account may do or how it signs in (delegation, Kerberos, privileged marking): entra2ad never writes it',
      'scope.includeUpns: a@x.com is also in excludeUpns',
    ]);
    expect(parsePlanSettings({ targetOu: OU, exchangeSchema: true, attributeMap: { mailNickname: '{upnPrefix}' } }).ok).toBe(true);
    // Absent: the forest's schema decides (an attribute it lacks is left out and named in the plan).
    expect(parsePlanSettings({ targetOu: OU, attributeMap: { mailNickname: '{upnPrefix}' } }).ok).toBe(true);
  });

  it('targetOu: DN rules', () => {
    const msg = (targetOu: unknown) => {
      const r = parsePlanSettings({ targetOu });
      return r.ok ? null : r.problems[0];
    };
    expect(msg(undefined)).toBe('targetOu: is required: the DN of the OU new users go to');
    expect(msg('DC=corp,DC=test')).toMatch(/OU or container/);
    expect(msg('OU=Users,O=corp')).toMatch(/DC=/);
    expect(msg('OU=A\\,B,DC=corp,DC=test')).toBeNull();
    expect(msg('CN=Users,DC=corp,DC=test')).toBeNull();
  });

  it('loadPlanSettings throws a UsageError carrying every problem', () => {
    try {
      loadPlanSettings({ targetOu: 'x', password: { length: 1000 } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      expect((e as UsageError).problems).toHaveLength(2);
      expect((e as UsageError).exitCode).toBe(2);
    }
  });

  it('produces a JSON Schema for editors', () => {
    const schema = settingsJsonSchema();
    expect(schema['type']).toBe('object');
    expect(schema['required']).toEqual(['targetOu']);
    const props = schema['properties'] as Record<string, { default?: unknown }>;
    expect(Object.keys(props)).toEqual(expect.arrayContaining(['targetOu', 'samTemplates', 'scope', 'password', 'recover']));
    expect(props['samTemplates']!.default).toEqual(['{upnPrefix}', '{given}.{surname}', '{given:1}{surname}']);
  });

  it('the plan section of samples/config.example.json is valid', () => {
    const example = JSON.parse(readFileSync(new URL('../../../samples/config.example.json', import.meta.url), 'utf8'));
    const r = parsePlanSettings(example.plan);
    expect(r.ok ? [] : r.problems).toEqual([]);
  });
});
