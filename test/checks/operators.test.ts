// Every operator, table-driven: the value it is given, what it holds for, and what it does not. A row per case; each
// operator needs at least one of each (the last test checks that no operator is left without).
import { describe, expect, it } from 'vitest';
import { OPERATORS } from '../../src/checks/operators.js';
import { VALUE_SHAPES } from '../../src/checks/vocabulary.js';

const file = (path: string, mode: number, owner = 'root', group = 'root') => ({ path, mode, owner, group });
const rule = (fields: Record<string, string>) => ({
  target: 'ACCEPT',
  protocol: 'all',
  in: '*',
  out: '*',
  source: '0.0.0.0/0',
  destination: '0.0.0.0/0',
  extra: '',
  ...fields,
});

/** [operator, the leaf's value, an actual value it holds for, an actual value it fails]. */
const CASES: [string, unknown, unknown, unknown][] = [
  ['eq', '0', '0', 0],
  ['eq', false, false, true],
  ['neq', 'AlwaysAllow', 'Webhook', undefined],
  ['neq', false, true, false],
  ['in', ['integrity', 'confidentiality'], 'integrity', 'none'],
  ['notIn', ['0', 0], '10250', undefined],
  ['notIn', ['0', 0], '10250', 0],
  ['includes', 'restart_on_corruption', ['a', 'restart_on_corruption'], ['a']],
  ['excludes', 'selinux=0', ['quiet'], ['quiet', 'selinux=0']],
  ['includesAny', ['pool', 'server'], ['server', 'driftfile'], ['driftfile']],
  ['nonEmpty', undefined, ['x'], []],
  ['nonEmpty', undefined, 'x', ''],
  ['gte', 1, '5', '0'],
  ['gte', 1, 5, 'many'],
  ['lte', 7, 3, 8],
  ['lte', 7, 7, undefined],
  ['subsetOf', ['a', 'b'], ['a'], ['a', 'c']],
  ['subsetOf', ['a', 'b'], [], 'a'],
  ['unset', undefined, undefined, 'x'],
  ['unset', undefined, [], ['x']],
  ['empty', undefined, [], ['1.2.3']],
  [
    'noEntryWith',
    { enabled: true, superpowered: true },
    { admin: { enabled: false, superpowered: true } },
    { admin: { enabled: true, superpowered: true } },
  ],
  ['noEntryWith', [{ password: '$present' }], { registry: { password: '' } }, { registry: { password: 'hunter2' } }],
  ['allMatch', { patterns: ['public.ecr.aws/bottlerocket/**'] }, ['public.ecr.aws/bottlerocket/x:1'], ['docker.io/x:1']],
  ['allMatch', { field: 'source', patterns: ['a/*'] }, { c: { source: 'a/b' } }, { c: { source: 'a/b/c' } }],
  [
    'noneMatch',
    { field: 'source', patterns: ['*.amazonaws.com/**'] },
    { c: { source: 'a.fips.example/x' } },
    { c: { source: 'x.amazonaws.com/y' } },
  ],
  ['trueOnlyFor', ['chown'], { chown: true, 'sys-admin': false }, { chown: true, 'sys-admin': true }],
  ['paramsExclude', ['selinux=0', 'lockdown=none'], ['quiet', 'selinux=1'], ['lockdown=none']],
  ['ownedBy', 'root:root', [file('/etc/a', 0o600)], [file('/etc/a', 0o600, 'nobody')]],
  ['ownedBy', 'root:root', [file('/etc/a', 0o600, '0', '0')], []],
  ['noneOlderThan', 30, [{ id: 'CVE-1', severity: 'HIGH', ageDays: 30 }], [{ id: 'CVE-1', severity: 'HIGH', ageDays: 31 }]],
  ['recorded', 'a level that captures events', 5, undefined],
  ['noModeBits', '177', [file('/var/log/journal/x', 0o600)], [file('/var/log/journal/x', 0o640)]],
  ['noModeBits', '133', [file('/etc/k', 0o644)], [file('/etc/k', 0o664)]],
  [
    'hasRulesInOrder',
    [
      { target: 'ACCEPT', in: 'lo' },
      { target: 'DROP', source: ['127.0.0.0/8'] },
    ],
    [rule({ in: 'lo' }), rule({ target: 'REJECT' }), rule({ target: 'DROP', source: '127.0.0.0/8' })],
    [rule({ target: 'DROP', source: '127.0.0.0/8' }), rule({ in: 'lo' })],
  ],
];

describe('operators', () => {
  for (const [name, value, holds, fails] of CASES) {
    describe(`${name} ${JSON.stringify(value) ?? ''}`, () => {
      const op = OPERATORS[name]!;
      it('takes a value of its declared shape', () => {
        expect(VALUE_SHAPES[op.value].holds(value)).toBe(true);
      });
      it(`holds for ${JSON.stringify(holds)}`, () => {
        expect(op.test(holds, value)).toBe(true);
      });
      it(`does not hold for ${JSON.stringify(fails)}`, () => {
        expect(op.test(fails, value)).toBe(false);
      });
      it('says what it expects and what it found in words', () => {
        expect(op.expected(value).length).toBeGreaterThan(0);
        for (const actual of [holds, fails]) {
          const text = op.actual ? op.actual(actual, value) : '';
          expect(typeof text).toBe('string');
          expect(text).not.toContain('[object Object]');
        }
      });
    });
  }

  it('every operator has a row', () => {
    expect(new Set(CASES.map(([name]) => name))).toEqual(new Set(Object.keys(OPERATORS)));
  });
});
