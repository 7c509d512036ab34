/**
 * Know the forest: the snapshot reads which Exchange attributes the schema has, from
 * the schema naming context. The harness's default DC has none; the lab DC extended
 * for Exchange (test/harness/exchange-dc.ts) has every one, and takes their values.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, childDn } from '../../../src/directory/index.js';
import { EXCHANGE_ATTRIBUTE_NAMES } from '../../../src/exchange/attributes.js';
import type { SambaDc } from '../../../src/lab/index.js';
import { connectDirectory, dcInfo } from '../../harness/dc.js';
import { startExchangeDc } from '../../harness/exchange-dc.js';
import { newUser, strongPassword, uniqueSam } from '../../harness/users.js';

let exo: SambaDc;
beforeAll(async () => {
  exo = (await startExchangeDc()).dc;
});
afterAll(async () => {
  await exo?.stop();
});

describe('the forest says which Exchange attributes it has', () => {
  it('the default DC: none, read from its schema', async () => {
    await using dir = await connectDirectory();
    const snapshot = await dir.readSnapshot({ targetOu: childDn(dcInfo().baseDn, 'OU', 'absent') });
    expect(snapshot.exchangeSchema).toEqual({ source: 'directory', attributes: [] });
  });

  it('the forest with the extension: all of them, and a user takes their values', async () => {
    await using dir = await connect(exo.connectionOptions());
    const ou = childDn(exo.baseDn, 'OU', 'schema-check');
    await dir.ensureOu(ou);
    const snapshot = await dir.readSnapshot({ targetOu: ou });
    expect(snapshot.exchangeSchema).toEqual({ source: 'directory', attributes: [...EXCHANGE_ATTRIBUTE_NAMES] });

    const sam = uniqueSam('x');
    const entry = newUser(ou, {
      sam,
      attributes: { mailNickname: sam, targetAddress: `SMTP:${sam}@contoso.mail.onmicrosoft.com`, msExchRecipientTypeDetails: '2147483648', msExchRecipientDisplayType: '-1073741818', msExchRemoteRecipientType: '1' },
    });
    await dir.createUser(entry, strongPassword());
    const read = await dir.readUser(entry.dn, ['mailNickname', 'targetAddress', 'msExchRecipientTypeDetails', 'msExchRecipientDisplayType']);
    expect(read.attributes).toMatchObject({ mailNickname: [sam], msExchRecipientTypeDetails: ['2147483648'], msExchRecipientDisplayType: ['-1073741818'] });
  });
});
