// Bottlerocket's settings take a sysctl key written with `/` as well as `.` (corndog maps both to /proc/sys path
// separators), so every check that reads settings.kernel.sysctl must judge every spelling that is set.
import { describe, expect, it } from 'vitest';
import { loadCatalog, type Assertion, type Leaf } from '../src/checks/loader.js';
import { scanHost } from '../src/scan.js';
import { inputFromCase } from './helpers/cases.js';

const catalog = loadCatalog();

function leaves(a: Assertion | undefined): Leaf[] {
  if (!a) return [];
  if ('all' in a) return a.all.flatMap(leaves);
  if ('any' in a) return a.any.flatMap(leaves);
  return [a];
}

const sysctlLeaves = catalog.checks.flatMap((check) =>
  leaves(check.aspects?.configured)
    .filter((l) => l.fact === 'setting' && l.path?.[0] === 'kernel' && l.path[1] === 'sysctl')
    .map((leaf) => [check.id, leaf.path![2]!, String(leaf.value)] as const),
);
const slashed = (key: string) => key.replaceAll('.', '/');
const failing = (expected: string) => (expected === '999' ? '998' : '999');

function scanSettings(id: string, sysctl: Record<string, string>) {
  const input = inputFromCase({ name: id, expect: '', variant: 'aws-k8s-1.30', settings: { kernel: { sysctl } } });
  return scanHost(input, [catalog.byId.get(id)!]).results[0]!;
}

describe('sysctl keys written with slashes', () => {
  it('covers every check whose configured aspect reads a sysctl setting', () => {
    expect(new Set(sysctlLeaves.map(([id]) => id)).size).toBeGreaterThanOrEqual(12);
  });

  it.each(sysctlLeaves)('%s: %s set only as a/b/c is judged, not taken for its default', (id, key, expected) => {
    const result = scanSettings(id, { [slashed(key)]: failing(expected) });
    expect(result.status).toBe('FAIL');
    const evidence = result.evidence.find((e) => e.item === `settings.kernel.sysctl."${slashed(key)}"`);
    expect(evidence).toMatchObject({ outcome: 'fail', actual: failing(expected), origin: 'set' });
  });

  it.each(sysctlLeaves)('%s: %s set in both spellings fails when either value fails', (id, key, expected) => {
    const dottedFails = scanSettings(id, { [key]: failing(expected), [slashed(key)]: expected });
    const slashFails = scanSettings(id, { [key]: expected, [slashed(key)]: failing(expected) });
    for (const result of [dottedFails, slashFails]) {
      expect(result.status).toBe('FAIL');
      const items = result.evidence.map((e) => e.item);
      expect(items).toContain(`settings.kernel.sysctl."${key}"`);
      expect(items).toContain(`settings.kernel.sysctl."${slashed(key)}"`);
    }
  });

  it('a mix of separators names the same key, and passing values in every spelling pass', () => {
    const result = scanSettings('BR-3.1.1', {
      'net.ipv4/conf.all.send_redirects': '0',
      'net/ipv4/conf/all/send_redirects': '0',
      'net.ipv4.conf.default.send_redirects': '0',
    });
    expect(result.status).toBe('PASS');
    expect(result.evidence.filter((e) => e.aspect === 'configured')).toHaveLength(3);
  });

  it('user data written with slashes fails and points at its line', async () => {
    const { detectInput } = await import('../src/inputs/detect.js');
    const text = '[settings.kubernetes]\ncluster-name = "prod"\n\n[settings.kernel.sysctl]\n"user/max_user_namespaces" = "15000"\n';
    const host = scanHost(
      detectInput(text, { source: 'ud.toml', variant: 'aws-k8s-1.30', locate: true }),
      [catalog.byId.get('BR-1.4.4')!],
      { locate: true },
    );
    expect(host.results[0]!.status).toBe('FAIL');
    expect(host.results[0]!.reason).toContain('settings.kernel.sysctl."user/max_user_namespaces": 15000 in user data');
    expect(host.locations?.['BR-1.4.4']).toBe(5);
  });
});
