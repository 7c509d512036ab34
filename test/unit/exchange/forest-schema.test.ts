import { describe, expect, it } from 'vitest';
import { describeExchangeSchema, EXCHANGE_ATTRIBUTE_NAMES, effectiveExchangeSchema, exchangeSchemaOf } from '../../../src/exchange/attributes.js';

const FULL = exchangeSchemaOf('directory', EXCHANGE_ATTRIBUTE_NAMES.map((n) => n.toLowerCase()));
const NONE = exchangeSchemaOf('directory', []);

describe('effectiveExchangeSchema', () => {
  it.each<[string, Parameters<typeof effectiveExchangeSchema>[0], boolean | undefined, { source: string; count: number; turnedOff?: number }]>([
    ['forest with the extension, no setting', FULL, undefined, { source: 'directory', count: EXCHANGE_ATTRIBUTE_NAMES.length }],
    ['forest without it, no setting', NONE, undefined, { source: 'directory', count: 0 }],
    ['setting true cannot add what the forest lacks', NONE, true, { source: 'directory', count: 0 }],
    ['setting true on a forest that has it', FULL, true, { source: 'directory', count: EXCHANGE_ATTRIBUTE_NAMES.length }],
    ['setting false turns it off', FULL, false, { source: 'settings', count: 0, turnedOff: EXCHANGE_ATTRIBUTE_NAMES.length }],
    ['no directory, setting true: assumed', undefined, true, { source: 'settings', count: EXCHANGE_ATTRIBUTE_NAMES.length }],
    ['no directory, no setting: none', undefined, undefined, { source: 'settings', count: 0 }],
  ])('%s', (_name, read, setting, want) => {
    const s = effectiveExchangeSchema(read, setting);
    expect(s.source).toBe(want.source);
    expect(s.attributes).toHaveLength(want.count);
    expect(s.turnedOff?.length).toBe(want.turnedOff);
  });

  it('keeps canonical names whatever case the schema spells them in', () => {
    expect(exchangeSchemaOf('directory', ['MAILNICKNAME', 'msexchmailboxguid']).attributes).toEqual(['mailNickname', 'msExchMailboxGuid']);
  });

  it('says what a forest without the schema means, and what to do', () => {
    const text = describeExchangeSchema(NONE);
    expect(text).toMatch(/only mail and proxyAddresses/);
    expect(text).toMatch(/PrepareSchema/);
    expect(text).toMatch(/2\.5\.76/);
    expect(describeExchangeSchema(exchangeSchemaOf('directory', ['mailNickname']))).toMatch(/missing: targetAddress/);
  });
});
