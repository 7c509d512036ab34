/**
 * Microsoft Graph and sign-in endpoints per national cloud.
 * (learn.microsoft.com/graph/deployments#microsoft-graph-and-graph-explorer-service-root-endpoints,
 *  @azure/identity `AzureAuthorityHosts`)
 *
 * USGov (GCC High, L4) and USGovDoD (L5) share the sign-in host but not the Graph host.
 * The sign-in hosts are spelled out rather than imported from @azure/identity so
 * that the CLI's flag definitions do not load the identity library for every
 * command (a unit test checks they equal AzureAuthorityHosts).
 */

export const CLOUD_NAMES = ['Public', 'USGov', 'USGovDoD', 'China'] as const;
export type CloudName = (typeof CLOUD_NAMES)[number];

export interface CloudEndpoints {
  /** Graph service root, without the version segment. */
  graphUrl: string;
  /** Microsoft Entra sign-in host (MSAL authority host). */
  authorityHost: string;
}

export const NATIONAL_CLOUDS: Readonly<Record<CloudName, CloudEndpoints>> = {
  Public: { graphUrl: 'https://graph.microsoft.com', authorityHost: 'https://login.microsoftonline.com' },
  USGov: { graphUrl: 'https://graph.microsoft.us', authorityHost: 'https://login.microsoftonline.us' },
  USGovDoD: { graphUrl: 'https://dod-graph.microsoft.us', authorityHost: 'https://login.microsoftonline.us' },
  China: { graphUrl: 'https://microsoftgraph.chinacloudapi.cn', authorityHost: 'https://login.chinacloudapi.cn' },
};

export function isCloudName(value: string): value is CloudName {
  return (CLOUD_NAMES as readonly string[]).includes(value);
}
