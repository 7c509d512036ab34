/**
 * The flags of every command that plans (plan, apply, preflight, verify): the
 * config file and the plan settings a flag may override (src/commands/common.ts
 * lays them over the file's `plan` section), with sign-in and LDAP.
 */
import { z } from 'zod';
import { PASSWORD_MODES } from '../../plan/types.js';
import { cloudSignInFlags } from './cloud.js';
import { ldapFlags } from './directory.js';
import { flag, oneOf } from './flag.js';

export const configFlag = (describe = 'JSON config file (see samples/config.example.json)') => flag(z.string().optional(), { alias: 'c', describe });

const group = 'Planning (override the config file):';
const text = (describe: string) => flag(z.string().optional(), { group, describe });
const onOff = (describe: string) => flag(z.boolean().optional(), { group, describe });
const repeated = (describe: string) => flag(z.array(z.string()).optional(), { group, describe });

/** The plan settings a flag overrides. */
export const planningFlags = {
  config: configFlag(),
  'target-ou': text('DN of the OU new users go to (created if missing)'),
  recover: onOff(
    'Recovery after losing the DC: users that carry an immutableId get it as mS-DS-ConsistencyGuid, under their old logon name, CN and OU; nothing is written to the cloud',
  ),
  /** `OLD=NEW` pairs of DNs for recovery in place (plan.recover.dnMap). */
  'map-dn': repeated('Recovery: OLD=NEW, move users from the old DN (a subtree or domain) to the new one (repeatable; plan.recover.dnMap)'),
  /** Recovery: recreate cloud-managed users too (plan.recover.cloudManaged "recover"). */
  'recover-cloud-managed': onOff(
    'Recovery: also recreate users whose source of authority is the cloud (isCloudManaged true; else blocked: BLOCKED_RECOVER_CLOUD_MANAGED)',
  ),
  'allow-unknown-object-identifier': onOff('Create users whose onPremisesObjectIdentifier could not be read (else blocked: BLOCKED_OBJECT_IDENTIFIER_UNKNOWN)'),
  /** The Get-EXOMailbox export (plan.exchangeCsv). */
  'exchange-csv': text(
    'Exchange Online export: Get-EXOMailbox -ResultSize Unlimited | Select-Object UserPrincipalName,ExchangeGuid,ArchiveGuid,LegacyExchangeDN,RecipientTypeDetails,PrimarySmtpAddress | Export-Csv FILE (gives msExchMailboxGuid, msExchArchiveGuid, X500)',
  ),
  'password-mode': flag(oneOf(PASSWORD_MODES).optional(), { group, describe: 'Initial passwords [default: random]' }),
  'include-disabled': onOff('Plan disabled cloud users too (created disabled) [default: true]'),
  'upn-domain': repeated('Only users whose UPN is in this domain (repeatable)'),
  /** Entra group object ids: only their (transitive) user members are planned. */
  group: repeated('Only users who are members of this Entra group, directly or through nested groups, by object id (repeatable)'),
  filter: text('An extra Graph $filter on users, e.g. "department eq \'Sales\'"'),
};

/** Planning, sign-in and LDAP: what src/commands/common.ts resolves. */
export const commonFlags = { ...planningFlags, ...cloudSignInFlags, ...ldapFlags };

export type PlanFlags = z.output<z.ZodObject<typeof planningFlags>>;
export type CommonArgs = z.output<z.ZodObject<typeof commonFlags>>;
