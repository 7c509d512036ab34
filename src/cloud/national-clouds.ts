/**
 * Microsoft Graph and sign-in endpoints per national cloud.
 * (learn.microsoft.com/graph/deployments#microsoft-graph-and-graph-explorer-service-root-endpoints,
 *  @azure/identity `AzureAuthorityHosts`)
 *
 * USGov (GCC High, L4) and USGovDoD (L5) share the sign-in host but not the Graph host.
 */
import { AzureAuthorityHosts } from '@azure/identity';

export const CLOUD_NAMES = ['Public', 'USGov', 'USGovDoD', 'China'] as const;
export type CloudName = (typeof CLOUD_NAMES)[number];

export interface CloudEndpoints {
  /** Graph service root, without the version segment. */
  graphUrl: string;
  /** Microsoft Entra sign-in host (MSAL authority host). */
  authorityHost: string;
}

export const NATIONAL_CLOUDS: Readonly<Record<CloudName, CloudEndpoints>> = {
  Public: { graphUrl: 'https://graph.microsoft.com', authorityHost: AzureAuthorityHosts.AzurePublicCloud },
  USGov: { graphUrl: 'https://graph.microsoft.us', authorityHost: AzureAuthorityHosts.AzureGovernment },
  USGovDoD: { graphUrl: 'https://dod-graph.microsoft.us', authorityHost: AzureAuthorityHosts.AzureGovernment },
  China: { graphUrl: 'https://microsoftgraph.chinacloudapi.cn', authorityHost: AzureAuthorityHosts.AzureChina },
};

export function isCloudName(value: string): value is CloudName {
  return (CLOUD_NAMES as readonly string[]).includes(value);
}
