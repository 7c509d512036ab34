/**
 * Input checks on one cloud user, before any decision: what would make an AD entry
 * impossible or wrong. Each problem names the user and the field. A user with a
 * problem ends as BLOCKED_INVALID_USER (never thrown: one bad record must not stop a
 * plan for 100,000).
 */
import type { GraphUser } from '../graph/user.js';
import { ATTRIBUTE_MAX_LENGTH } from './attribute-limits.js';

export interface UserProblem {
  /** UPN when present, else the cloud id, else `(unknown user)`. */
  user: string;
  field: string;
  code: 'MISSING' | 'INVALID' | 'TOO_LONG';
  message: string;
}

const UPN_MAX = ATTRIBUTE_MAX_LENGTH['userPrincipalName']!;

export function userLabel(user: Partial<GraphUser>): string {
  return (typeof user.userPrincipalName === 'string' && user.userPrincipalName) || (typeof user.id === 'string' && user.id) || '(unknown user)';
}

export function validateUser(user: GraphUser): UserProblem[] {
  const problems: UserProblem[] = [];
  const who = userLabel(user);
  const add = (field: string, code: UserProblem['code'], message: string): void => {
    problems.push({ user: who, field, code, message: `${who}: ${field} ${message}` });
  };
  if (typeof user.id !== 'string' || user.id.trim() === '') add('id', 'MISSING', 'is missing');
  const upn = user.userPrincipalName;
  if (typeof upn !== 'string' || upn.trim() === '') {
    add('userPrincipalName', 'MISSING', 'is missing');
  } else {
    const at = upn.indexOf('@');
    if (at <= 0 || at !== upn.lastIndexOf('@') || at === upn.length - 1)
      add('userPrincipalName', 'INVALID', 'must be name@domain with exactly one @');
    else if (/[\s\p{Cc}\p{Cf}]/u.test(upn)) add('userPrincipalName', 'INVALID', 'contains whitespace or control characters');
    else if (!/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/.test(upn.slice(at + 1)))
      add('userPrincipalName', 'INVALID', `has an invalid domain part "${upn.slice(at + 1)}"`);
    if (upn.length > UPN_MAX) add('userPrincipalName', 'TOO_LONG', `is ${upn.length} characters; AD allows ${UPN_MAX}`);
  }
  if (user.proxyAddresses !== undefined && !Array.isArray(user.proxyAddresses))
    add('proxyAddresses', 'INVALID', 'must be an array');
  // mail and SMTP proxy addresses go to AD as they are, and Entra Connect and Exchange read them back:
  // one that is not an SMTP address (a CR/LF, a space, a parenthesis) is refused here rather than written.
  if (typeof user.mail === 'string' && user.mail !== '' && !isSmtpAddress(user.mail)) add('mail', 'INVALID', `${JSON.stringify(user.mail)} is not an SMTP address (name@domain)`);
  if (Array.isArray(user.proxyAddresses)) {
    for (const p of user.proxyAddresses) {
      if (typeof p !== 'string') continue;
      const m = /^smtp:(.*)$/is.exec(p);
      if (m && !isSmtpAddress(m[1]!)) add('proxyAddresses', 'INVALID', `${JSON.stringify(p)} is not an SMTP address (smtp:name@domain)`);
      else if (/[\p{Cc}]/u.test(p)) add('proxyAddresses', 'INVALID', `${JSON.stringify(p)} contains a control character`);
    }
  }
  return problems;
}

/**
 * An address Exchange and Entra Connect accept: RFC 5322 section 3.4.1 addr-spec in its
 * dot-atom form (no quoted local part, no comments, no whitespace or control
 * characters), with a DNS domain of letters, digits and hyphens (RFC 5321 section 4.1.2).
 * Stricter than RFC 5322 on purpose: a quoted or commented address is legal there but
 * never what a mailbox in Exchange Online has.
 */
export function isSmtpAddress(value: string): boolean {
  if (value.length > 320) return false;
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1) return false;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  const atext = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
  if (!new RegExp(`^${atext}(\\.${atext})*$`).test(local) || local.length > 64) return false;
  return /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$/.test(domain);
}
