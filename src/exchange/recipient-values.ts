/**
 * What a remote mailbox (an AD user whose mailbox lives in Exchange Online) carries
 * in msExchRecipientTypeDetails, msExchRecipientDisplayType and
 * msExchRemoteRecipientType, per mailbox kind: the values on-premises Exchange itself
 * writes when an admin runs `Enable-RemoteMailbox [-Shared|-Room|-Equipment] [-Archive]`
 * for a mailbox that exists in the cloud, which is what the Exchange Team recommends
 * for mailboxes created in Exchange Online in a hybrid organisation ("On provisioning
 * mailboxes in Exchange Online when in Hybrid", techcommunity.microsoft.com/t5/exchange-team-blog/on-provisioning-mailboxes-in-exchange-online-when-in-hybrid/ba-p/1406335;
 * learn.microsoft.com/powershell/module/exchange/enable-remotemailbox).
 *
 * Sources of the numbers (Microsoft documents the enum NAMES, not their values):
 * - msExchRecipientTypeDetails: Microsoft.Exchange.Data.Directory.Recipient.RecipientTypeDetails
 *   (learn.microsoft.com/previous-versions/office/exchange-server-api/ff344739(v=exchg.150)) names
 *   RemoteUserMailbox, RemoteRoomMailbox, RemoteEquipmentMailbox, RemoteSharedMailbox;
 *   the values 0x80000000, 0x200000000, 0x400000000, 0x800000000 are from a Microsoft
 *   support engineer's TechNet blog (blogs.technet.microsoft.com/johnbai/2013/09/11/o365-exchange-and-ad-how-msexchrecipientdisplaytype-and-msexchangerecipienttypedetails-relate-to-your-on-premises/).
 * - msExchRecipientDisplayType: same blog. A remote user mailbox written by Exchange
 *   2013 or later is ACLableSyncedMailboxUser (-1073741818; Set-RemoteMailbox
 *   -ACLableSyncedObjectEnabled); shared SyncedMailboxUser (-2147483642), room
 *   SyncedConferenceRoomMailbox (-2147481850), equipment SyncedEquipmentMailbox (-2147481594).
 * - msExchRemoteRecipientType: flags of the RemoteRecipientType enum (ProvisionMailbox 1,
 *   ProvisionArchive 2, Migrated 4, RoomMailbox 32, EquipmentMailbox 64, SharedMailbox 96),
 *   values from blogs.technet.microsoft.com/dkegg/2015/03/26/msexchremoterecipienttype/
 *   and the johnbai blog's addendum (97 = shared, provisioned).
 * These three rest on Microsoft employees' blogs, not on a reference page: README lists them.
 */

export type MailboxKind = 'user' | 'shared' | 'room' | 'equipment';

export const MAILBOX_KINDS: readonly MailboxKind[] = ['user', 'shared', 'room', 'equipment'];

export const RECIPIENT_TYPE_DETAILS: Readonly<Record<MailboxKind, bigint>> = {
  user: 0x80000000n, // RemoteUserMailbox 2147483648
  room: 0x200000000n, // RemoteRoomMailbox 8589934592
  equipment: 0x400000000n, // RemoteEquipmentMailbox 17179869184
  shared: 0x800000000n, // RemoteSharedMailbox 34359738368
};

export const RECIPIENT_DISPLAY_TYPE: Readonly<Record<MailboxKind, number>> = {
  user: -1073741818, // ACLableSyncedMailboxUser
  shared: -2147483642, // SyncedMailboxUser
  room: -2147481850, // SyncedConferenceRoomMailbox
  equipment: -2147481594, // SyncedEquipmentMailbox
};

/** RemoteRecipientType flags. */
export const REMOTE_RECIPIENT_TYPE = {
  ProvisionMailbox: 1,
  ProvisionArchive: 2,
  Migrated: 4,
  RoomMailbox: 32,
  EquipmentMailbox: 64,
  SharedMailbox: 96,
} as const;

const KIND_FLAG: Readonly<Record<MailboxKind, number>> = {
  user: 0,
  shared: REMOTE_RECIPIENT_TYPE.SharedMailbox,
  room: REMOTE_RECIPIENT_TYPE.RoomMailbox,
  equipment: REMOTE_RECIPIENT_TYPE.EquipmentMailbox,
};

export interface RecipientValues {
  msExchRecipientTypeDetails: string;
  msExchRecipientDisplayType: string;
  msExchRemoteRecipientType: string;
}

/** The three values for a mailbox of this kind (with an archive or not), as LDAP strings. */
export function recipientValues(kind: MailboxKind, hasArchive: boolean): RecipientValues {
  const remote = REMOTE_RECIPIENT_TYPE.ProvisionMailbox | KIND_FLAG[kind] | (hasArchive ? REMOTE_RECIPIENT_TYPE.ProvisionArchive : 0);
  return {
    msExchRecipientTypeDetails: RECIPIENT_TYPE_DETAILS[kind].toString(),
    msExchRecipientDisplayType: String(RECIPIENT_DISPLAY_TYPE[kind]),
    msExchRemoteRecipientType: String(remote),
  };
}

/**
 * Graph's mailboxSettings.userPurpose (learn.microsoft.com/graph/api/resources/mailboxsettings:
 * user, linked, shared, room, equipment, others, unknownFutureValue) -> our kind; null for
 * the ones with no remote-mailbox equivalent here (linked, others...).
 */
export function kindOfUserPurpose(userPurpose: string | null | undefined): MailboxKind | null {
  const p = (userPurpose ?? '').toLowerCase();
  return (MAILBOX_KINDS as readonly string[]).includes(p) ? (p as MailboxKind) : null;
}

/** Get-EXOMailbox RecipientTypeDetails (UserMailbox, SharedMailbox, RoomMailbox, EquipmentMailbox) -> our kind. */
export function kindOfRecipientTypeDetails(value: string): MailboxKind | null {
  switch (value.trim().toLowerCase()) {
    case 'usermailbox':
      return 'user';
    case 'sharedmailbox':
      return 'shared';
    case 'roommailbox':
      return 'room';
    case 'equipmentmailbox':
      return 'equipment';
    default:
      return null;
  }
}
