/**
 * The adapter's debug trail: `NODE_DEBUG=entra2ad` shows every LDAP operation
 * (operation, DN, timing, result), never attribute values, so never a password.
 */
import { debuglog } from 'node:util';

export const debug = debuglog('entra2ad');

/**
 * ldapts logs every request it sends under `NODE_DEBUG=ldapts`, redacting only
 * bind passwords: an add or modify carrying `unicodePwd` would be written to
 * stderr (ldapts 9.2 `Client._send`). We refuse to send passwords then.
 */
export function ldaptsLogsRequests(): boolean {
  return debuglog('ldapts').enabled;
}
