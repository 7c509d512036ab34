/**
 * What rollback needs from the outside world, and the adapters over the LDAP
 * and Graph adapters.
 *
 * The directory side addresses objects by GUID, never by DN: `<GUID=...>` is
 * an alternative DN form AD accepts wherever a DN is expected
 * ([MS-ADTS] 3.1.1.3.1.2.4; Samba too, measured 4.17 for search, modify and
 * delete). So a delete can only ever hit the object this run created, even if
 * it was moved, or another object now has its old DN.
 */
import { CloudError, graphGet, type AnchorWriter, type Graph } from '../cloud/index.js';
import { DirectoryError, guidDn, type Directory } from '../directory/index.js';
import type { CloudAnchorState } from './decide.js';
import type { AnchorResult } from '../apply/ports.js';

export interface RollbackCloud {
  /** The cloud user's anchor and sync state; undefined when the user does not exist (404). */
  read(item: { cloudId: string; userPrincipalName: string }): Promise<CloudAnchorState | undefined>;
  /** PATCH onPremisesImmutableId: null (batched, retried); may be refused: read the outcome. */
  clear(item: { cloudId: string; userPrincipalName: string }): Promise<AnchorResult>;
}

export interface FoundObject {
  dn: string;
  userAccountControl: number | undefined;
  /** Checked against the user this run created before anything is done to the object. */
  userPrincipalName?: string | undefined;
}

export interface RollbackDirectory {
  /** The object with this objectGUID, wherever it is now; undefined when there is none. */
  findByGuid(objectGuid: string): Promise<FoundObject | undefined>;
  /** Deletes the object with this objectGUID; 'absent' when there was none. */
  deleteByGuid(objectGuid: string): Promise<'deleted' | 'absent'>;
  /** Sets ACCOUNTDISABLE on the object with this objectGUID; returns the new userAccountControl. */
  disableByGuid(objectGuid: string): Promise<number>;
  /** Whether any entry exists at this DN. */
  exists(dn: string): Promise<boolean>;
}

const CLOUD_SELECT = 'id,userPrincipalName,onPremisesImmutableId,onPremisesSyncEnabled,onPremisesLastSyncDateTime';

export function rollbackCloud(graph: Graph, anchors: AnchorWriter): RollbackCloud {
  return {
    async read({ cloudId, userPrincipalName }) {
      try {
        const user = await graphGet<{ onPremisesImmutableId?: string | null; onPremisesSyncEnabled?: boolean | null; onPremisesLastSyncDateTime?: string | null }>(
          graph,
          `/users/${encodeURIComponent(cloudId)}?$select=${CLOUD_SELECT}`,
          { context: { user: userPrincipalName, operation: 'GET user before rollback' } },
        );
        return {
          immutableId: user.onPremisesImmutableId ?? null,
          syncEnabled: user.onPremisesSyncEnabled ?? null,
          lastSyncAt: user.onPremisesLastSyncDateTime ?? null,
        };
      } catch (error) {
        if (error instanceof CloudError && error.reason === 'NOT_FOUND') return undefined;
        throw error;
      }
    },
    clear: (item) => anchors.enqueueClear(item),
  };
}

export function rollbackDirectory(directory: Directory): RollbackDirectory {
  return {
    async findByGuid(objectGuid) {
      try {
        const entry = await directory.readUser(guidDn(objectGuid), ['userAccountControl', 'userPrincipalName']);
        const uac = entry.attributes.userAccountControl?.[0];
        return { dn: entry.dn, userAccountControl: uac === undefined ? undefined : Number(uac), userPrincipalName: entry.attributes.userPrincipalName?.[0] };
      } catch (error) {
        if (error instanceof DirectoryError && error.reason === 'NO_SUCH_OBJECT') return undefined;
        throw error;
      }
    },
    async deleteByGuid(objectGuid) {
      try {
        await directory.deleteEntry(guidDn(objectGuid));
        return 'deleted';
      } catch (error) {
        if (error instanceof DirectoryError && error.reason === 'NO_SUCH_OBJECT') return 'absent';
        throw error;
      }
    },
    disableByGuid: (objectGuid) => directory.disableUser(guidDn(objectGuid)),
    async exists(dn) {
      try {
        await directory.readUser(dn, ['objectGUID']);
        return true;
      } catch (error) {
        if (error instanceof DirectoryError && error.reason === 'NO_SUCH_OBJECT') return false;
        throw error;
      }
    },
  };
}
