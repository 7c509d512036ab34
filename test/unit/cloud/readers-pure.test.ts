import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toCloudOptions, type CloudArgs } from '../../../src/config/cloud-args.js';
import { cloudSignInFlags } from '../../../src/config/flags/cloud.js';
import { readFlags } from '../cli/in-process.js';
import { isFederatedUpn, isPrivilegedDefinition, joinPrivilegedRoles } from '../../../src/cloud/guards-reader.js';
import { encodeQueryValue } from '../../../src/cloud/users-reader.js';
import { UsageError } from '../../../src/errors.js';
import { makeCertificates } from '../../../src/sim/certs.js';

const GA = { id: '62e90394-69f5-4237-9190-012177145e10', displayName: 'Global Administrator', isPrivileged: true };
const UA = { id: 'fe930be7-5e62-47db-91af-98c3a49a38b1', displayName: 'User Administrator', isPrivileged: true };
const RR = { id: '4a5d8f65-41da-4de4-8968-e035b65339cf', displayName: 'Reports Reader', isPrivileged: false };
const link = (principalId: string, roleDefinitionId: string) => ({ id: `${principalId}-${roleDefinitionId}`, principalId, roleDefinitionId, directoryScopeId: '/' });

describe('joinPrivilegedRoles', () => {
  it('joins active and eligible privileged roles per principal, ignores non-privileged ones', () => {
    const holders = joinPrivilegedRoles([GA, UA, RR], [link('a', GA.id), link('b', RR.id), link('c', UA.id)], [link('c', GA.id), link('d', UA.id)]);
    expect(holders.get('a')).toEqual({ roles: ['Global Administrator'], eligible: false, active: true, viaGroups: [] });
    expect(holders.has('b')).toBe(false);
    expect(holders.get('c')).toEqual({ roles: ['Global Administrator', 'User Administrator'], eligible: true, active: true, viaGroups: [] });
    expect(holders.get('d')).toEqual({ roles: ['User Administrator'], eligible: true, active: false, viaGroups: [] });
    expect(holders.eligibilityKnown).toBe(true);
  });

  it('falls back to the known privileged template ids when isPrivileged is missing', () => {
    expect(isPrivilegedDefinition({ id: 'x', templateId: GA.id, displayName: 'Global Administrator' } as never)).toBe(true);
    expect(isPrivilegedDefinition({ id: RR.id, displayName: 'Reports Reader' } as never)).toBe(false);
    expect(isPrivilegedDefinition({ ...RR, isPrivileged: true })).toBe(true);
  });

  it('matches assignments that name the template id instead of the definition id', () => {
    const custom = { id: 'tenant-specific-id', templateId: GA.id, displayName: 'Global Administrator', isPrivileged: true };
    expect(joinPrivilegedRoles([custom], [link('a', GA.id)], []).get('a')?.roles).toEqual(['Global Administrator']);
  });
});

describe('isFederatedUpn', () => {
  const federated = new Set(['fabrikam.example']);
  it('matches the domain and its subdomains, case-insensitively', () => {
    expect(isFederatedUpn('nina@fabrikam.example', federated)).toBe(true);
    expect(isFederatedUpn('nina@EU.Fabrikam.Example', federated)).toBe(true);
    expect(isFederatedUpn('nina@contoso.example', federated)).toBe(false);
    expect(isFederatedUpn('nina@notfabrikam.example', federated)).toBe(false);
  });
});

describe('encodeQueryValue', () => {
  it('keeps a filter readable but protects &, # and + from the SDK re-assembling the URL', () => {
    expect(encodeQueryValue("onPremisesSyncEnabled ne true")).toBe('onPremisesSyncEnabled%20ne%20true');
    expect(encodeQueryValue("startswith(displayName,'A&B#1+')")).toBe("startswith(displayName,'A%26B%231%2B')");
  });
});

describe('cloud CLI options', () => {
  const parse = (argv: string[]) => readFlags(cloudSignInFlags, argv) as CloudArgs;

  it('turns flags into CloudOptions and reads the secret from a file (first line only)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'entra2ad-cli-'));
    writeFileSync(join(dir, 'secret'), 'the-secret\nsecond line\n', { mode: 0o600 });
    // A real certificate: --graph-ca-file is parsed as PEM before anything else runs.
    const certificates = await makeCertificates();
    writeFileSync(join(dir, 'ca.pem'), certificates.caPem);
    await certificates.dispose();
    const options = toCloudOptions(
      parse(['--tenant-id', 't', '--client-id', 'c', '--auth', 'secret', '--client-secret-file', join(dir, 'secret'), '--cloud', 'USGov', '--graph-url', 'https://127.0.0.1:1', '--authority-host', 'https://127.0.0.1:1', '--graph-ca-file', join(dir, 'ca.pem')]),
    );
    expect(options).toEqual({
      tenantId: 't',
      clientId: 'c',
      auth: 'secret',
      clientSecret: 'the-secret',
      cloud: 'USGov',
      graphUrl: 'https://127.0.0.1:1',
      authorityHost: 'https://127.0.0.1:1',
      ca: readFileSync(join(dir, 'ca.pem'), 'utf8'),
    });
  });

  it('has no flag for the secret itself', () => {
    expect(() => parse(['--client-secret', 'x'])).toThrow(/Unknown argument/);
  });

  it('refuses an unknown cloud or auth method', () => {
    expect(() => parse(['--cloud', 'Mars'])).toThrow();
    expect(() => parse(['--auth', 'password'])).toThrow();
  });

  it('an unreadable secret file is a usage error naming the file, not its content', () => {
    expect(() => toCloudOptions({ 'client-secret-file': '/nonexistent/secret' })).toThrow(UsageError);
  });
});
