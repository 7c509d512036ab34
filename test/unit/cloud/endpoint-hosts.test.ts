import { describe, expect, it } from 'vitest';
import { endpointWarnings, isLoopbackHost } from '../../../src/cloud/endpoint-hosts.js';

describe('endpointWarnings (--graph-url, --authority-host)', () => {
  it.each<[string, Parameters<typeof endpointWarnings>[0], RegExp[]]>([
    ['defaults: nothing given', {}, []],
    ['the Public cloud hosts', { graphUrl: 'https://graph.microsoft.com/v1.0', authorityHost: 'https://login.microsoftonline.com' }, []],
    ['the simulator on loopback', { graphUrl: 'https://127.0.0.1:8443', authorityHost: 'https://localhost:8443' }, []],
    ['USGov hosts with --cloud USGov', { cloud: 'USGov', graphUrl: 'https://graph.microsoft.us', authorityHost: 'https://login.microsoftonline.us' }, []],
    ['an unknown sign-in host gets the secret', { authorityHost: 'https://login.evil.example' }, [/^WARN_NON_MICROSOFT_ENDPOINT: --authority-host https:\/\/login\.evil\.example .*client secret/]],
    ['a Graph host of another cloud', { cloud: 'China', graphUrl: 'https://graph.microsoft.com' }, [/--graph-url https:\/\/graph\.microsoft\.com is not Microsoft's Graph host for the China cloud \(https:\/\/microsoftgraph\.chinacloudapi\.cn\)/]],
    ['both', { graphUrl: 'https://proxy.corp.example', authorityHost: 'https://sts.corp.example' }, [/--authority-host/, /--graph-url/]],
  ])('%s', (_name, options, expected) => {
    const warnings = endpointWarnings(options);
    expect(warnings).toHaveLength(expected.length);
    expected.forEach((re, i) => expect(warnings[i]).toMatch(re));
  });

  it.each([
    ['localhost', true],
    ['127.1.2.3', true],
    ['[::1]', true],
    ['sim.localhost', true],
    ['127.0.0.1.evil.example', false],
    ['localhost.evil.example', false],
    ['10.0.0.1', false],
  ])('isLoopbackHost(%s) = %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});
