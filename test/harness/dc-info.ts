/**
 * What the integration tests get to reach their DC: `inject('dc')`.
 * Plain data only: it crosses from vitest's main process to the test workers.
 */
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

declare module 'vitest' {
  interface ProvidedContext {
    dc: DcInfo;
  }
}
