// Globs for allow-lists, waivers and host selectors: the same answers a regular expression would give, without one.
import { describe, expect, it } from 'vitest';
import { glob } from '../src/glob.js';

/** What a glob means, spelled as a regular expression: `*` any run but `/`, `**` any run, the rest literal. */
function reference(pattern: string): RegExp {
  const body = pattern
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((lit) => lit.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('.*');
  return new RegExp(`^${body}$`, 's');
}

describe('glob', () => {
  it('matches as the reference does on thousands of random globs and values', () => {
    let seed = 3;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pick = (chars: string, n: number) => Array.from({ length: n }, () => chars[Math.floor(random() * chars.length)]).join('');
    let compared = 0;
    for (let i = 0; i < 4000; i++) {
      const pattern = pick('ab/*.', 1 + Math.floor(random() * 8));
      const value = pick('ab/.', Math.floor(random() * 10));
      expect(glob(pattern).test(value), `${pattern} ~ ${value}`).toBe(reference(pattern).test(value));
      compared++;
    }
    expect(compared).toBe(4000);
  });

  it('reads the allow-lists brsec ships', () => {
    expect(
      glob('328549459982.dkr.ecr.us-west-2.amazonaws.com/**').test('328549459982.dkr.ecr.us-west-2.amazonaws.com/bottlerocket-admin:v1'),
    ).toBe(true);
    expect(glob('328549459982.dkr.ecr.*.amazonaws.com/**').test('328549459982.dkr.ecr.x.evil.com/.amazonaws.com/a')).toBe(false);
    expect(glob('BR-3.4.*').test('BR-3.4.1.1')).toBe(true);
    expect(glob('ip-10-*-*-*').test('ip-10-0-1-23')).toBe(true);
    expect(glob('a*/b').test('a/x/b')).toBe(false);
    expect(glob('a**b').test('a/x/b')).toBe(true);
  });

  it('answers at once for globs and values that make a regular expression backtrack', () => {
    // 18 stars against 1,000 characters, and a host selector against a 3,000-character name (issue 12).
    expect(glob(`${'*a'.repeat(18)}*b`).test('a'.repeat(1000))).toBe(false);
    expect(glob('ip-10-*-*-*').test(`ip-10-${'1-'.repeat(1500)}/x`)).toBe(false);
    expect(glob(`${'*'.repeat(12)}x`).test(`${'y'.repeat(5000)}x`)).toBe(true);
  });
});
