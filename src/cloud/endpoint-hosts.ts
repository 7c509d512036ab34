/**
 * --graph-url and --authority-host move where the token request (with the client
 * secret or the certificate's signed assertion) and every Graph call go. A host that
 * is not the chosen national cloud's Microsoft host is allowed (proxies, the
 * simulator) but never silent: WARN_NON_MICROSOFT_ENDPOINT on stderr. Loopback
 * (localhost, 127.0.0.0/8, ::1; RFC 6890) is the simulator's and is not warned about.
 * Hosts per cloud: learn.microsoft.com/graph/deployments (national-clouds.ts).
 */
import { NATIONAL_CLOUDS, type CloudName } from './national-clouds.js';

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** Warnings for endpoints off the chosen cloud's Microsoft hosts (pure). */
export function endpointWarnings(options: { cloud?: CloudName | undefined; graphUrl?: string | undefined; authorityHost?: string | undefined }): string[] {
  const cloud = options.cloud ?? 'Public';
  const expected = NATIONAL_CLOUDS[cloud];
  const warnings: string[] = [];
  const check = (value: string | undefined, flag: string, microsoft: string, what: string): void => {
    if (value === undefined || value === '') return;
    let host: string;
    try {
      host = new URL(value).hostname;
    } catch {
      return; // reported as a problem by cloud-options.ts
    }
    if (isLoopbackHost(host) || host.toLowerCase() === new URL(microsoft).hostname) return;
    warnings.push(`WARN_NON_MICROSOFT_ENDPOINT: ${flag} ${value} is not Microsoft's ${what} for the ${cloud} cloud (${microsoft}); ${flag === '--authority-host' ? 'the client secret or certificate assertion goes there' : 'every Graph call and token goes there'}`);
  };
  check(options.authorityHost, '--authority-host', expected.authorityHost, 'sign-in host');
  check(options.graphUrl, '--graph-url', expected.graphUrl, 'Graph host');
  return warnings;
}
