import { inspect } from 'node:util';
import { AzureAuthorityHosts } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import { resolveCloudOptions, type CloudOptions } from '../../../src/cloud/cloud-options.js';
import { NATIONAL_CLOUDS } from '../../../src/cloud/national-clouds.js';
import { UsageError } from '../../../src/errors.js';

const TENANT = '11111111-2222-4333-8444-555555555555';
const CLIENT = '99999999-8888-4777-8666-555555555555';

function problemsOf(options: CloudOptions, env: Record<string, string> = {}): string[] {
  try {
    resolveCloudOptions(options, env);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).reason).toBe('CLOUD_OPTIONS');
    return [...(error as UsageError).problems];
  }
  throw new Error('expected a UsageError');
}

describe('national clouds', () => {
  it('maps each cloud to its Graph host and sign-in host', () => {
    expect(NATIONAL_CLOUDS.Public).toEqual({ graphUrl: 'https://graph.microsoft.com', authorityHost: AzureAuthorityHosts.AzurePublicCloud });
    expect(NATIONAL_CLOUDS.USGov).toEqual({ graphUrl: 'https://graph.microsoft.us', authorityHost: AzureAuthorityHosts.AzureGovernment });
    expect(NATIONAL_CLOUDS.USGovDoD).toEqual({ graphUrl: 'https://dod-graph.microsoft.us', authorityHost: AzureAuthorityHosts.AzureGovernment });
    expect(NATIONAL_CLOUDS.China).toEqual({ graphUrl: 'https://microsoftgraph.chinacloudapi.cn', authorityHost: AzureAuthorityHosts.AzureChina });
  });

  it.each([
    ['Public', 'https://graph.microsoft.com/.default', 'graph.microsoft.com'],
    ['USGov', 'https://graph.microsoft.us/.default', 'graph.microsoft.us'],
    ['USGovDoD', 'https://dod-graph.microsoft.us/.default', 'dod-graph.microsoft.us'],
    ['China', 'https://microsoftgraph.chinacloudapi.cn/.default', 'microsoftgraph.chinacloudapi.cn'],
  ] as const)('%s: scope %s, instance discovery on', (cloud, scope, host) => {
    const resolved = resolveCloudOptions({ cloud, auth: 'azure-cli' }, {});
    expect(resolved.scope).toBe(scope);
    expect(resolved.graphHost).toBe(host);
    expect(resolved.disableInstanceDiscovery).toBe(false);
  });
});

describe('resolveCloudOptions', () => {
  it('defaults to "environment" when AZURE_* secret variables are set, and takes ids from them', () => {
    const resolved = resolveCloudOptions({}, { AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT, AZURE_CLIENT_SECRET: 's3cret' });
    expect(resolved.auth).toBe('environment');
    expect(resolved.credentialKind).toBe('secret');
    expect(resolved.tenantId).toBe(TENANT);
    expect(resolved.clientId).toBe(CLIENT);
    expect(resolved.clientSecret?.reveal()).toBe('s3cret');
    expect(resolved.graphUrl).toBe('https://graph.microsoft.com');
    expect(resolved.authorityHost).toBe('https://login.microsoftonline.com');
  });

  it('environment with a certificate path resolves to a certificate credential', () => {
    const resolved = resolveCloudOptions({}, { AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT, AZURE_CLIENT_CERTIFICATE_PATH: '/etc/app.pem' });
    expect(resolved).toMatchObject({ auth: 'environment', credentialKind: 'certificate', certificatePath: '/etc/app.pem' });
    expect(resolved.clientSecret).toBeUndefined();
  });

  it('flags win over environment variables', () => {
    const resolved = resolveCloudOptions({ tenantId: 'tenant-from-flag', clientSecret: 'from-file' }, { AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT, AZURE_CLIENT_SECRET: 'env' });
    expect(resolved.tenantId).toBe('tenant-from-flag');
    expect(resolved.auth).toBe('secret');
    expect(resolved.clientSecret?.reveal()).toBe('from-file');
  });

  it('names the flag AND the environment variable for each missing value, all at once', () => {
    const problems = problemsOf({ auth: 'secret' });
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/--tenant-id.*AZURE_TENANT_ID/);
    expect(problems[1]).toMatch(/--client-id.*AZURE_CLIENT_ID/);
    expect(problems[2]).toMatch(/--client-secret-file.*AZURE_CLIENT_SECRET/);
  });

  it('without any sign-in information says how to give one', () => {
    const [problem] = problemsOf({});
    expect(problem).toMatch(/--auth/);
    expect(problem).toMatch(/AZURE_CLIENT_SECRET/);
  });

  it('certificate auth needs a path', () => {
    expect(problemsOf({ auth: 'certificate', tenantId: TENANT, clientId: CLIENT })).toEqual([expect.stringMatching(/--certificate-path.*AZURE_CLIENT_CERTIFICATE_PATH/)]);
  });

  it('device code, managed identity and Azure CLI need no ids', () => {
    expect(resolveCloudOptions({ auth: 'device-code' }, {}).credentialKind).toBe('device-code');
    expect(resolveCloudOptions({ auth: 'managed-identity' }, {}).credentialKind).toBe('managed-identity');
    expect(resolveCloudOptions({ auth: 'azure-cli' }, {}).credentialKind).toBe('azure-cli');
  });

  it('an overridden Graph URL (simulator, gateway) is stripped of /v1.0 and becomes a custom host; the token stays for Graph', () => {
    const resolved = resolveCloudOptions({ auth: 'azure-cli', graphUrl: 'https://127.0.0.1:8443/v1.0/', authorityHost: 'https://127.0.0.1:8443' }, {});
    expect(resolved.graphUrl).toBe('https://127.0.0.1:8443');
    expect(resolved.graphHost).toBe('127.0.0.1');
    expect(resolved.scope).toBe('https://graph.microsoft.com/.default');
    expect(resolveCloudOptions({ auth: 'azure-cli', cloud: 'China', graphUrl: 'https://127.0.0.1:8443' }, {}).scope).toBe('https://microsoftgraph.chinacloudapi.cn/.default');
    expect(resolved.authorityHost).toBe('https://127.0.0.1:8443');
    expect(resolved.disableInstanceDiscovery).toBe(true);
  });

  it('AZURE_AUTHORITY_HOST is honoured; a Microsoft host keeps instance discovery on', () => {
    const resolved = resolveCloudOptions({ auth: 'azure-cli' }, { AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.us' });
    expect(resolved.authorityHost).toBe('https://login.microsoftonline.us');
    expect(resolved.disableInstanceDiscovery).toBe(false);
  });

  it('refuses http:// endpoints and junk, a bad cloud name and a CA that is not PEM', () => {
    const problems = problemsOf({ auth: 'azure-cli', graphUrl: 'http://127.0.0.1:1', authorityHost: 'not a url', cloud: 'Mars' as never, ca: 'hello' });
    expect(problems).toEqual([
      expect.stringMatching(/^cloud: "Mars"/),
      expect.stringMatching(/^graphUrl: .*must be https/),
      expect.stringMatching(/^authorityHost: .*not a URL/),
      expect.stringMatching(/^ca: not a PEM/),
    ]);
  });

  it('never shows the secret when the resolved options are printed or serialised', () => {
    const resolved = resolveCloudOptions({ tenantId: TENANT, clientId: CLIENT, clientSecret: 'TOP-SECRET-VALUE' }, {});
    expect(JSON.stringify(resolved)).not.toContain('TOP-SECRET-VALUE');
    expect(inspect(resolved, { depth: 5 })).not.toContain('TOP-SECRET-VALUE');
    expect(`${String(resolved.clientSecret)}`).toBe('[redacted]');
  });

  it('the problem list never contains the secret', () => {
    const problems = problemsOf({ clientSecret: 'TOP-SECRET-VALUE' });
    expect(problems.join('\n')).not.toContain('TOP-SECRET-VALUE');
  });
});
