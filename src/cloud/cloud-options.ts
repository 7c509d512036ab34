/**
 * How entra2ad signs in to Microsoft Graph, and where Graph is.
 *
 * Resolution order: explicit option (flag or config) > `AZURE_*` environment
 * variable (the names @azure/identity's EnvironmentCredential reads) > default.
 * Every problem is collected, each naming the flag AND the environment variable
 * that would fix it, and thrown together as one UsageError (nothing attempted).
 *
 * The client secret is never a flag (flags land in shell history and `ps`):
 * it comes from `AZURE_CLIENT_SECRET` or a file (`--client-secret-file`).
 */
import type { DeviceCodeInfo } from '@azure/identity';
import { UsageError } from '../errors.js';
import { CLOUD_NAMES, NATIONAL_CLOUDS, isCloudName, type CloudName } from './national-clouds.js';
import { Secret } from './secret.js';

export const AUTH_METHODS = ['secret', 'certificate', 'device-code', 'managed-identity', 'azure-cli', 'environment'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];
/** What a sign-in method finally builds; `environment` resolves to `secret` or `certificate`. */
export type CredentialKind = Exclude<AuthMethod, 'environment'>;

export interface CloudOptions {
  tenantId?: string;
  clientId?: string;
  /**
   * Default: `secret` when a secret was given, `certificate` when a certificate
   * path was given, else `environment` when `AZURE_CLIENT_SECRET` or
   * `AZURE_CLIENT_CERTIFICATE_PATH` is set.
   */
  auth?: AuthMethod;
  /** Only from `AZURE_CLIENT_SECRET` or a file: the CLI has no flag for it. */
  clientSecret?: string;
  /** PEM file holding the private key and the certificate. */
  certificatePath?: string;
  /** National cloud; default `Public`. */
  cloud?: CloudName;
  /** Graph service root override (the simulator, a proxy); must be https. `/v1.0` is stripped. */
  graphUrl?: string;
  /** Sign-in host override (the simulator); turns instance discovery off. */
  authorityHost?: string;
  /** PEM of a CA to trust in addition to the system store (the simulator's CA). */
  ca?: string;
  /**
   * Where the device-code sign-in message goes (`auth: device-code`): a command sends it to
   * its own stderr (src/commands/common.ts). Never stdout, which carries data; default process.stderr.
   */
  onDeviceCode?: (info: DeviceCodeInfo) => void;
}

export type Environment = Readonly<Record<string, string | undefined>>;

export interface ResolvedCloudOptions {
  auth: AuthMethod;
  credentialKind: CredentialKind;
  tenantId?: string;
  clientId?: string;
  clientSecret?: Secret;
  certificatePath?: string;
  certificatePassword?: Secret;
  cloud: CloudName;
  /** Service root without version and without trailing slash, e.g. `https://graph.microsoft.com`. */
  graphUrl: string;
  /** Host name of graphUrl without port: what the Graph client's `customHosts` compares. */
  graphHost: string;
  /**
   * `${national Graph root}/.default`: the app permissions consented for the app.
   * Always the cloud's Graph audience, also when graphUrl points elsewhere (a
   * proxy or gateway in front of Graph, the simulator): the URL is transport,
   * the token is for Graph.
   */
  scope: string;
  authorityHost: string;
  /** True when the sign-in host is not a known Microsoft one: instance discovery must be off. */
  disableInstanceDiscovery: boolean;
  ca?: string;
  onDeviceCode?: (info: DeviceCodeInfo) => void;
}

const nonEmpty = (value: string | undefined): string | undefined => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
};

/** Resolves and validates; throws UsageError('CLOUD_OPTIONS') listing every problem. */
export function resolveCloudOptions(options: CloudOptions, env: Environment = process.env): ResolvedCloudOptions {
  const problems: string[] = [];
  const tenantId = nonEmpty(options.tenantId) ?? nonEmpty(env.AZURE_TENANT_ID);
  const clientId = nonEmpty(options.clientId) ?? nonEmpty(env.AZURE_CLIENT_ID);
  const explicitSecret = options.clientSecret === undefined || options.clientSecret === '' ? undefined : options.clientSecret;
  const envSecret = env.AZURE_CLIENT_SECRET === undefined || env.AZURE_CLIENT_SECRET === '' ? undefined : env.AZURE_CLIENT_SECRET;
  const certificatePath = nonEmpty(options.certificatePath) ?? nonEmpty(env.AZURE_CLIENT_CERTIFICATE_PATH);
  const certificatePassword = env.AZURE_CLIENT_CERTIFICATE_PASSWORD;

  const cloudName = options.cloud ?? 'Public';
  if (!isCloudName(cloudName)) problems.push(`cloud: "${String(cloudName)}" is not one of ${CLOUD_NAMES.join(', ')}`);
  const endpoints = NATIONAL_CLOUDS[isCloudName(cloudName) ? cloudName : 'Public'];

  let auth: AuthMethod | undefined = options.auth;
  if (auth !== undefined && !(AUTH_METHODS as readonly string[]).includes(auth)) {
    problems.push(`auth: "${String(auth)}" is not one of ${AUTH_METHODS.join(', ')}`);
    auth = undefined;
  }
  if (auth === undefined && options.auth === undefined) {
    if (explicitSecret !== undefined) auth = 'secret';
    else if (nonEmpty(options.certificatePath)) auth = 'certificate';
    else if (envSecret !== undefined || nonEmpty(env.AZURE_CLIENT_CERTIFICATE_PATH)) auth = 'environment';
    else {
      problems.push(
        'auth: no sign-in method. Pass --auth (secret, certificate, device-code, managed-identity, azure-cli), ' +
          'or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH)',
      );
    }
  }

  let credentialKind: CredentialKind = 'secret';
  if (auth === 'environment') {
    if (explicitSecret !== undefined || envSecret !== undefined) credentialKind = 'secret';
    else if (certificatePath !== undefined) credentialKind = 'certificate';
    else problems.push('auth: "environment" needs AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH to be set');
  } else if (auth !== undefined) {
    credentialKind = auth;
  }

  const secret = explicitSecret ?? envSecret;
  const needsAppIdentity = auth !== undefined && (credentialKind === 'secret' || credentialKind === 'certificate');
  if (needsAppIdentity) {
    if (tenantId === undefined) problems.push('tenantId: missing; pass --tenant-id or set AZURE_TENANT_ID');
    if (clientId === undefined) problems.push('clientId: missing; pass --client-id or set AZURE_CLIENT_ID');
    if (credentialKind === 'secret' && secret === undefined) {
      problems.push(
        'clientSecret: missing; put it in a file and pass --client-secret-file FILE, or set AZURE_CLIENT_SECRET ' +
          '(there is no flag for the secret itself: flags end up in shell history and process lists)',
      );
    }
    if (credentialKind === 'certificate' && certificatePath === undefined) {
      problems.push('certificatePath: missing; pass --certificate-path FILE or set AZURE_CLIENT_CERTIFICATE_PATH');
    }
  }

  const graph = parseHttpsUrl(options.graphUrl, 'graphUrl', '--graph-url', problems);
  const authority = parseHttpsUrl(options.authorityHost ?? nonEmpty(env.AZURE_AUTHORITY_HOST), 'authorityHost', '--authority-host', problems);
  if (options.ca !== undefined && !options.ca.includes('-----BEGIN CERTIFICATE-----')) {
    problems.push('ca: not a PEM certificate (expected "-----BEGIN CERTIFICATE-----"); check --graph-ca-file');
  }

  if (problems.length > 0) {
    throw new UsageError('CLOUD_OPTIONS', `cannot sign in to Microsoft Graph: ${problems.length} problem(s)`, problems);
  }

  const graphUrl = graph ? stripVersion(graph) : endpoints.graphUrl;
  const authorityHost = authority ? authority.origin : endpoints.authorityHost;
  const knownAuthority = Object.values(NATIONAL_CLOUDS).some((cloud) => cloud.authorityHost === authorityHost);
  const resolved: ResolvedCloudOptions = {
    auth: auth as AuthMethod,
    credentialKind,
    cloud: cloudName,
    graphUrl,
    graphHost: new URL(graphUrl).hostname,
    scope: `${endpoints.graphUrl}/.default`,
    authorityHost,
    disableInstanceDiscovery: !knownAuthority,
  };
  if (tenantId !== undefined) resolved.tenantId = tenantId;
  if (clientId !== undefined) resolved.clientId = clientId;
  if (credentialKind === 'secret' && secret !== undefined) resolved.clientSecret = new Secret(secret);
  if (credentialKind === 'certificate' && certificatePath !== undefined) {
    resolved.certificatePath = certificatePath;
    if (certificatePassword) resolved.certificatePassword = new Secret(certificatePassword);
  }
  if (options.ca !== undefined) resolved.ca = options.ca;
  if (options.onDeviceCode !== undefined) resolved.onDeviceCode = options.onDeviceCode;
  return resolved;
}

function parseHttpsUrl(value: string | undefined, field: string, flag: string, problems: string[]): URL | undefined {
  const text = nonEmpty(value);
  if (text === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    problems.push(`${field}: "${text}" is not a URL (${flag})`);
    return undefined;
  }
  if (url.protocol !== 'https:') {
    // The Graph client adds the Authorization header only to https:// URLs; MSAL refuses http authorities.
    problems.push(`${field}: "${text}" must be https:// (${flag})`);
    return undefined;
  }
  return url;
}

/** `https://host:1/v1.0/` -> `https://host:1`; the Graph client adds the version itself. */
function stripVersion(url: URL): string {
  const path = url.pathname.replace(/\/+$/, '').replace(/\/(v1\.0|beta)$/i, '');
  return `${url.origin}${path}`;
}
