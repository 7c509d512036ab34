import { Entra2adError, ExitCode } from '../errors.js';

export type LabReason =
  | 'LAB_SAMBA_MISSING'
  | 'LAB_NOT_ROOT'
  | 'LAB_NO_FREE_ADDRESS'
  | 'LAB_PROVISION_FAILED'
  | 'LAB_START_FAILED'
  | 'LAB_NOT_READY';

/** The throwaway lab DC could not be made. Exit 1: nothing about the user's input is wrong. */
export class LabError extends Entra2adError {
  declare readonly reason: LabReason;
  constructor(reason: LabReason, message: string, cause?: unknown) {
    super(reason, message, ExitCode.Failure, cause === undefined ? {} : { cause });
  }
}

/** The apt command that installs everything the lab DC and the integration tests need (Debian/Ubuntu). */
export const SAMBA_INSTALL_COMMAND = 'apt-get update && apt-get install -y samba samba-ad-dc ldb-tools ldap-utils winbind krb5-user';
