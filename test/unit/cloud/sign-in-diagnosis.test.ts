/**
 * Refused sign-ins said plainly (src/cloud/sign-in-diagnosis.ts): the AADSTS
 * code and first sentence with the fix, and the unknown tenant that MSAL only
 * reports as endpoints_resolution_error.
 */
import { describe, expect, it } from 'vitest';
import { resolveCloudOptions } from '../../../src/cloud/cloud-options.js';
import { classifyFailure, CloudError, translateGraphError } from '../../../src/cloud/errors.js';
import { aadstsOf, explainSignInFailure } from '../../../src/cloud/sign-in-diagnosis.js';

const options = resolveCloudOptions({ tenantId: 'nope.example', clientId: 'c', clientSecret: 's', authorityHost: 'https://127.0.0.1:9' }, {});
const tenantNotFound = "AADSTS90002: Tenant 'nope.example' not found. Check to make sure you have the correct tenant ID.\r\nTrace ID: 1\r\nCorrelation ID: 2";

describe('sign-in diagnosis', () => {
  it('takes the AADSTS code and text, without the trace ids', () => {
    expect(aadstsOf(`invalid_client: ${tenantNotFound}`)).toEqual({ code: 90002, text: "Tenant 'nope.example' not found. Check to make sure you have the correct tenant ID." });
    expect(aadstsOf('no code here')).toBeUndefined();
  });

  it('turns an AADSTS refusal into AUTH_FAILED naming the fix', async () => {
    const error = (await explainSignInFailure(new Error('AADSTS700027: Client assertion contains an invalid signature. [Reason - The key was not found.]'), options)) as CloudError;
    expect(error).toBeInstanceOf(CloudError);
    expect(error.reason).toBe('AUTH_FAILED');
    expect(error.message).toMatch(/^AADSTS700027: .*upload the certificate/);
  });

  it("asks the sign-in host why it could not resolve the tenant's endpoints", async () => {
    const asked: string[] = [];
    const probe = (async (url: string) => {
      asked.push(url);
      return new Response(JSON.stringify({ error: 'invalid_tenant', error_description: tenantNotFound }), { status: 400 });
    }) as unknown as typeof fetch;
    const error = (await explainSignInFailure(new Error('endpoints_resolution_error: See https://aka.ms/msal.js.errors'), options, probe)) as CloudError;
    expect(asked).toEqual(['https://127.0.0.1:9/nope.example/v2.0/.well-known/openid-configuration']);
    expect(error.message).toContain("Tenant 'nope.example' not found");
    expect(error.message).toContain('--tenant-id');
    // The Graph client re-wraps it by name; the name maps back to AUTH_FAILED.
    const wrapped = Object.assign(new Error(error.message), { statusCode: -1, body: String(error), code: error.name });
    expect(translateGraphError(wrapped).reason).toBe('AUTH_FAILED');
    expect(classifyFailure({ status: 0, code: 'SignInRefusedError' })).toBe('AUTH_FAILED');
  });

  it('leaves other failures alone (an unreachable host keeps MSAL error and its hint)', async () => {
    const original = new Error('endpoints_resolution_error');
    const probe = (async () => {
      throw new TypeError('fetch failed');
    }) as unknown as typeof fetch;
    expect(await explainSignInFailure(original, options, probe)).toBe(original);
  });
});
