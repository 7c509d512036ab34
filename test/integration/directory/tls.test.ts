/**
 * Certificate verification is on by default and really checks: the DC's
 * certificate is refused without its CA, accepted with it, refused for a
 * name it does not carry; insecureTls is the explicit opt-out.
 */
import { describe, expect, it } from 'vitest';
import { connect, DirectoryError } from '../../../src/directory/index.js';
import { connectionOptions, dcInfo } from '../../harness/dc.js';

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DirectoryError);
    return (error as DirectoryError).reason;
  }
  return 'connected';
}

const { caPem, servername, source } = dcInfo();

describe.runIf(caPem !== undefined)(`TLS verification against the ${source} DC's own CA`, () => {
  it('refuses the certificate without the CA (Node default trust store)', async () => {
    const { ca: _ca, ...withoutCa } = connectionOptions();
    expect(await reasonOf(connect(withoutCa))).toBe('TLS_UNTRUSTED');
  });

  it('accepts it with the CA', async () => {
    const dir = await connect(connectionOptions());
    await dir.close();
  });

  it('refuses it when the expected name is not in it', async () => {
    expect(await reasonOf(connect(connectionOptions({ servername: 'not-the-dc.example.test' })))).toBe('TLS_UNTRUSTED');
  });

  it('refuses a CA that did not issue it', async () => {
    const { generate } = await import('selfsigned');
    const other = await generate([{ name: 'commonName', value: 'someone else' }], { keyType: 'ec', algorithm: 'sha256' });
    expect(await reasonOf(connect(connectionOptions({ ca: other.cert })))).toBe('TLS_UNTRUSTED');
  });

  it('insecureTls: true connects without the CA (explicit lab opt-out)', async () => {
    const { ca: _ca, ...withoutCa } = connectionOptions();
    const dir = await connect({ ...withoutCa, insecureTls: true });
    await dir.close();
  });
});

describe.runIf(source === 'samba')('StartTLS on 389 (lab DC)', () => {
  it('upgrades ldap:// and verifies the same certificate', async () => {
    const host = new URL(connectionOptions().url).hostname;
    const dir = await connect(connectionOptions({ url: `ldap://${host}:389`, startTls: true }));
    expect((await dir.rootDse()).defaultNamingContext).toBe(dcInfo().baseDn);
    await dir.close();
    expect(await reasonOf(connect(connectionOptions({ url: `ldap://${host}:389`, startTls: true, servername: 'wrong.example.test' })))).toBe(
      'TLS_UNTRUSTED',
    );
  });

  it(`the certificate also carries the DC's DNS name (${servername})`, async () => {
    const dir = await connect(connectionOptions({ servername: servername! }));
    await dir.close();
  });
});
