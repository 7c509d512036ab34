import { describe, expect, it } from 'vitest';
import { EXCHANGE_ATTRIBUTE_NAMES, exchangeSchemaOf } from '../../../src/exchange/attributes.js';
import { mailboxLoss, mailboxLossWarning } from '../../../src/verify/mailbox-loss.js';
import type { MailboxFact } from '../../../src/exchange/mailbox-attributes.js';

const FULL = exchangeSchemaOf('directory', EXCHANGE_ATTRIBUTE_NAMES);
const NONE = exchangeSchemaOf('directory', []);
const MAILBOX: MailboxFact = { status: 'mailbox', userPurpose: 'user', kind: 'user' };
const cloud = { mail: 'ann@contoso.example', proxyAddresses: ['SMTP:ann@contoso.example', 'smtp:a@contoso.example', 'smtp:ann@contoso.mail.onmicrosoft.com'] };
const stamped = { mailNickname: ['ann'], targetAddress: ['SMTP:ann@contoso.mail.onmicrosoft.com'], msExchRecipientTypeDetails: ['2147483648'], msExchRecipientDisplayType: ['-1073741818'], msExchRemoteRecipientType: ['1'] };

describe('mailboxLoss', () => {
  it('an AD object without the aliases and attributes: names each', () => {
    expect(mailboxLoss(cloud, MAILBOX, { mail: 'ann@contoso.example', proxyAddresses: ['SMTP:ann@contoso.example'] }, FULL)).toEqual({
      addresses: ['smtp:a@contoso.example', 'smtp:ann@contoso.mail.onmicrosoft.com'],
      attributes: ['mailNickname', 'targetAddress', 'msExchRecipientTypeDetails', 'msExchRecipientDisplayType', 'msExchRemoteRecipientType'],
    });
  });
  it('no mail on the object at all', () => {
    expect(mailboxLoss(cloud, MAILBOX, { proxyAddresses: [] }, NONE)?.addresses).toEqual(['mail ann@contoso.example', ...cloud.proxyAddresses]);
  });
  it('everything there (addresses compared without case): nothing lost', () => {
    expect(mailboxLoss(cloud, MAILBOX, { mail: 'ann@contoso.example', proxyAddresses: cloud.proxyAddresses.map((p) => p.toUpperCase()), exchange: stamped }, FULL)).toBeNull();
  });
  it('a forest without the schema asks for the addresses only', () => {
    expect(mailboxLoss(cloud, MAILBOX, { mail: 'ann@contoso.example', proxyAddresses: cloud.proxyAddresses }, NONE)).toBeNull();
  });
  it('no mailbox, or not known: no warning', () => {
    expect(mailboxLoss(cloud, { status: 'none', code: 'MailboxNotEnabledForRESTAPI' }, { proxyAddresses: [] }, FULL)).toBeNull();
    expect(mailboxLoss(cloud, { status: 'unknown', code: 'ErrorAccessDenied', message: 'x' }, { proxyAddresses: [] }, FULL)).toBeNull();
  });
  it('the warning names what is lost', () => {
    const w = mailboxLossWarning('shared', 'CN=x,DC=y', { addresses: ['smtp:a@b.c'], attributes: ['targetAddress'] });
    expect(w.code).toBe('WARN_MAILBOX_LOSS');
    expect(w.message).toMatch(/shared mailbox will be matched to CN=x,DC=y.*smtp:a@b\.c.*targetAddress/);
  });
});
