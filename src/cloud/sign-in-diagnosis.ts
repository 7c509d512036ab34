/**
 * Sign-in failures said plainly. The credential is wrapped so that whatever
 * @azure/identity/MSAL throws becomes a CloudError AUTH_FAILED (exit 1) that
 * names the problem and the fix:
 *
 * - An AADSTS answer keeps its code and first sentence (no trace ids), plus the
 *   fix for the codes an admin meets (learn.microsoft.com/entra/identity-platform/reference-error-codes;
 *   learn.microsoft.com/azure/developer/java/sdk/troubleshooting-authentication-service-principal).
 * - MSAL reports a tenant the sign-in host does not know only as
 *   `endpoints_resolution_error` (it cannot read the tenant's OpenID metadata).
 *   Entra's answer to that metadata request says why (AADSTS90002 "Tenant ... not
 *   found"), so entra2ad asks the same sign-in host once more and reports that.
 */
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import type { ResolvedCloudOptions } from './cloud-options.js';
import { CloudError } from './errors.js';

/** The fix for the AADSTS codes a sign-in commonly meets. */
const FIXES: Record<number, string> = {
  90002: 'check --tenant-id (AZURE_TENANT_ID): the tenant id (a GUID) or one of its verified domain names, and --cloud',
  700016: 'check --client-id (AZURE_CLIENT_ID) and that the app is registered in this tenant',
  7000215: 'the client secret is wrong: use the secret VALUE (not its id) from the app registration',
  7000222: 'the client secret has expired: make a new one under Certificates & secrets',
  700027: 'the certificate is not (or no longer) registered on the app: upload the certificate (.cer/.pem, no key) under Certificates & secrets',
  700024: "the sign-in assertion is outside its validity period: check this machine's clock",
  700021: 'the certificate sign-in named another app: check --client-id',
  700023: 'the certificate sign-in was meant for another tenant or cloud: check --tenant-id and --cloud',
  70011: 'the sign-in host does not know the requested scope: check --cloud (the Graph of that cloud must match the sign-in host)',
  1002012: 'the requested scope is not valid for an app sign-in',
  7000218: 'the app needs a secret or a certificate for this sign-in (or "Allow public client flows" for device code)',
  70019: 'the device code expired before the sign-in was completed: run the command again and sign in within the time shown',
};

export function diagnosingCredential(inner: TokenCredential, options: ResolvedCloudOptions, probe: typeof fetch = fetch): TokenCredential {
  return {
    async getToken(scopes: string | string[], getTokenOptions?: GetTokenOptions): Promise<AccessToken | null> {
      try {
        return await inner.getToken(scopes, getTokenOptions);
      } catch (error) {
        throw await explainSignInFailure(error, options, probe);
      }
    },
  };
}

export async function explainSignInFailure(error: unknown, options: ResolvedCloudOptions, probe: typeof fetch = fetch): Promise<unknown> {
  const message = error instanceof Error ? error.message : String(error);
  const fromMessage = aadstsOf(message);
  if (fromMessage) return signInError(fromMessage.code, fromMessage.text, error);
  const usesAuthority = options.credentialKind === 'secret' || options.credentialKind === 'certificate' || options.credentialKind === 'device-code';
  if (/endpoints_resolution_error/.test(message) && usesAuthority && options.tenantId) {
    const fromHost = await askSignInHost(options.authorityHost, options.tenantId, probe);
    if (fromHost) return signInError(fromHost.code, fromHost.text, error);
  }
  return error;
}

/**
 * AUTH_FAILED with Entra's code. Its own class name, because the Graph client
 * re-wraps whatever the credential throws into a GraphError that keeps only the
 * name and the message (GraphErrorHandler.constructError); translateGraphError
 * maps the name back to AUTH_FAILED.
 */
export class SignInRefusedError extends CloudError {}

function signInError(code: number, text: string, cause: unknown): CloudError {
  const fix = FIXES[code];
  return new SignInRefusedError('AUTH_FAILED', { status: 0, code: `AADSTS${code}`, message: `${text}${fix ? ` (${fix})` : ''}` }, { cause });
}

/** `AADSTS90002: Tenant 'x' not found. Check ...\r\nTrace ID: ...` -> code and the text before the trace ids. */
export function aadstsOf(message: string): { code: number; text: string } | undefined {
  const match = /AADSTS(\d+):\s*([^\r\n]*)/.exec(message);
  if (!match) return undefined;
  const text = (match[2] ?? '').replace(/\s*Trace ID:.*$/, '').trim();
  return { code: Number(match[1]), text };
}

async function askSignInHost(authorityHost: string, tenant: string, probe: typeof fetch): Promise<{ code: number; text: string } | undefined> {
  try {
    const url = `${authorityHost.replace(/\/+$/, '')}/${encodeURIComponent(tenant)}/v2.0/.well-known/openid-configuration`;
    const response = await probe(url, { signal: AbortSignal.timeout(10_000) });
    if (response.ok) return undefined;
    const body = (await response.json()) as { error_description?: unknown };
    return typeof body.error_description === 'string' ? aadstsOf(body.error_description) : undefined;
  } catch {
    return undefined; // unreachable or not JSON: the caller keeps MSAL's error and its hint
  }
}
