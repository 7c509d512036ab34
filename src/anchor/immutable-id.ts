/**
 * immutableId = base64(objectGUID bytes) (or of mS-DS-ConsistencyGuid, which
 * Entra Connect fills with the same bytes). This is what Connect compares with
 * the cloud user's onPremisesImmutableId for a hard match.
 * (learn.microsoft.com/entra/identity/hybrid/connect/plan-connect-design-concepts#sourceanchor)
 */
import { AnchorError } from './errors.js';
import { GUID_BYTE_LENGTH, bytesToGuid, guidToBytes, isGuidString } from './guid.js';

const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function bytesToImmutableId(bytes: Uint8Array): string {
  if (bytes.length !== GUID_BYTE_LENGTH) {
    throw new AnchorError('ANCHOR_BAD_LENGTH', `an objectGUID has ${GUID_BYTE_LENGTH} bytes, got ${bytes.length}`);
  }
  return Buffer.from(bytes).toString('base64');
}

/** Strict base64 decode of an immutableId that must hold a 16-byte GUID. */
export function immutableIdToBytes(immutableId: string): Buffer {
  const value = immutableId.trim();
  if (value === '' || !BASE64_PATTERN.test(value)) {
    throw new AnchorError('ANCHOR_BAD_BASE64', `"${immutableId}" is not valid base64`);
  }
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length !== GUID_BYTE_LENGTH) {
    throw new AnchorError(
      'ANCHOR_BAD_LENGTH',
      `"${immutableId}" decodes to ${bytes.length} bytes, not the ${GUID_BYTE_LENGTH} of a GUID (an immutableId made from another source anchor, or not an immutableId at all)`,
    );
  }
  return bytes;
}

/** True when the immutableId is base64 of exactly 16 bytes, so it can be stamped as mS-DS-ConsistencyGuid. */
export function isGuidImmutableId(immutableId: string): boolean {
  try {
    immutableIdToBytes(immutableId);
    return true;
  } catch {
    return false;
  }
}

/** One spelling per anchor: GUID-sized ids re-encoded, anything else trimmed as is. */
export function canonicalId(value: string): string {
  const v = value.trim();
  return isGuidImmutableId(v) ? immutableIdToBytes(v).toString('base64') : v;
}

export const guidToImmutableId = (guid: string): string => bytesToImmutableId(guidToBytes(guid));
export const immutableIdToGuid = (immutableId: string): string => bytesToGuid(immutableIdToBytes(immutableId));

export interface AnchorForms {
  guid: string;
  immutableId: string;
  /** The stored bytes in hex, as `ldapsearch`/ADSI Edit show them. */
  hex: string;
}

/** Accepts either a GUID string or an immutableId and returns all forms. */
export function describeAnchor(value: string): AnchorForms {
  const bytes = isGuidString(value) ? guidToBytes(value) : immutableIdToBytes(value);
  return { guid: bytesToGuid(bytes), immutableId: bytesToImmutableId(bytes), hex: bytes.toString('hex') };
}
