// apiclient JSON: settings, os, update status and bloodhound reports.
import { describe, expect, it } from 'vitest';
import { parseBloodhoundReport, parseUpdateStatus } from '../../src/facts/apiclient.js';
import { ParseError } from '../../src/facts/parse-error.js';

describe('apiclient JSON', () => {
  it('bloodhound status as a string or an override object', () => {
    const report = parseBloodhoundReport(
      JSON.stringify({
        name: 'CIS Kubernetes Benchmark (Worker Node)',
        version: 'v1.11.1',
        results: {
          k8s04021000: { name: 'k8s04021000', id: '4.2.10', status: { OVERRIDE: 'PASS' }, override_reason: 'IAM auth', error: '' },
          k8s04020100: { name: 'k8s04020100', id: '4.2.1', status: 'FAIL', error: 'anonymous authentication is configured' },
        },
      }),
    );
    expect(report.type).toBe('cis-k8s');
    expect(report.get('4.2.10')).toMatchObject({ status: 'PASS', overridden: true, overrideReason: 'IAM auth' });
    expect(report.get('4.2.1', 'k8s04020100')?.status).toBe('FAIL');
    expect(report.all().map((r) => r.id)).toEqual(['4.2.10', '4.2.1']);
    expect(() => parseBloodhoundReport('{"results":{"x":{"id":"1","status":"MAYBE"}}}')).toThrow(ParseError);
  });
  it('a bloodhound report that lists fewer results than its total is incomplete', () => {
    const result = (id: string) => ({ name: `br0${id}000000`, id, status: 'PASS', error: '' });
    const doc = (total: number) =>
      JSON.stringify({
        total,
        name: 'CIS Bottlerocket Benchmark',
        version: 'v1.0.0',
        results: { br01000000: result('1'), br02000000: result('2') },
      });
    expect(parseBloodhoundReport(doc(2)).all()).toHaveLength(2);
    expect(() => parseBloodhoundReport(doc(28))).toThrow(/lists 2 result\(s\) but says "total": 28, so it is incomplete/);
  });
  it('reads text result, header and exception lines with any runs of spaces and tabs, in time linear in the line', () => {
    const report = (body: string) =>
      `Benchmark name:${' '.repeat(5000)}CIS Bottlerocket Benchmark${' '.repeat(5000)}\nVersion:\tv1.0.0\n\n${body}\n\nTotal checks:    2\n`;
    const parsed = parseBloodhoundReport(
      report(
        `[PASS]\t1.4.2${' '.repeat(10_000)}Ensure ASLR is enabled \t (Automatic)   \n[FAIL] 1.5.2 Ensure Lockdown is configured (Exception)\n\nExceptions:\n*${' '.repeat(3000)}1.5.2${' '.repeat(3000)}Declared   \n`,
      ),
    );
    expect(parsed.name).toBe('CIS Bottlerocket Benchmark');
    expect(parsed.version).toBe('v1.0.0');
    expect(parsed.get('1.4.2')).toMatchObject({ status: 'PASS', title: 'Ensure ASLR is enabled', overridden: false });
    expect(parsed.get('1.5.2')).toMatchObject({ status: 'FAIL', overridden: true, overrideReason: 'Declared' });
    // What is not a result line stays out: no mode, no space before the mode, an unknown status.
    for (const line of [
      `[PASS] 1.4.2${' '.repeat(10_000)}`,
      '[PASS] 1.4.2 Title(Automatic)',
      '[OKAY] 1.4.2 Title (Automatic)',
      '[PASS]1.4.2 Title (Automatic)',
    ]) {
      expect(() => parseBloodhoundReport(report(line))).toThrow(ParseError);
    }
  });
  it('reads the text form, and refuses one cut before its totals', () => {
    const text = (tail: string) =>
      `Benchmark name:  FIPS Security Policy\nVersion:         v1.0.0\nBenchmark level: 1\nStart time:      2025-03-04T10:00:00Z\n\n[PASS] 1.0       FIPS mode is enabled. (Automatic)\n${tail}`;
    const whole = parseBloodhoundReport(
      text('\nPassed:          1\nFailed:          0\nSkipped:         0\nTotal checks:    1\n\nCompliance check result: PASS\n'),
    );
    expect(whole.type).toBe('fips');
    expect(whole.get('1.0')?.status).toBe('PASS');
    expect(() => parseBloodhoundReport(text(''))).toThrow(/ends before its "Total checks:" line/);
    expect(() => parseBloodhoundReport(text('\nTotal checks:    3\n'))).toThrow(/lists 1 result\(s\) but says "total": 3/);
  });
  it('update status', () => {
    const status = parseUpdateStatus(
      '{"update_state":"Idle","available_updates":["1.26.1","1.25.0"],"chosen_update":null,"active_partition":{"image":{"arch":"x86_64","version":"1.25.0","variant":"aws-ecs-2"},"next_to_boot":true}}',
    );
    expect(status).toMatchObject({ updateState: 'Idle', activeVersion: '1.25.0', availableUpdates: ['1.26.1', '1.25.0'] });
  });
});
