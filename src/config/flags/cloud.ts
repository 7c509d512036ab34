/**
 * The Microsoft Graph sign-in flags (snapshot, plan, apply, preflight, verify, rollback).
 *
 * No yargs defaults: the AZURE_* environment variables fill what is not given at
 * resolution time (src/cloud/cloud-options.ts), so `--help` never prints them.
 * The client secret has no flag: AZURE_CLIENT_SECRET or --client-secret-file.
 */
import { z } from 'zod';
import { AUTH_METHODS } from '../../cloud/cloud-options.js';
import { CLOUD_NAMES } from '../../cloud/national-clouds.js';
import { flag, oneOf } from './flag.js';

const group = 'Microsoft Graph sign-in:';
const text = (describe: string) => flag(z.string().optional(), { group, describe });

export const cloudSignInFlags = {
  'tenant-id': text('Directory (tenant) id [env AZURE_TENANT_ID]'),
  'client-id': text('Application (client) id [env AZURE_CLIENT_ID]'),
  auth: flag(oneOf(AUTH_METHODS).optional(), { group, describe: 'Sign-in method [default: secret/certificate from AZURE_* variables when set]' }),
  'client-secret-file': text('File whose first line is the client secret (or set AZURE_CLIENT_SECRET; there is no flag for the secret itself)'),
  'certificate-path': text('PEM with private key and certificate [env AZURE_CLIENT_CERTIFICATE_PATH]'),
  cloud: flag(oneOf(CLOUD_NAMES).optional(), { group, describe: 'National cloud [default: Public]' }),
  'graph-url': text('Graph endpoint override, e.g. the simulator (https only)'),
  'authority-host': text('Sign-in host override, e.g. the simulator [env AZURE_AUTHORITY_HOST]'),
  'graph-ca-file': text("Extra CA (PEM) to trust for Graph and sign-in, e.g. the simulator's"),
};

export type CloudArgs = z.output<z.ZodObject<typeof cloudSignInFlags>>;
