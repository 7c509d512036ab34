/**
 * Which AD objects verify needs for the users of one run (pure).
 *
 * predictSync (predict.ts) says something about a cloud user only through an AD object
 * that carries its anchor (hard match), its primary SMTP address or its UPN (soft
 * match, or the clash that makes a duplicate); every other AD object's prediction is
 * about another cloud user, and verify after apply keeps only the run's
 * (VerifyInput.onlyCloudIds). So the objects holding one of those values are all the
 * prediction for the run can depend on, and reading only them predicts the same.
 *
 * Anchors are searched as raw bytes in objectGUID and mS-DS-ConsistencyGuid (an
 * immutableId is the base64 of one of them: src/anchor/immutable-id.ts); the SMTP
 * address as an `SMTP:` proxy address (AD matches proxyAddresses ignoring case, so
 * aliases are found too) and as `mail`, which predict.ts falls back to.
 */
import type { GraphUser } from '../graph/user.js';
import type { SnapshotScope } from '../directory/scope.js';
import { primarySmtp } from './predict.js';

export function runScope(cloudUsers: readonly GraphUser[], runCloudIds: ReadonlySet<string>): SnapshotScope {
  const ids = new Set([...runCloudIds].map((id) => id.toLowerCase()));
  const scope = { userPrincipalNames: [] as string[], proxyAddresses: [] as string[], mails: [] as string[], anchors: [] as Buffer[] };
  for (const user of cloudUsers) {
    if (!ids.has(user.id.toLowerCase())) continue;
    const upn = user.userPrincipalName?.trim();
    if (upn) scope.userPrincipalNames.push(upn);
    const smtp = primarySmtp(user.proxyAddresses, user.mail);
    if (smtp) {
      scope.proxyAddresses.push(`SMTP:${smtp}`);
      scope.mails.push(smtp);
    }
    const anchor = user.onPremisesImmutableId?.trim();
    if (anchor) {
      const bytes = Buffer.from(anchor, 'base64');
      if (bytes.length > 0) scope.anchors.push(bytes);
    }
  }
  return scope;
}
