/**
 * What every plan entry carries whatever its action (pure): who the user is, the
 * decision (reason code, action, sentence), and the cloud values plan.csv shows. The
 * fingerprint is filled in last (src/plan/fingerprint.ts), once the entry is whole.
 */
import type { GraphUser } from '../graph/user.js';
import { actionOf, type ReasonCode } from './reasons.js';
import type { PlanEntry } from './types.js';

export function baseEntry(user: GraphUser, reason: ReasonCode, message: string): PlanEntry {
  const e: PlanEntry = {
    cloudId: typeof user.id === 'string' ? user.id : '',
    userPrincipalName: typeof user.userPrincipalName === 'string' ? user.userPrincipalName : '',
    displayName: user.displayName ?? null,
    action: actionOf(reason),
    reason,
    message,
    currentImmutableId: user.onPremisesImmutableId ?? null,
    fingerprint: '',
    cloud: {
      givenName: user.givenName ?? null,
      surname: user.surname ?? null,
      mail: user.mail ?? null,
      department: user.department ?? null,
      jobTitle: user.jobTitle ?? null,
      accountEnabled: user.accountEnabled ?? null,
    },
  };
  return e;
}
