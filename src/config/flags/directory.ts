/**
 * The LDAP flags (plan, apply, preflight, verify, rollback). No yargs defaults:
 * the config file's directory section and the ENTRA2AD_* variables fill what is
 * not given (src/config/directory-args.ts). The bind password has no flag:
 * ENTRA2AD_BIND_PASSWORD or --bind-password-file.
 */
import { z } from 'zod';
import { flag } from './flag.js';

export const BIND_PASSWORD_ENV = 'ENTRA2AD_BIND_PASSWORD';

const group = 'Active Directory (LDAPS):';
const text = (describe: string) => flag(z.string().optional(), { group, describe });
const onOff = (describe: string) => flag(z.boolean().optional(), { group, describe });

export const ldapFlags = {
  'ldap-url': text('ldaps://dc.example.com (or ldap:// with --start-tls) [env ENTRA2AD_LDAP_URL]'),
  'bind-dn': text('Bind as this DN or UPN [env ENTRA2AD_BIND_DN]'),
  'bind-password-file': text(`File whose first line is the bind password (or set ${BIND_PASSWORD_ENV}; there is no flag for the password itself)`),
  'ldap-ca-file': text('PEM of the CA that issued the DC certificate [env ENTRA2AD_LDAP_CA_FILE]'),
  'ldap-servername': text('Name to verify the DC certificate against, when the URL uses another name or an IP'),
  'start-tls': onOff('Upgrade ldap:// with StartTLS before binding'),
  'insecure-skip-tls-verify': onOff('LAB ONLY: do not verify the DC certificate (anyone in the middle can read every password)'),
};

export type DirectoryArgs = z.output<z.ZodObject<typeof ldapFlags>>;
