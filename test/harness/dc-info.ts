/**
 * What the integration tests get to reach their DC: `inject('dc')`.
 * Plain data only: it crosses from vitest's main process to the test workers.
 */
import type { SambaDc } from '../../src/lab/index.js';

export interface DcInfo {
  /** Where the DC came from: ENTRA2AD_TEST_LDAP_URL, the local Samba lab, or a testcontainers Docker image. */
  source: 'env' | 'samba' | 'docker';
  /** `ldaps://...`. */
  url: string;
  bindDn: string;
  bindPassword: string;
  /** The domain naming context, e.g. `DC=corp,DC=example,DC=test`. */
  baseDn: string;
  /** PEM of the CA that issued the DC's certificate; absent when the DC is trusted through Node's own store. */
  caPem?: string;
  /** The same CA as a file, for OpenLDAP tools (`LDAPTLS_CACERT`). */
  caFile?: string;
  /** Name to verify the certificate against when it differs from the URL's host. */
  servername?: string;
  /** True when the URL's host itself is in the certificate, so tools without a servername option (ldapsearch) verify it. */
  urlHostVerifiable: boolean;
}

/** The DcInfo of a lab DC (src/lab): the harness's default DC and the Exchange-schema one alike. */
export function dcInfoOfSamba(dc: Pick<SambaDc, 'url' | 'bindDn' | 'bindPassword' | 'baseDn' | 'caPem' | 'caFile' | 'servername' | 'tls'>): DcInfo {
  return {
    source: 'samba',
    url: dc.url,
    bindDn: dc.bindDn,
    bindPassword: dc.bindPassword,
    baseDn: dc.baseDn,
    caPem: dc.caPem,
    caFile: dc.caFile,
    servername: dc.servername,
    // The lab CA's certificate names the DC's address too; Samba's own names only its host (src/lab/samba-dc.ts).
    urlHostVerifiable: dc.tls === 'lab-ca',
  };
}

declare module 'vitest' {
  interface ProvidedContext {
    dc: DcInfo;
  }
}
