import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AnchorError,
  bytesToGuid,
  bytesToImmutableId,
  describeAnchor,
  guidToBytes,
  guidToImmutableId,
  immutableIdToBytes,
  immutableIdToGuid,
  isGuidImmutableId,
  isGuidString,
} from '../../../src/anchor/index.js';
import { reasonOf } from '../../harness/errors.js';

describe('vectors in Guid.ToByteArray order (learn.microsoft.com/dotnet/api/system.guid.tobytearray)', () => {
  it('f7cc07d7-7c15-447d-876d-c01b0e5a9e38 -> 1wfM9xV8fUSHbcAbDlqeOA==', () => {
    expect(guidToImmutableId('f7cc07d7-7c15-447d-876d-c01b0e5a9e38')).toBe('1wfM9xV8fUSHbcAbDlqeOA==');
    expect(immutableIdToGuid('1wfM9xV8fUSHbcAbDlqeOA==')).toBe('f7cc07d7-7c15-447d-876d-c01b0e5a9e38');
    expect(guidToBytes('f7cc07d7-7c15-447d-876d-c01b0e5a9e38').toString('hex')).toBe('d707ccf7157c7d44876dc01b0e5a9e38');
  });

  it('bcd2e574-8d58-4136-a9df-8a19b145db79 -> 74 E5 D2 BC 58 8D 36 41 A9 DF 8A 19 B1 45 DB 79', () => {
    const bytes = Buffer.from([0x74, 0xe5, 0xd2, 0xbc, 0x58, 0x8d, 0x36, 0x41, 0xa9, 0xdf, 0x8a, 0x19, 0xb1, 0x45, 0xdb, 0x79]);
    expect(guidToBytes('bcd2e574-8d58-4136-a9df-8a19b145db79').equals(bytes)).toBe(true);
    expect(bytesToGuid(bytes)).toBe('bcd2e574-8d58-4136-a9df-8a19b145db79');
    expect(bytesToImmutableId(bytes)).toBe(bytes.toString('base64'));
  });

  it('accepts braces, upper case and surrounding spaces; answers lower case', () => {
    expect(bytesToGuid(guidToBytes(' {F7CC07D7-7C15-447D-876D-C01B0E5A9E38} '))).toBe('f7cc07d7-7c15-447d-876d-c01b0e5a9e38');
    expect(isGuidString('{F7CC07D7-7C15-447D-876D-C01B0E5A9E38}')).toBe(true);
  });

  it('describeAnchor gives every form from either input', () => {
    const forms = { guid: 'f7cc07d7-7c15-447d-876d-c01b0e5a9e38', immutableId: '1wfM9xV8fUSHbcAbDlqeOA==', hex: 'd707ccf7157c7d44876dc01b0e5a9e38' };
    expect(describeAnchor(forms.guid)).toEqual(forms);
    expect(describeAnchor(forms.immutableId)).toEqual(forms);
  });
});

describe('round trips (property)', () => {
  const sixteen = fc.uint8Array({ minLength: 16, maxLength: 16 });

  it('bytes -> GUID -> bytes', () => {
    fc.assert(
      fc.property(sixteen, (raw) => {
        expect(guidToBytes(bytesToGuid(raw)).equals(Buffer.from(raw))).toBe(true);
      }),
    );
  });

  it('bytes -> immutableId -> bytes, and the immutableId is plain base64 of the stored bytes', () => {
    fc.assert(
      fc.property(sixteen, (raw) => {
        const id = bytesToImmutableId(raw);
        expect(id).toBe(Buffer.from(raw).toString('base64'));
        expect(immutableIdToBytes(id).equals(Buffer.from(raw))).toBe(true);
        expect(isGuidImmutableId(id)).toBe(true);
      }),
    );
  });

  it('GUID -> immutableId -> GUID', () => {
    fc.assert(
      fc.property(fc.uuid(), (guid) => {
        expect(immutableIdToGuid(guidToImmutableId(guid))).toBe(guid.toLowerCase());
      }),
    );
  });
});

describe('malformed input', () => {
  it.each([['not-a-guid'], [''], ['f7cc07d7-7c15-447d-876d-c01b0e5a9e3'], ['f7cc07d77c15447d876dc01b0e5a9e38'], ['g7cc07d7-7c15-447d-876d-c01b0e5a9e38']])(
    'guidToBytes(%j) -> ANCHOR_NOT_A_GUID',
    (value) => {
      expect(reasonOf(AnchorError, () => guidToBytes(value))).toBe('ANCHOR_NOT_A_GUID');
    },
  );

  it.each([[0], [15], [17], [32]])('%d bytes -> ANCHOR_BAD_LENGTH', (length) => {
    expect(reasonOf(AnchorError, () => bytesToGuid(new Uint8Array(length)))).toBe('ANCHOR_BAD_LENGTH');
    expect(reasonOf(AnchorError, () => bytesToImmutableId(new Uint8Array(length)))).toBe('ANCHOR_BAD_LENGTH');
  });

  it.each([[''], ['!!!!'], ['1wfM9xV8fUSHbcAbDlqeOA='], ['1wfM9xV8fUSHbcAbDlqeOA=!'], ['1wfM9xV8fUSH bcAbDlqeOA==']])(
    'immutableIdToBytes(%j) -> ANCHOR_BAD_BASE64',
    (value) => {
      expect(reasonOf(AnchorError, () => immutableIdToBytes(value))).toBe('ANCHOR_BAD_BASE64');
      expect(isGuidImmutableId(value)).toBe(false);
    },
  );

  it('valid base64 of the wrong length -> ANCHOR_BAD_LENGTH (e.g. an immutableId made from a UPN)', () => {
    expect(reasonOf(AnchorError, () => immutableIdToBytes(Buffer.from('alice@contoso.com').toString('base64')))).toBe('ANCHOR_BAD_LENGTH');
    expect(reasonOf(AnchorError, () => immutableIdToBytes(Buffer.alloc(15).toString('base64')))).toBe('ANCHOR_BAD_LENGTH');
  });

  it('describeAnchor of something that is neither -> ANCHOR_BAD_BASE64', () => {
    expect(reasonOf(AnchorError, () => describeAnchor('definitely not an anchor'))).toBe('ANCHOR_BAD_BASE64');
  });
});
