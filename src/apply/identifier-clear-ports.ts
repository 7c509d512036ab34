/**
 * The adapters apply --clear-object-identifier runs on (src/apply/identifier-clear.ts):
 * the AD object read by `<GUID=...>` ([MS-ADTS] 3.1.1.3.1.2.4, so a moved object is
 * still found and another object at the old DN never is), and the Graph beta read
 * and PATCH of onPremisesObjectIdentifier (a property in no v1.0 schema;
 * learn.microsoft.com/entra/identity/hybrid/connect/tshoot-clear-on-premises-attributes).
 */
import { CloudError, graphGet, graphRequest, type Graph } from '../cloud/index.js';
import { DirectoryError, guidDn, type Directory } from '../directory/index.js';
import type { IdentifierClearPorts } from './identifier-clear.js';

const CONSISTENCY_GUID = 'mS-DS-ConsistencyGuid';

export function identifierClearPorts(graph: Graph, directory: Directory): IdentifierClearPorts {
  return {
    async readAd(objectGuid) {
      try {
        const entry = await directory.readUser(guidDn(objectGuid), [CONSISTENCY_GUID]);
        const bytes = entry.binary[CONSISTENCY_GUID]?.[0];
        return { dn: entry.dn, consistencyGuid: bytes ? bytes.toString('base64') : undefined };
      } catch (error) {
        if (error instanceof DirectoryError && error.reason === 'NO_SUCH_OBJECT') return undefined;
        throw error;
      }
    },
    async readIdentifier(cloudId, userPrincipalName) {
      const user = await graphGet<{ onPremisesObjectIdentifier?: unknown }>(graph, `${graph.baseUrl}/beta/users/${encodeURIComponent(cloudId)}?$select=id,onPremisesObjectIdentifier`, {
        context: { user: userPrincipalName, operation: 'GET /beta/users onPremisesObjectIdentifier' },
      });
      const value = user.onPremisesObjectIdentifier;
      return typeof value === 'string' && value.trim() !== '' ? value : null;
    },
    async clear(cloudId, userPrincipalName) {
      await graphRequest(graph, 'PATCH', `${graph.baseUrl}/beta/users/${encodeURIComponent(cloudId)}`, { onPremisesObjectIdentifier: null }, {
        context: { user: userPrincipalName, operation: 'clear onPremisesObjectIdentifier' },
      });
    },
    isForbidden: (error) => error instanceof CloudError && error.reason === 'FORBIDDEN',
  };
}
