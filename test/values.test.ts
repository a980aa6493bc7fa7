// Comparing host data by value.
import { describe, expect, it } from 'vitest';

describe('sameData', () => {
  it('holds parsed values equal only when every item, entry and key order is', async () => {
    const { sameData } = await import('../src/values.js');
    expect(sameData({ a: [1, { b: 'x' }], c: null }, { a: [1, { b: 'x' }], c: null })).toBe(true);
    expect(sameData({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(false);
    expect(sameData({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(sameData({ a: [1] }, { a: { 0: 1 } })).toBe(false);
    expect(sameData({ a: 1 }, { a: '1' })).toBe(false);
    expect(sameData({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(sameData({ a: { b: { c: true } } }, { a: { b: { c: false } } })).toBe(false);
    expect(sameData(null, {})).toBe(false);
    // Dates (TOML datetimes) have no keys of their own: equal only when they are one object.
    expect(sameData({ at: new Date(0) }, { at: new Date(1) })).toBe(false);
    const date = new Date(0);
    expect(sameData({ at: date }, { at: date })).toBe(true);
    // Nesting far deeper than any setting is called different instead of exhausting the stack.
    const nested = (depth: number): unknown => JSON.parse('{"a":'.repeat(depth) + '{}' + '}'.repeat(depth));
    expect(sameData(nested(100_000), nested(100_000))).toBe(false);
    expect(sameData(nested(10), nested(10))).toBe(true);
  });
});
