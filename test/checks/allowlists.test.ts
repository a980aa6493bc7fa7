// Allow-lists (allMatch, noneMatch) over hosts' values.
import { describe, expect, it } from 'vitest';
import { OPERATORS } from '../../src/checks/operators.js';

describe("allowlist matching of hosts' values", () => {
  const allMatch = OPERATORS.allMatch!;
  const spec = { patterns: ['public.ecr.aws/bottlerocket/**', '*a*a*a*a*a*a*a*a*b'] };
  it('never matches a value longer than 4,096 characters, so a long value fails closed and cannot make a glob backtrack', () => {
    expect(allMatch.test('public.ecr.aws/bottlerocket/admin:v1', spec)).toBe(true);
    expect(allMatch.test(`public.ecr.aws/bottlerocket/${'x'.repeat(5000)}`, spec)).toBe(false);
    expect(allMatch.test('a'.repeat(5000), spec)).toBe(false);
  });
  it('shows a long value cut, with any credentials in it redacted before the cut', () => {
    const secret = `https://robot:${'s'.repeat(300)}@registry.example.com/image`;
    const actual = allMatch.actual!({ admin: secret }, spec);
    expect(actual).not.toContain('sss');
    expect(actual).toContain('https://***@registry.example.com/image');
    const long = allMatch.actual!([`evil.example/${'y'.repeat(1000)}`], spec);
    expect(long).toMatch(/… \(1013 characters\)$/);
  });
  it('noneMatch fails on any value that matches, and a value too long to be an image counts as matching', () => {
    const noneMatch = OPERATORS.noneMatch!;
    const plain = { field: 'source', patterns: ['*.dkr.ecr.us-east-1.amazonaws.com/**'] };
    expect(noneMatch.test({ admin: { source: '328549459982.dkr.ecr-fips.us-east-1.amazonaws.com/bottlerocket-admin:v1' } }, plain)).toBe(
      true,
    );
    expect(noneMatch.test({ admin: { source: '328549459982.dkr.ecr.us-east-1.amazonaws.com/bottlerocket-admin:v1' } }, plain)).toBe(false);
    expect(noneMatch.test({ admin: { source: `x/${'a'.repeat(5000)}` } }, plain)).toBe(false);
    expect(noneMatch.actual!({ admin: { source: '328549459982.dkr.ecr.us-east-1.amazonaws.com/a:1' } }, plain)).toBe(
      'admin: 328549459982.dkr.ecr.us-east-1.amazonaws.com/a:1',
    );
    expect(noneMatch.actual!(undefined, plain)).toBe('none configured');
  });
  it('a long default list is named by its label in the expected value', () => {
    const labelled = { field: 'source', patterns: ['a/**', 'b/**'], label: "Bottlerocket's own registries" };
    expect(OPERATORS.allMatch!.expected(labelled)).toBe("every source matching Bottlerocket's own registries");
    expect(OPERATORS.allMatch!.expected({ field: 'source', patterns: ['a/**', 'b/**'] })).toBe('every source matching a/** or b/**');
  });
  it('recorded holds whenever there is a value, and states its expectation in words', () => {
    expect(OPERATORS.recorded!.test(0, 'x')).toBe(true);
    expect(OPERATORS.recorded!.test(undefined, 'x')).toBe(false);
    expect(OPERATORS.recorded!.expected('a level that captures events')).toBe('a level that captures events');
  });
});
