/**
 * objectGUID bytes <-> GUID string.
 *
 * AD stores objectGUID as 16 bytes in the order of .NET `Guid.ToByteArray()`:
 * the first three fields (4, 2, 2 bytes) little-endian, the last 8 bytes as
 * written. `f7cc07d7-7c15-447d-876d-c01b0e5a9e38` is therefore stored as
 * `d7 07 cc f7 15 7c 7d 44 87 6d c0 1b 0e 5a 9e 38`.
 * (learn.microsoft.com/dotnet/api/system.guid.tobytearray; [MS-DTYP] 2.3.4.2 GUID packet representation)
 */
import { AnchorError } from './errors.js';

const GUID_PATTERN = /^\{?([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})\}?$/i;

/** The byte order of the first three fields in AD's layout. */
const LITTLE_ENDIAN_ORDER = [3, 2, 1, 0, 5, 4, 7, 6] as const;

export const GUID_BYTE_LENGTH = 16;

export function isGuidString(value: string): boolean {
  return GUID_PATTERN.test(value.trim());
}

/** `f7cc07d7-...` (braces allowed, any case) -> the 16 bytes AD stores. */
export function guidToBytes(guid: string): Buffer {
  const match = GUID_PATTERN.exec(guid.trim());
  if (!match) {
    throw new AnchorError('ANCHOR_NOT_A_GUID', `"${guid}" is not a GUID (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)`);
  }
  const canonical = Buffer.from(match.slice(1).join(''), 'hex');
  const out = Buffer.alloc(GUID_BYTE_LENGTH);
  LITTLE_ENDIAN_ORDER.forEach((from, to) => {
    out[to] = canonical[from]!;
  });
  canonical.copy(out, 8, 8);
  return out;
}

/** The 16 bytes AD stores -> `f7cc07d7-7c15-447d-876d-c01b0e5a9e38` (lower case). */
export function bytesToGuid(bytes: Uint8Array): string {
  if (bytes.length !== GUID_BYTE_LENGTH) {
    throw new AnchorError('ANCHOR_BAD_LENGTH', `a GUID has ${GUID_BYTE_LENGTH} bytes, got ${bytes.length}`);
  }
  const canonical = Buffer.alloc(GUID_BYTE_LENGTH);
  LITTLE_ENDIAN_ORDER.forEach((from, to) => {
    canonical[from] = bytes[to]!;
  });
  Buffer.from(bytes.subarray(8)).copy(canonical, 8);
  const hex = canonical.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
