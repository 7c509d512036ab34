/**
 * A tenant of our own for the Exchange tests: a user mailbox with aliases and an
 * archive, a shared, a room and an equipment mailbox, a user mailbox the CSV does not
 * list, a licensed-looking user whose mail is not an Exchange Online mailbox (404), and
 * a user without mail at all; plus the Get-EXOMailbox export of the mailboxes, as
 * PowerShell 7 writes it (BOM, every field quoted, CRLF).
 */
import { SAMPLE_TENANT_FILE } from '../../../src/samples/index.js';
import { loadTenant } from '../../../src/sim/index.js';
import type { SnapshotUser, TenantSnapshot } from '../../../src/graph/tenant-snapshot.js';
import { cloudUser } from '../../harness/tenant.js';

export const DOMAIN = 'contoso.example';
/** The hybrid routing domain Exchange Online gives every mailbox (<tenant>.mail.onmicrosoft.com). */
export const ROUTING = 'contoso.mail.onmicrosoft.com';

export interface MailboxCase {
  key: string;
  id: string;
  upn: string;
  purpose: 'user' | 'shared' | 'room' | 'equipment' | null;
  aliases: string[];
  /** In the CSV: ExchangeGuid, ArchiveGuid ('' = none), LegacyExchangeDN. */
  csv?: { exchangeGuid: string; archiveGuid: string; legacyDn: string; type: string };
  mail: boolean;
}

const legacy = (cn: string): string => `/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=${cn}`;
const id = (n: number): string => `e0000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

export const CASES: readonly MailboxCase[] = [
  {
    key: 'ann',
    id: id(1),
    upn: `ann.archive@${DOMAIN}`,
    purpose: 'user',
    aliases: [`smtp:ann@${DOMAIN}`, `smtp:a.archive@${DOMAIN}`],
    csv: { exchangeGuid: '11111111-2222-4333-8444-555555555555', archiveGuid: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', legacyDn: legacy('0a1b2c3d4e5f-ann.archive'), type: 'UserMailbox' },
    mail: true,
  },
  {
    key: 'sales',
    id: id(2),
    upn: `sales.shared@${DOMAIN}`,
    purpose: 'shared',
    aliases: [`smtp:sales@${DOMAIN}`],
    csv: { exchangeGuid: '22222222-3333-4444-8555-666666666666', archiveGuid: '', legacyDn: legacy('1b2c3d4e5f6a-sales.shared'), type: 'SharedMailbox' },
    mail: true,
  },
  {
    key: 'room',
    id: id(3),
    upn: `room.fjord@${DOMAIN}`,
    purpose: 'room',
    aliases: [],
    csv: { exchangeGuid: '33333333-4444-4555-8666-777777777777', archiveGuid: '00000000-0000-0000-0000-000000000000', legacyDn: legacy('2c3d4e5f6a7b-room.fjord'), type: 'RoomMailbox' },
    mail: true,
  },
  {
    key: 'beamer',
    id: id(4),
    upn: `beamer.one@${DOMAIN}`,
    purpose: 'equipment',
    aliases: [],
    csv: { exchangeGuid: '44444444-5555-4666-8777-888888888888', archiveGuid: '', legacyDn: legacy('3d4e5f6a7b8c-beamer.one'), type: 'EquipmentMailbox' },
    mail: true,
  },
  { key: 'bob', id: id(5), upn: `bob.nocsv@${DOMAIN}`, purpose: 'user', aliases: [`smtp:bob@${DOMAIN}`], mail: true },
  { key: 'elsewhere', id: id(6), upn: `mail.elsewhere@${DOMAIN}`, purpose: null, aliases: [], mail: true },
  { key: 'nomail', id: id(7), upn: `no.mailbox@${DOMAIN}`, purpose: null, aliases: [], mail: false },
];

export const caseOf = (key: string): MailboxCase => CASES.find((c) => c.key === key)!;

function userOf(c: MailboxCase): SnapshotUser {
  const local = c.upn.split('@')[0]!;
  const proxies = c.mail ? [`SMTP:${c.upn}`, ...c.aliases, ...(c.purpose ? [`smtp:${local}@${ROUTING}`] : [])] : [];
  return cloudUser(c.id, c.upn, {
    givenName: local.split('.')[0]!,
    surname: local.split('.')[1] ?? 'x',
    accountEnabled: c.purpose === 'user',
    mail: c.mail ? c.upn : null,
    mailNickname: local,
    proxyAddresses: proxies,
    ...(c.purpose ? { mailboxSettings: { userPurpose: c.purpose, timeZone: 'W. Europe Standard Time' } } : {}),
  });
}

/** The sample tenant's domains, roles and sync settings, with our users only. */
export async function exchangeTenant(): Promise<TenantSnapshot> {
  const tenant = await loadTenant(SAMPLE_TENANT_FILE);
  tenant.users = CASES.map(userOf);
  tenant.roleAssignments = [];
  tenant.roleEligibilityScheduleInstances = [];
  return tenant;
}

const q = (v: string): string => `"${v.replace(/"/g, '""')}"`;

/** Get-EXOMailbox | Select-Object ... | Export-Csv, PowerShell 7 style. */
export function exoCsvText(cases: readonly MailboxCase[] = CASES): string {
  const header = ['UserPrincipalName', 'ExchangeGuid', 'ArchiveGuid', 'LegacyExchangeDN', 'RecipientTypeDetails', 'PrimarySmtpAddress'];
  const rows = cases.filter((c) => c.csv).map((c) => [c.upn, c.csv!.exchangeGuid, c.csv!.archiveGuid, c.csv!.legacyDn, c.csv!.type, c.upn]);
  return `\uFEFF${[header, ...rows].map((r) => r.map(q).join(',')).join('\r\n')}\r\n`;
}
