import { describe, expect, it } from 'vitest';
import { assumedExchangeSchema, exchangeSchemaOf } from '../../../src/exchange/attributes.js';
import type { ExoMailboxRow } from '../../../src/exchange/exo-csv.js';
import { decideStamp, planMailbox, type MailboxFact } from '../../../src/exchange/mailbox-attributes.js';
import { recipientValues } from '../../../src/exchange/recipient-values.js';

const FULL = assumedExchangeSchema(true);
const NONE = exchangeSchemaOf('directory', []);
const user = { userPrincipalName: 'ada@contoso.test', proxyAddresses: ['SMTP:ada@contoso.test', 'smtp:ada@contoso.mail.onmicrosoft.com'] };
const mailbox = (kind: 'user' | 'shared' | 'room' | 'equipment'): MailboxFact => ({ status: 'mailbox', userPurpose: kind, kind });
const row = (extra: Partial<ExoMailboxRow> = {}): ExoMailboxRow => ({
  row: 2,
  userPrincipalName: 'ada@contoso.test',
  exchangeGuid: '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
  archiveGuid: null,
  legacyExchangeDn: '/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=abc-ada',
  kind: 'user',
  recipientTypeDetails: 'UserMailbox',
  primarySmtpAddress: 'ada@contoso.test',
  ...extra,
});

describe('recipientValues', () => {
  it.each([
    ['user', false, '2147483648', '-1073741818', '1'],
    ['user', true, '2147483648', '-1073741818', '3'],
    ['shared', false, '34359738368', '-2147483642', '97'],
    ['room', false, '8589934592', '-2147481850', '33'],
    ['equipment', true, '17179869184', '-2147481594', '67'],
  ] as const)('%s (archive %s)', (kind, archive, details, display, remote) => {
    expect(recipientValues(kind, archive)).toEqual({ msExchRecipientTypeDetails: details, msExchRecipientDisplayType: display, msExchRemoteRecipientType: remote });
  });
});

describe('planMailbox', () => {
  it('stamps a remote user mailbox with its GUIDs, routing address and X500', () => {
    const p = planMailbox(user, mailbox('user'), row({ archiveGuid: '11111111-2222-3333-4444-555555555555' }), FULL);
    expect(p.attributes).toEqual({
      targetAddress: 'SMTP:ada@contoso.mail.onmicrosoft.com',
      msExchRecipientTypeDetails: '2147483648',
      msExchRecipientDisplayType: '-1073741818',
      msExchRemoteRecipientType: '3',
      msExchMailboxGuid: '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
      msExchArchiveGuid: '11111111-2222-3333-4444-555555555555',
    });
    expect(p.extraProxyAddresses).toEqual(['X500:/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=abc-ada']);
    expect(p.warnings).toEqual([]);
  });

  it('plans nothing for a user without a mailbox', () => {
    const p = planMailbox(user, { status: 'none', code: 'MailboxNotEnabledForRESTAPI' }, undefined, FULL);
    expect(p).toMatchObject({ kind: null, attributes: {}, extraProxyAddresses: [], warnings: [] });
  });

  it('tells an unknown mailbox apart from none, and stamps nothing for it', () => {
    const p = planMailbox(user, { status: 'unknown', code: 'ErrorAccessDenied', message: 'Access is denied' }, undefined, FULL);
    expect(p.attributes).toEqual({});
    expect(p.warnings.map((w) => w.code)).toEqual(['WARN_MAILBOX_UNKNOWN']);
  });

  it('without the Exchange schema lists what it could not stamp, keeping the X500 address', () => {
    const p = planMailbox(user, mailbox('room'), row({ kind: 'room' }), NONE);
    expect(p.attributes).toEqual({});
    expect(p.notInSchema).toEqual(['targetAddress', 'msExchRecipientTypeDetails', 'msExchRecipientDisplayType', 'msExchRemoteRecipientType', 'msExchMailboxGuid']);
    expect(p.extraProxyAddresses).toHaveLength(1);
  });

  it('warns when there is no routing address or no CSV row', () => {
    const p = planMailbox({ userPrincipalName: 'x@contoso.test', proxyAddresses: ['SMTP:x@contoso.test'] }, mailbox('shared'), undefined, FULL);
    expect(p.warnings.map((w) => w.code)).toEqual(['WARN_NO_ROUTING_ADDRESS', 'WARN_NO_EXCHANGE_GUID']);
    expect(p.attributes['msExchRemoteRecipientType']).toBe('97');
  });
});

describe('decideStamp', () => {
  it('adds what is absent, reports what differs, and adds only missing X500 values to proxyAddresses', () => {
    const d = decideStamp(
      { mailNickname: 'ada', targetAddress: 'SMTP:ada@contoso.mail.onmicrosoft.com', msExchMailboxGuid: '3F2504E0-4F89-11D3-9A0C-0305E82C3301', proxyAddresses: ['SMTP:ada@contoso.test', 'smtp:old@contoso.test', 'X500:/o=x/cn=y'] },
      { mailnickname: ['ada.lovelace'], msExchMailboxGuid: ['3f2504e0-4f89-11d3-9a0c-0305e82c3301'], proxyAddresses: ['smtp:ADA@contoso.test'] },
    );
    expect(d.add).toEqual({ targetAddress: ['SMTP:ada@contoso.mail.onmicrosoft.com'], proxyAddresses: ['X500:/o=x/cn=y'] });
    expect(d.differences).toEqual([{ attribute: 'mailNickname', ad: ['ada.lovelace'], planned: ['ada'] }]);
    expect(d.lostAddresses).toEqual(['smtp:old@contoso.test']);
  });

  it('stamps nothing twice: a second decision over the first one\'s result is empty', () => {
    const planned = { targetAddress: 'SMTP:a@b.mail.onmicrosoft.com', proxyAddresses: ['SMTP:a@b.test', 'X500:/o=x/cn=y'] };
    const first = decideStamp(planned, { proxyAddresses: ['SMTP:a@b.test'] });
    const after = { proxyAddresses: ['SMTP:a@b.test', ...first.add['proxyAddresses']!], targetAddress: first.add['targetAddress']! };
    expect(decideStamp(planned, after)).toEqual({ add: {}, differences: [], lostAddresses: [] });
  });
});
