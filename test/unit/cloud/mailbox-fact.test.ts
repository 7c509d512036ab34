import { describe, expect, it } from 'vitest';
import { mailboxFactOf } from '../../../src/cloud/mailbox-reader.js';

const err = (code: string, message = 'x') => ({ error: { code, message } });

describe('mailboxFactOf: no mailbox, a mailbox, or unknown', () => {
  it.each<[string, number, unknown, unknown]>([
    ['a user mailbox', 200, { userPurpose: 'user' }, { status: 'mailbox', userPurpose: 'user', kind: 'user' }],
    ['a room', 200, { userPurpose: 'room' }, { status: 'mailbox', userPurpose: 'room', kind: 'room' }],
    ['a linked mailbox: a mailbox with no remote kind here', 200, { userPurpose: 'linked' }, { status: 'mailbox', userPurpose: 'linked', kind: null }],
    ['no Exchange Online mailbox', 404, err('MailboxNotEnabledForRESTAPI'), { status: 'none', code: 'MailboxNotEnabledForRESTAPI' }],
    ['ErrorInvalidUser', 404, err('ErrorInvalidUser'), { status: 'none', code: 'ErrorInvalidUser' }],
    ['the user is gone: not "no mailbox"', 404, err('Request_ResourceNotFound', 'gone'), { status: 'unknown', code: 'Request_ResourceNotFound', message: 'Request_ResourceNotFound: gone' }],
  ])('%s', (_name, status, body, want) => {
    expect(mailboxFactOf(status, body)).toEqual(want);
  });

  it('a 403 is unknown and names MailboxSettings.Read, whatever its code', () => {
    for (const code of ['ErrorAccessDenied', 'Authorization_RequestDenied']) {
      const fact = mailboxFactOf(403, err(code));
      expect(fact).toMatchObject({ status: 'unknown', code });
      expect(fact !== 'retry' && fact.status === 'unknown' && fact.message).toMatch(/MailboxSettings\.Read/);
    }
  });

  it('throttling and server errors are retried', () => {
    expect(mailboxFactOf(429, err('TooManyRequests'))).toBe('retry');
    expect(mailboxFactOf(503, undefined)).toBe('retry');
  });
});
