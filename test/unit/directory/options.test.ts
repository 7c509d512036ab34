import { describe, expect, it } from 'vitest';
import { DirectoryError } from '../../../src/directory/index.js';
import { resolveTransport } from '../../../src/directory/options.js';
import { reasonOf } from '../../harness/errors.js';

const base = { bindDn: 'svc@corp.example.test', bindPassword: 'x' };

describe('resolveTransport', () => {
  it('verifies certificates by default', () => {
    const t = resolveTransport({ ...base, url: 'ldaps://dc1.corp.example.test' });
    expect(t).toMatchObject({ implicitTls: true, host: 'dc1.corp.example.test' });
    expect(t.tls.rejectUnauthorized).toBe(true);
    expect(t.tls.minVersion).toBe('TLSv1.2');
  });

  it('passes ca and servername through; insecureTls only when asked', () => {
    const t = resolveTransport({ ...base, url: 'ldaps://127.0.0.9:636', ca: 'PEM', servername: 'dc1.corp.example.test', insecureTls: true });
    expect(t.tls).toMatchObject({ ca: 'PEM', servername: 'dc1.corp.example.test', rejectUnauthorized: false });
  });

  it('StartTLS needs ldap:// and tells Node which host to verify', () => {
    const t = resolveTransport({ ...base, url: 'ldap://dc1.corp.example.test:389', startTls: true });
    expect(t.implicitTls).toBe(false);
    expect(t.tls.host).toBe('dc1.corp.example.test');
  });

  it.each([
    ['ldap://dc1:389', false, 'INSECURE_TRANSPORT'],
    ['ldaps://dc1', true, 'INSECURE_TRANSPORT'],
    ['http://dc1', false, 'INVALID_URL'],
    ['not a url', false, 'INVALID_URL'],
  ])('refuses %s (startTls %s) with %s', (url, startTls, reason) => {
    expect(reasonOf(DirectoryError, () => resolveTransport({ ...base, url, startTls }))).toBe(reason);
  });
});
