// brsec's documented limits, at the input boundary: past one, that input is an input error naming the limit, and the
// other inputs are still scanned and reported.
import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/limits.js';
import { bin, brsec, repoRoot } from '../helpers/cli.js';
import { spawnSync } from 'node:child_process';

let dir: string;
const files: Record<string, string> = {};
const example = 'examples/ecs-gaps.json';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'brsec-limits-'));
  const base = () => JSON.parse(readFileSync(join(repoRoot, 'examples', 'k8s-stock-full.json'), 'utf8'));
  const write = (name: string, text: string) => writeFileSync((files[name] = join(dir, name)), text);
  const longId = base();
  longId.host.id = `i-${'0'.repeat(10_000_000)}`;
  write('long-id.json', JSON.stringify(longId));
  // Every ASFF and OCSF finding repeats the region: a 1 MB one made 126 MB of OCSF from one host (found by the fuzzer).
  const longRegion = base();
  longRegion.host.region = 'x'.repeat(1_000_000);
  write('long-region.json', JSON.stringify(longRegion));
  const longCapture = base();
  longCapture.captures['sysctl -a'].stdout = 'a = 1\n'.repeat(3_000_000);
  write('long-capture.json', JSON.stringify(longCapture));
  const manyTags = base();
  manyTags.host.tags = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, 'v']));
  write('many-tags.json', JSON.stringify(manyTags));
  // A provider id from the settings of `apiclient get` names the host: the same limit holds.
  write(
    'long-provider-id.json',
    JSON.stringify({ settings: { kubernetes: { 'provider-id': `aws:///us-west-2a/i-${'a'.repeat(1000)}` } } }),
  );
  write('deep.toml', `[settings.kubernetes]\nnode-labels = ${'{ a = '.repeat(40)}1${' }'.repeat(40)}\n`);
  write(
    'wide.toml',
    `[settings.kubernetes.node-labels]\n${Array.from({ length: LIMITS.settingsEntries + 10 }, (_, i) => `k${i} = "v"`).join('\n')}\n`,
  );
  // Larger than any input: refused before a byte is read (a sparse file, so the test writes nothing).
  write('huge.json', '');
  truncateSync(files['huge.json']!, LIMITS.inputBytes + 1);
  write('long-format.json', JSON.stringify({ brsec: `snapshot/${'9'.repeat(200_000)}` }));
});

describe('limits', () => {
  it.each([
    ['long-id.json', `host.id is 10000002 characters, over brsec's limit of ${LIMITS.hostIdChars}`],
    ['long-region.json', `host.region is 1000000 characters, over brsec's limit of ${LIMITS.regionChars}`],
    ['long-capture.json', `capture "sysctl -a" is 18000000 characters, over brsec's limit of ${LIMITS.captureChars} for one capture`],
    ['many-tags.json', `host.tags has 100 tags, over brsec's limit of ${LIMITS.tags}`],
    ['long-provider-id.json', `over brsec's limit of ${LIMITS.hostIdChars}`],
    ['deep.toml', `settings nested deeper than ${LIMITS.settingsDepth} levels, brsec's limit`],
    ['wide.toml', `more than ${LIMITS.settingsEntries} settings entries, brsec's limit`],
    ['huge.json', `larger than ${LIMITS.inputBytes / 1024 / 1024} MiB, brsec's limit for one input`],
  ])('%s is an input error naming the limit, and the other input is still scanned', (name, message) => {
    const result = brsec(['scan', files[name]!, example, '-f', 'json', '--variant', 'aws-k8s-1.30']);
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`brsec: ${files[name]}: `);
    expect(lines[0]).toContain(message);
    const report = JSON.parse(result.stdout);
    expect(report.hosts).toHaveLength(1);
    expect(report.inputErrors).toHaveLength(1);
  });

  it('reads a pipe given as a file no further than the limit (its size reads 0)', () => {
    // A shell pipe, as `brsec scan <(…)` gives one (Node's own stdin pipes are sockets, which /dev/stdin cannot open).
    const pipe = `head -c ${LIMITS.inputBytes + 1024 * 1024} /dev/zero | tr '\\0' ' ' | "${process.execPath}" "${bin}" scan /dev/stdin`;
    const result = spawnSync('bash', ['-c', pipe], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe(`brsec: /dev/stdin: larger than ${LIMITS.inputBytes / 1024 / 1024} MiB, brsec's limit for one input`);
  });

  it('cuts a message that would quote a long value', () => {
    const result = brsec(['scan', files['long-format.json']!]);
    expect(result.code).toBe(2);
    const line = result.stderr.trim();
    expect(line.split('\n')).toHaveLength(1);
    expect(line.length).toBeLessThan(1100);
    expect(line).toMatch(/… \(\d+ characters\)$/);
  });
});
