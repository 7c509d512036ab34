/**
 * userAccountControl flags ([MS-ADTS] 2.2.16; learn.microsoft.com/troubleshoot/windows-server/active-directory/useraccountcontrol-manipulate-account-properties).
 */
export const UAC = {
  ACCOUNTDISABLE: 0x2,
  PASSWD_NOTREQD: 0x20,
  NORMAL_ACCOUNT: 0x200,
  DONT_EXPIRE_PASSWORD: 0x10000,
} as const;

/** A normal account that cannot sign in: how every user starts until its password is set. */
export const UAC_DISABLED_USER = UAC.NORMAL_ACCOUNT | UAC.ACCOUNTDISABLE; // 514

export function isDisabled(userAccountControl: number): boolean {
  return (userAccountControl & UAC.ACCOUNTDISABLE) !== 0;
}
