/**
 * The recipe of samples/tenant.contoso.json. The file is generated once and
 * committed; test/unit/samples/sample-tenant.test.ts fails when the file and
 * this recipe drift apart, and rewrites the file with ENTRA2AD_UPDATE_SAMPLES=1.
 */
import type { GenerateTenantOptions } from './tenant-generator.js';

export const SAMPLE_TENANT_FILE = 'samples/tenant.contoso.json';

export const SAMPLE_TENANT_OPTIONS: GenerateTenantOptions = {
  users: 80,
  seed: 20260115,
  tenantId: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b',
  displayName: 'Contoso (sample)',
  initialDomain: 'contoso.onmicrosoft.com',
  domain: 'contoso.example',
  federatedDomain: 'fabrikam.example',
};
