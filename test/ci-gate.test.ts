// brsec as a CI gate: SARIF, JUnit and Markdown outputs, several outputs at once, waivers, baselines, severity
// gates and the configuration file.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { brsec, repoRoot, expectOneLineError, snapshotWith } from './helpers/cli.js';
import { githubProblems, schemaErrors } from './helpers/sarif.js';
import { uriOf } from '../src/report/sarif.js';
import { pathToFileURL } from 'node:url';

const stock = 'examples/k8s-stock-full.json';
const ecs = 'examples/ecs-gaps.json';
const gaps = 'test/fixtures/userdata/gaps.toml';
let dir: string;

function waiversFile(name: string, body: string): string {
  const file = join(dir, name);
  writeFileSync(file, body);
  return file;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'brsec-gate-'));
});

describe('SARIF', () => {
  it('validates against the OASIS schema and passes GitHub ingestion rules, for user data and snapshots', () => {
    for (const args of [
      [gaps, '--variant', 'aws-k8s-1.30'],
      [stock, ecs],
      [stock, '--profile', 'all', '--sarif-include', 'error', 'manual'],
    ]) {
      const result = brsec(['scan', ...args, '-f', 'sarif']);
      const sarif = JSON.parse(result.stdout);
      expect(schemaErrors(sarif), args.join(' ')).toEqual([]);
      expect(githubProblems(sarif, repoRoot), args.join(' ')).toEqual([]);
    }
  });

  it('gives a host met twice (two snapshots of it) runs of their own categories, which GitHub requires', () => {
    const second = join(dir, 'same-host-again.json');
    writeFileSync(second, readFileSync(join(repoRoot, ecs)));
    const sarif = JSON.parse(brsec(['scan', ecs, second, '-f', 'sarif']).stdout);
    const ids = sarif.runs.map((r: any) => r.automationDetails.id);
    expect(ids).toEqual([expect.stringMatching(/\/i-0c3d4e5f6a7b89012\/$/), expect.stringMatching(/\/i-0c3d4e5f6a7b89012\/2\/$/)]);
    expect(githubProblems(sarif, repoRoot)).toEqual([]);
  });

  it('names each input by a valid URI: relative and percent-encoded in the scan folder, a file URI outside it', () => {
    expect(uriOf('test/fixtures/userdata/gaps.toml', repoRoot)).toBe('test/fixtures/userdata/gaps.toml');
    expect(uriOf(join(repoRoot, 'nodes', 'user data #1.toml'), repoRoot)).toBe('nodes/user%20data%20%231.toml');
    expect(uriOf('../elsewhere/node.toml', repoRoot)).toBe(pathToFileURL(join(repoRoot, '..', 'elsewhere', 'node.toml')).href);
    expect(uriOf('stdin', repoRoot)).toBe('stdin');
    expect(uriOf('ssm:i-0a1b2c3d4e5f67890', repoRoot)).toBe('ssm:i-0a1b2c3d4e5f67890');

    // End to end: a file whose name needs encoding, scanned from its own folder and from elsewhere.
    const folder = mkdtempSync(join(tmpdir(), 'brsec-uri-'));
    cpSync(join(repoRoot, gaps), join(folder, 'user data #1.toml'));
    const inFolder = JSON.parse(brsec(['scan', 'user data #1.toml', '--variant', 'aws-k8s-1.30', '-f', 'sarif'], { cwd: folder }).stdout);
    expect(inFolder.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('user%20data%20%231.toml');
    expect(githubProblems(inFolder, folder)).toEqual([]);
    const outside = JSON.parse(brsec(['scan', join(folder, 'user data #1.toml'), '--variant', 'aws-k8s-1.30', '-f', 'sarif']).stdout);
    expect(outside.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(
      pathToFileURL(join(folder, 'user data #1.toml')).href,
    );
    expect(githubProblems(outside, repoRoot)).toEqual([]);
    expect(schemaErrors(outside)).toEqual([]);
  });

  it('anchors each finding in user data at the line of the setting that decides it, its table, or line 1', () => {
    const sarif = JSON.parse(brsec(['scan', gaps, '--variant', 'aws-k8s-1.30', '-f', 'sarif']).stdout);
    const line = Object.fromEntries(
      sarif.runs[0].results.map((r: any) => [r.ruleId, r.locations[0].physicalLocation.region.startLine]),
    ) as Record<string, number>;
    const uri = sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri;
    expect(uri).toBe('test/fixtures/userdata/gaps.toml');
    expect(line['BR-1.5.2']).toBe(8); // lockdown = "none"
    expect(line['BR-1.4.4']).toBe(11); // "user.max_user_namespaces" = "15000"
    expect(line['K8S-4.2.14']).toBe(5); // seccomp-default = false
    expect(line['BRSEC-seccomp-default']).toBe(5);
    expect(line['BRSEC-admin-container']).toBe(15); // enabled = true under [settings.host-containers.admin]
    expect(line['BRSEC-oci-capabilities']).toBe(17); // [settings.oci-defaults.capabilities]
    // The default decides (send_redirects for "default" is not set): the line of its table.
    expect(line['BR-3.1.1']).toBe(10); // [settings.kernel.sysctl]
    expect(line['BR-3.3.1']).toBe(7); // sctp allowed by default: [settings.kernel]
  });

  it('anchors findings in a snapshot at the line of the capture or the settings', () => {
    const file = join(dir, 'pretty.json');
    writeFileSync(
      file,
      snapshotWith(() => {}),
    );
    const text = readFileSync(file, 'utf8').split('\n');
    const lineOf = (needle: string) => text.findIndex((l) => l.includes(needle)) + 1;
    const sarif = JSON.parse(brsec(['scan', file, '-f', 'sarif']).stdout);
    const line = Object.fromEntries(sarif.runs[0].results.map((r: any) => [r.ruleId, r.locations[0].physicalLocation.region.startLine]));
    expect(line['BR-3.4.1.1']).toBe(lineOf('"iptables -L -v -n": {'));
    expect(line['K8S-4.1.1']).toBe(lineOf(`"stat -c`));
    // udf: the configured aspect fails first, from the default: anchored at the settings capture.
    expect(line['BR-1.1.1.1']).toBe(lineOf('"apiclient get": {'));
  });

  it('never reports passes or waived results, and keeps fingerprints stable and distinct per host', () => {
    const waivers = waiversFile(
      'sarif-waivers.yaml',
      'waivers:\n  - check: BR-3.4.*\n    reason: enforced by security groups\n    owner: platform\n    expires: 2999-01-01\n',
    );
    const a = JSON.parse(brsec(['scan', stock, ecs, '-f', 'sarif', '--waivers', waivers]).stdout);
    const b = JSON.parse(brsec(['scan', stock, ecs, '-f', 'sarif']).stdout);
    const ids = a.runs.flatMap((r: any) => r.results.map((x: any) => x.ruleId));
    expect(ids.some((id: string) => id.startsWith('BR-3.4.'))).toBe(false);
    expect(a.runs.flatMap((r: any) => r.results).every((x: any) => x.properties.status === 'FAIL')).toBe(true);
    const prints = (s: any) =>
      s.runs.flatMap((r: any) => r.results.map((x: any) => `${x.ruleId}:${x.partialFingerprints.primaryLocationLineHash}`));
    // The same finding has the same fingerprint in both scans.
    for (const p of prints(a)) expect(prints(b)).toContain(p);
    const byRule = (s: any, id: string) =>
      s.runs.flatMap((r: any) =>
        r.results.filter((x: any) => x.ruleId === id).map((x: any) => x.partialFingerprints.primaryLocationLineHash),
      );
    const udf = byRule(b, 'BR-1.5.2').concat(byRule(b, 'BR-1.4.4'));
    expect(new Set(udf).size).toBe(udf.length);
    // One run per host, each its own category.
    expect(a.runs.map((r: any) => r.automationDetails.id)).toEqual([
      'brsec/cis-bottlerocket+cis-kubernetes+hardening/i-0a1b2c3d4e5f67890/',
      'brsec/cis-bottlerocket+hardening/i-0c3d4e5f6a7b89012/',
    ]);
  });

  it('writes one run for a fleet of more than 20 hosts, still valid', () => {
    const fleet = join(dir, 'fleet-sarif');
    mkdirSync(fleet);
    for (let i = 0; i < 40; i++)
      writeFileSync(
        join(fleet, `h${String(i).padStart(2, '0')}.json`),
        snapshotWith((s) => (s.host.id = `i-${String(i).padStart(17, '0')}`), i % 2 ? stock : ecs),
      );
    const parallel = brsec(['scan', fleet, '-f', 'sarif', '--jobs', '2']);
    const single = brsec(['scan', fleet, '-f', 'sarif', '--jobs', '1']);
    expect(parallel.stdout).toBe(single.stdout);
    const sarif = JSON.parse(parallel.stdout);
    expect(sarif.runs).toHaveLength(1);
    expect(sarif.runs[0].automationDetails.id).toBe('brsec/default/fleet/');
    const named = JSON.parse(brsec(['scan', stock, ecs, '-f', 'sarif', '--sarif-category', 'nodes/']).stdout);
    expect(named.runs.map((r: any) => r.automationDetails.id)).toEqual(['nodes/i-0a1b2c3d4e5f67890/', 'nodes/i-0c3d4e5f6a7b89012/']);
    expect(new Set(sarif.runs[0].results.map((r: any) => r.properties.host)).size).toBe(40);
    expect(schemaErrors(sarif)).toEqual([]);
    expect(githubProblems(sarif, repoRoot)).toEqual([]);
  });
});

describe('SARIF limits', () => {
  it('holds at most 25,000 results per run, leaving out whole hosts and saying so', async () => {
    const { scan, render, sarifWriter } = await import('../src/index.js');
    const one = await scan([join(repoRoot, ecs)], { profiles: ['all'] });
    const host = one.hosts[0]!;
    const perHost = host.results.filter((r) => r.status === 'FAIL').length;
    const count = Math.ceil(25_000 / perHost) + 10;
    const hosts = Array.from({ length: count }, (_, i) => ({ ...host, host: { ...host.host, id: `i-${String(i).padStart(17, '0')}` } }));
    const sarif = JSON.parse(render(sarifWriter({ hostCount: count }), { ...one, hosts }));
    expect(sarif.runs).toHaveLength(1);
    expect(sarif.runs[0].results.length).toBeLessThanOrEqual(25_000);
    expect(sarif.runs[0].results.length).toBeGreaterThan(25_000 - perHost);
    expect(sarif.runs[0].properties.brsecLeftOut.hosts).toBe(count - Math.floor(25_000 / perHost));
    expect(schemaErrors(sarif)).toEqual([]);
  });
});

describe('JUnit', () => {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name) => name === 'testsuite' || name === 'testcase',
  });

  it('parses as XML, one suite per host, counts that match the scan, unique class and test names', () => {
    const json = JSON.parse(brsec(['scan', stock, ecs, '-f', 'json', '--profile', 'all']).stdout);
    const xml = brsec(['scan', stock, ecs, '-f', 'junit', '--profile', 'all']).stdout;
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = parser.parse(xml);
    const suites = doc.testsuites.testsuite;
    expect(suites).toHaveLength(2);
    for (const [i, suite] of suites.entries()) {
      const t = json.hosts[i].totals;
      expect(Number(suite.tests)).toBe(json.hosts[i].results.length);
      expect(Number(suite.failures)).toBe(t.FAIL);
      expect(Number(suite.errors)).toBe(t.ERROR);
      expect(Number(suite.skipped)).toBe(t.MANUAL + t.NOT_APPLICABLE + t.NOT_ASSESSED);
    }
    const names = suites.flatMap((s: any) => s.testcase.map((c: any) => `${c.classname}|${c.name}`));
    expect(new Set(names).size).toBe(names.length);
    const failure = suites[1].testcase.find((c: any) => c.name.startsWith('BR-1.5.2 ')).failure;
    expect(failure.message).toContain('settings.kernel.lockdown: none');
  });

  it('skips waived results with the waiver, and reports ERROR as errors', () => {
    const waivers = waiversFile(
      'junit-waivers.yaml',
      'waivers:\n  - check: BR-1.5.2\n    reason: nvidia drivers need lockdown none\n    owner: gpu-team\n    expires: 2999-01-01\n',
    );
    const broken = join(dir, 'broken.json');
    writeFileSync(
      broken,
      snapshotWith((s) => {
        s.captures['sysctl -a'] = { stdout: '', exitCode: 1, stderr: 'denied' };
        delete s.captures['apiclient report cis -f json -l 2'];
      }, ecs),
    );
    const doc = parser.parse(brsec(['scan', broken, '-f', 'junit', '--waivers', waivers]).stdout);
    const cases = doc.testsuites.testsuite[0].testcase;
    expect(cases.find((c: any) => c.name.startsWith('BR-1.5.2 ')).skipped.message).toContain('waived until 2999-01-01 by gpu-team');
    expect(cases.find((c: any) => c.name.startsWith('BR-1.4.1 ')).error.message).toContain('exit code 1');
  });
});

describe('Markdown', () => {
  it('matches the golden summary', () => {
    const waivers = join(repoRoot, 'test', 'fixtures', 'golden', 'waivers.yaml');
    const result = brsec(['scan', ecs, gaps, '--variant', 'aws-ecs-2', '-f', 'markdown', '--waivers', 'test/fixtures/golden/waivers.yaml']);
    expect(readFileSync(waivers, 'utf8')).toContain('waivers:');
    expect(result.stdout).toBe(readFileSync(join(repoRoot, 'test', 'fixtures', 'golden', 'summary.md'), 'utf8'));
  });

  it("shows hosts' values as text: no link, image, tag or broken table from what a snapshot holds", () => {
    const file = join(dir, 'markdown-injection.json');
    writeFileSync(
      file,
      snapshotWith((s) => {
        s.host.name = 'web [click](https://evil.example) <img src=x onerror=alert(1)> | `x` \\';
        const get = JSON.parse(s.captures['apiclient get'].stdout);
        get.settings.kernel.lockdown = '![pixel](https://evil.example/p.png) </details>';
        s.captures['apiclient get'].stdout = JSON.stringify(get);
      }, ecs),
    );
    const markdown = brsec(['scan', file, '-f', 'markdown', '--check', 'BR-1.5.2']).stdout;
    expect(markdown).toContain('\\[click\\](https://evil.example)');
    expect(markdown).not.toMatch(/(?<!\\)\[click\]\(/);
    expect(markdown).not.toMatch(/(?<!\\)<img/);
    expect(markdown).not.toMatch(/(?<!\\)\[pixel\]/);
    expect(markdown).not.toMatch(/(?<!\\)<\/details>/);
    // Every table row keeps its five cells.
    for (const row of markdown.split('\n').filter((l) => l.startsWith('| ❌'))) expect(row.split(/(?<!\\)\|/).length).toBe(7);
  });

  it('stays within a pull-request comment at its worst: every check failing, long input errors', async () => {
    const { scan, render, markdownWriter } = await import('../src/index.js');
    const one = await scan([join(repoRoot, stock)], { profiles: ['all'] });
    const host = one.hosts[0]!;
    // Every result a FAIL with a long reason, on 500 hosts; 200 input errors with long names and messages.
    const failing = { ...host, results: host.results.map((r) => ({ ...r, status: 'FAIL' as const, reason: 'x'.repeat(2000) })) };
    const hosts = Array.from({ length: 500 }, (_, i) => ({
      ...failing,
      host: { ...failing.host, id: `i-${String(i).padStart(17, '0')}` },
    }));
    const failedChecks = Object.fromEntries(failing.results.map((r) => [r.id, hosts.length]));
    const inputErrors = Array.from({ length: 200 }, (_, i) => ({ file: `${'deep/'.repeat(60)}host-${i}.json`, message: 'y'.repeat(1000) }));
    const markdown = render(markdownWriter(), { ...one, hosts, inputErrors, totals: { ...one.totals, hosts: hosts.length, failedChecks } });
    expect(markdown.length).toBeLessThanOrEqual(65_536);
    expect(markdown).toContain('more failing checks');
    expect(markdown).toContain('…and 180 more (see the JSON report)');
  });

  it('stays within a pull-request comment for a fleet: hosts beyond the budget are counted, the roll-up covers all', () => {
    const fleet = join(dir, 'markdown-fleet');
    mkdirSync(fleet);
    const count = 150;
    for (let i = 0; i < count; i++) {
      const id = `i-${String(i).padStart(17, '0')}`;
      writeFileSync(
        join(fleet, `${id}.json`),
        snapshotWith((s) => (s.host = { ...s.host, id }), i % 2 === 0 ? ecs : stock),
      );
    }
    const result = brsec(['scan', fleet, '-f', 'markdown']);
    expect(result.code).toBe(1);
    // GitHub takes at most 65,536 characters in a pull-request comment (and 1 MiB in a step summary).
    expect(result.stdout.length).toBeLessThanOrEqual(65_536);
    expect(result.stdout).toContain(`#### Failing checks across ${count} hosts`);
    // Every ECS host fails lockdown: the roll-up counts hosts that are not shown too.
    expect(result.stdout).toMatch(/\[BR-1\.5\.2\]\([^)]+\) Ensure Lockdown is configured \| high \| 75 \|/);
    const shown = (result.stdout.match(/^### (?:❌|✅|⚠️|❔|📝|➖)/gmu) ?? []).length;
    expect(shown).toBeGreaterThanOrEqual(5);
    expect(result.stdout).toContain(`_${count - shown} more host(s) are not shown above`);
    expect(result.stderr).toMatch(
      new RegExp(`the markdown report holds at most 40000 bytes of host sections; ${count - shown} host\\(s\\)`),
    );
  });
});

describe('several outputs from one scan', () => {
  it('writes each report from the same results, besides the terminal report', () => {
    const out = join(dir, 'multi');
    mkdirSync(out);
    const result = brsec([
      'scan',
      stock,
      ecs,
      '-o',
      `sarif=${out}/r.sarif`,
      '-o',
      `json=${out}/r.json`,
      '-o',
      `junit=${out}/r.xml`,
      '-o',
      `markdown=${out}/r.md`,
    ]);
    expect(result.stdout).toContain('Fleet: 2 host(s)');
    const json = JSON.parse(readFileSync(join(out, 'r.json'), 'utf8'));
    const sarif = JSON.parse(readFileSync(join(out, 'r.sarif'), 'utf8'));
    const failing = json.hosts
      .flatMap((h: any) => h.results.filter((r: any) => r.status === 'FAIL').map((r: any) => `${h.host.id}:${r.id}`))
      .sort();
    const alerts = sarif.runs.flatMap((run: any) => run.results.map((r: any) => `${r.properties.host}:${r.ruleId}`)).sort();
    expect(alerts).toEqual(failing);
    expect(readFileSync(join(out, 'r.xml'), 'utf8')).toContain('<testsuites name="brsec">');
    expect(readFileSync(join(out, 'r.md'), 'utf8')).toContain('### Summary');
  });

  it('rejects an unknown format and a file named twice', () => {
    expectOneLineError(brsec(['scan', stock, '-o', 'pdf=x.pdf']), 'unknown format "pdf"');
    expectOneLineError(brsec(['scan', stock, '-o', 'json=a.json', '-o', 'sarif=a.json']), 'a.json is named twice');
  });
});

describe('waivers', () => {
  it('a valid waiver keeps the true status, shows the waiver and no longer fails the run', () => {
    const file = waiversFile(
      'valid.yaml',
      'waivers:\n  - check: BR-1.5.2\n    reason: nvidia drivers need lockdown none\n    owner: gpu-team\n    expires: 2999-01-01\n',
    );
    const result = brsec(['scan', ecs, '--check', 'BR-1.5.2', '-f', 'json', '--waivers', file]);
    const r = JSON.parse(result.stdout).hosts[0].results[0];
    expect(r.status).toBe('FAIL');
    expect(r.waiver).toMatchObject({ state: 'active', owner: 'gpu-team', expires: '2999-01-01', entry: 0 });
    expect(result.code).toBe(0);
  });

  it('an expired waiver stops applying, fails closed, and the report says it expired', () => {
    const file = waiversFile(
      'expired.yaml',
      'waivers:\n  - check: BR-1.5.2\n    reason: nvidia drivers need lockdown none\n    owner: gpu-team\n    expires: 2020-01-31\n',
    );
    const result = brsec(['scan', ecs, '--check', 'BR-1.5.2', '--waivers', file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('its waiver expired on 2020-01-31 and no longer applies');
  });

  it('a waiver naming a date applies through that whole UTC day', () => {
    const today = new Date().toISOString().slice(0, 10);
    const file = waiversFile(
      'today.yaml',
      `waivers:\n  - check: BR-1.5.2\n    reason: last day of the exception window\n    owner: gpu-team\n    expires: ${today}\n`,
    );
    expect(brsec(['scan', ecs, '--check', 'BR-1.5.2', '--waivers', file]).code).toBe(0);
  });

  it('globs and host scopes (id, name, tag)', () => {
    const file = waiversFile(
      'scoped.json',
      JSON.stringify({
        waivers: [
          { check: 'BR-3.*', hosts: ['i-0c3d*'], reason: 'network hardening is done by the VPC', owner: 'net', expires: '2999-01-01' },
          { check: 'BR-1.5.2', tags: { env: 'lab' }, reason: 'lab hosts run debug kernels', owner: 'lab', expires: '2999-01-01' },
          { check: 'BR-1.4.4', hosts: ['ip-10-9-*'], reason: 'builders need user namespaces', owner: 'ci', expires: '2999-01-01' },
        ],
      }),
    );
    const tagged = join(dir, 'tagged.json');
    writeFileSync(
      tagged,
      snapshotWith((s) => (s.host = { id: 'i-0ffff', name: 'ip-10-9-1-1.ec2.internal', tags: { env: 'lab' } }), ecs),
    );
    const json = JSON.parse(brsec(['scan', ecs, tagged, '-f', 'json', '--profile', 'cis-bottlerocket', '--waivers', file]).stdout);
    const waived = (h: any) => h.results.filter((r: any) => r.waiver?.state === 'active').map((r: any) => r.id);
    expect(waived(json.hosts[0]).filter((id: string) => id.startsWith('BR-3.')).length).toBeGreaterThan(5);
    expect(waived(json.hosts[0])).not.toContain('BR-1.5.2');
    expect(waived(json.hosts[1])).toEqual(['BR-1.4.4', 'BR-1.5.2']);
  });

  it.each([
    [
      'missing owner',
      'waivers:\n  - check: BR-1.5.2\n    reason: a reason long enough\n    expires: 2999-01-01\n',
      'waivers[0] (BR-1.5.2): missing "owner"',
    ],
    [
      'a date that does not exist',
      'waivers:\n  - check: BR-1.5.2\n    reason: a reason long enough\n    owner: me\n    expires: 2027-02-30\n',
      '"expires" is not a real date: "2027-02-30"',
    ],
    [
      'a bad date format',
      'waivers:\n  - check: BR-1.5.2\n    reason: a reason long enough\n    owner: me\n    expires: next week\n',
      'waivers[0] (BR-1.5.2): "expires" must match pattern',
    ],
    [
      'an unknown check id',
      'waivers:\n  - check: BR-9.9\n    reason: a reason long enough\n    owner: me\n    expires: 2999-01-01\n',
      'waivers[0] (BR-9.9): unknown check id "BR-9.9"',
    ],
    ['not YAML', 'waivers: [\n', 'not YAML'],
    [
      'an unknown field',
      'waivers:\n  - check: BR-1.5.2\n    reason: a reason long enough\n    owner: me\n    expires: 2999-01-01\n    approved: yes\n',
      'unknown field "approved"',
    ],
  ])('a malformed waivers file (%s) gives one line naming the file, the entry and the problem', (_name, body, message) => {
    const file = waiversFile(`bad-${_name.replace(/\W+/g, '-')}.yaml`, body);
    expectOneLineError(brsec(['scan', ecs, '--waivers', file]), file, message);
  });

  it('waivers lint rejects errors (exit 2) and warns about expiries within --warn-days', () => {
    const soon = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
    const file = waiversFile(
      'lint.yaml',
      `waivers:\n  - check: BR-1.5.2\n    reason: a reason long enough\n    owner: me\n    expires: ${soon}\n  - check: K8S-*\n    reason: a reason long enough\n    owner: me\n    expires: 2999-01-01\n`,
    );
    const ok = brsec(['waivers', 'lint', file]);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toMatch(/warning: .*waivers\[0\] \(BR-1.5.2\): expires on .* in [45] days/);
    expect(brsec(['waivers', 'lint', file, '--warn-days', '3']).stderr).toBe('');
    const bad = waiversFile(
      'lint-bad.yaml',
      'waivers:\n  - check: BR-0\n    reason: a reason long enough\n    owner: me\n    expires: 2999-01-01\n',
    );
    const result = brsec(['waivers', 'lint', bad]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: ');
    expect(result.stderr).toContain('unknown check id "BR-0"');
    // Every bad entry is listed, not only the first.
    const several = waiversFile(
      'lint-several.yaml',
      'waivers:\n  - check: BR-1.5.2\n    reason: short\n    owner: me\n    expires: 2999-01-01\n  - check: BR-0\n    reason: a reason long enough\n    owner: me\n    expires: 2999-01-01\n  - check: BR-1.4.4\n    reason: a reason long enough\n    expires: 2999-01-01\n  - check: BR-1.4.1\n    reason: a reason long enough\n    owner: me\n    expires: 2999-02-30\n',
    );
    const all = brsec(['waivers', 'lint', several]);
    expect(all.code).toBe(2);
    const lines = all.stderr
      .trimEnd()
      .split('\n')
      .filter((l) => l.includes('error: '));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/waivers\[0\] \(BR-1.5.2\): "reason"/);
    expect(lines[1]).toMatch(/waivers\[1\] \(BR-0\): unknown check id/);
    expect(lines[2]).toMatch(/waivers\[2\] \(BR-1.4.4\): missing "owner"/);
    expect(lines[3]).toMatch(/waivers\[3\] \(BR-1.4.1\): "expires"/);
  });
});

describe('baseline', () => {
  it('only new FAILs fail the run; reports show new, fixed and unchanged', () => {
    const before = join(dir, 'before.json');
    const baseline = join(dir, 'baseline.json');
    writeFileSync(
      before,
      snapshotWith(() => {}, ecs),
    );
    writeFileSync(baseline, brsec(['scan', before, '-f', 'json', '--profile', 'cis-bottlerocket']).stdout);
    // Unchanged host: nothing new, so the run passes although checks fail.
    const same = brsec(['scan', before, '--profile', 'cis-bottlerocket', '--baseline', baseline]);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('against the baseline: 0 new, 7 unchanged, 0 fixed');
    // Lockdown fixed, udf newly allowed.
    const after = join(dir, 'after.json');
    writeFileSync(
      after,
      snapshotWith((s) => {
        const get = JSON.parse(s.captures['apiclient get'].stdout);
        get.settings.kernel.lockdown = 'integrity';
        get.settings.kernel.modules.udf.allowed = true;
        s.captures['apiclient get'].stdout = JSON.stringify(get);
        s.captures['cat /sys/kernel/security/lockdown'].stdout = 'none [integrity] confidentiality\n';
        s.captures['modprobe -n -v udf'].stdout = 'insmod /lib/modules/6.1.102/kernel/fs/udf/udf.ko.xz\n';
      }, ecs),
    );
    const result = brsec(['scan', after, '-f', 'json', '--profile', 'cis-bottlerocket', '--baseline', baseline]);
    const host = JSON.parse(result.stdout).hosts[0];
    expect(host.baseline).toEqual({ new: ['BR-1.1.1.1'], unchanged: expect.arrayContaining(['BR-1.4.4']), fixed: ['BR-1.5.2'] });
    expect(host.results.find((r: any) => r.id === 'BR-1.1.1.1').baseline).toBe('new');
    expect(host.gate.failing).toBe(1);
    expect(result.code).toBe(1);
  });

  it('treats host ids such as constructor and __proto__ as plain ids, in the scan and in the baseline', () => {
    const files = ['constructor', '__proto__', 'toString'].map((id) => {
      const file = join(dir, `odd-id-${id.replace(/_/g, 'u')}.json`);
      writeFileSync(
        file,
        snapshotWith((s) => (s.host.id = id), ecs),
      );
      return file;
    });
    const baseline = join(dir, 'odd-id-baseline.json');
    writeFileSync(baseline, brsec(['scan', files[0]!, files[1]!, '-f', 'json']).stdout);
    const result = brsec(['scan', ...files, '--baseline', baseline, '-f', 'json']);
    expect(result.stderr).toBe('');
    const hosts = JSON.parse(result.stdout).hosts;
    expect(hosts.map((h: any) => h.host.id)).toEqual(['constructor', '__proto__', 'toString']);
    // The two in the baseline have nothing new; the third, not in it, has every failure new.
    expect(hosts[0].baseline.new).toEqual([]);
    expect(hosts[1].baseline.new).toEqual([]);
    expect(hosts[2].baseline.new.length).toBeGreaterThan(0);
  });

  it('reads a baseline that was reformatted (by jq, say) as well as one brsec wrote', () => {
    const written = brsec(['scan', ecs, '-f', 'json']).stdout;
    const pretty = join(dir, 'pretty-baseline.json');
    writeFileSync(pretty, JSON.stringify(JSON.parse(written), null, 2));
    const result = brsec(['scan', ecs, '--baseline', pretty]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/against the baseline: 0 new, \d+ unchanged, 0 fixed/);
  });

  it('rejects a file that is not a brsec JSON report in one line', () => {
    expectOneLineError(brsec(['scan', ecs, '--baseline', join(repoRoot, ecs)]), 'not a brsec JSON report');
    // A report whose host line is JSON of the wrong shape names the line.
    const odd = join(dir, 'odd-baseline.json');
    writeFileSync(odd, '{"format":"brsec-report/1",\n"hosts":[\n{"host":{"name":"no id"},"results":[]}\n]}\n');
    expectOneLineError(brsec(['scan', ecs, '--baseline', odd]), 'odd-baseline.json', 'line 3 is not a host of a brsec JSON report');
  });
});

describe('gates', () => {
  it('--fail-on fails the run only for FAILs at or above the severity', () => {
    // ecs-gaps fails BR-1.5.2 (high) and BR-3.2.4 (low).
    expect(brsec(['scan', ecs, '--check', 'BR-3.2.4', '--fail-on', 'medium']).code).toBe(0);
    expect(brsec(['scan', ecs, '--check', 'BR-3.2.4', '--fail-on', 'low']).code).toBe(1);
    expect(brsec(['scan', ecs, '--check', 'BR-1.5.2', 'BR-3.2.4', '--fail-on', 'high']).code).toBe(1);
    expect(brsec(['scan', ecs, '--check', 'BR-1.5.2', '--fail-on', 'critical']).code).toBe(0);
  });

  it('strict mode makes ERROR and NOT_ASSESSED fail the run; a host with nothing assessed is incomplete', () => {
    const userData = join(dir, 'ud.toml');
    writeFileSync(userData, '[settings.kernel]\nlockdown = "integrity"\n');
    // A firewall check on user data alone is NOT_ASSESSED: 0 normally (lockdown passes), 1 in strict mode.
    const both = ['scan', userData, '--variant', 'aws-ecs-2', '--check', 'BR-3.4.1.1', '--check', 'BR-1.5.2'];
    expect(brsec(both).code).toBe(0);
    expect(brsec([...both, '--strict']).code).toBe(1);
    // A host where nothing at all could be assessed proves nothing: incomplete (3), never clean.
    const nothing = brsec(['scan', userData, '--variant', 'aws-ecs-2', '--check', 'BR-3.4.1.1']);
    expect(nothing.code).toBe(3);
    expect(nothing.stdout).toContain('incomplete: nothing could be assessed');
    const json = JSON.parse(brsec(['scan', userData, '--variant', 'aws-ecs-2', '--check', 'BR-3.4.1.1', '-f', 'json']).stdout);
    expect(json.hosts[0].gate).toMatchObject({ failing: 0, incomplete: 1 });
    expect(brsec(['scan', userData, '--variant', 'aws-ecs-2', '--check', 'BR-3.4.1.1', '--strict']).code).toBe(1);
    const broken = join(dir, 'broken-strict.json');
    writeFileSync(
      broken,
      snapshotWith((s) => {
        s.captures['sysctl -a'] = { stdout: '', exitCode: 1, stderr: 'denied' };
        delete s.captures['apiclient report cis -f json -l 2'];
      }, ecs),
    );
    expect(brsec(['scan', broken, '--check', 'BR-1.4.2']).code).toBe(3);
    expect(brsec(['scan', broken, '--check', 'BR-1.4.2', '--strict']).code).toBe(1);
  });
});

describe('configuration file', () => {
  function project(config: string, name = '.brsec.yaml'): string {
    const root = mkdtempSync(join(tmpdir(), 'brsec-config-'));
    cpSync(join(repoRoot, ecs), join(root, 'host.json'));
    mkdirSync(join(root, 'sub'));
    writeFileSync(join(root, name), config);
    return root;
  }

  it('is found from the working directory up; its values apply and flags win', () => {
    const root = project('profile: cis-bottlerocket\nfail-on: critical\noutput:\n  - json=out/report.json\n');
    mkdirSync(join(root, 'out'));
    const fromSub = brsec(['scan', '../host.json'], { cwd: join(root, 'sub') });
    // fail-on critical: ecs-gaps has no critical CIS failure.
    expect(fromSub.code).toBe(0);
    const report = JSON.parse(readFileSync(join(root, 'out', 'report.json'), 'utf8'));
    expect(report.profiles).toEqual(['cis-bottlerocket']);
    expect(brsec(['scan', '../host.json', '--fail-on', 'high'], { cwd: join(root, 'sub') }).code).toBe(1);
  });

  it('brsec.config.json works too', () => {
    const root = project(JSON.stringify({ profile: ['cis-bottlerocket'], level: 1 }), 'brsec.config.json');
    expect(brsec(['scan', 'host.json', '-f', 'json'], { cwd: root }).stdout).toContain('"level":1');
  });

  it('errors name the file and the key', () => {
    const root = project('fail-on: severe\n');
    expectOneLineError(brsec(['scan', 'host.json'], { cwd: root }), '.brsec.yaml', '"fail-on": must be one of critical, high, medium, low');
    for (const [config, problem] of [
      ['profile: cis-bottlerock\n', 'unknown profile "cis-bottlerock"'],
      ['check: [BR-9.9]\n', 'unknown check id "BR-9.9"'],
      ['variant: aws-k9s\n', 'unknown variant "aws-k9s"'],
    ]) {
      expectOneLineError(brsec(['scan', 'host.json'], { cwd: project(config as string) }), '.brsec.yaml: ', problem as string);
    }
    const unknown = project('profiles: [all]\n');
    expectOneLineError(brsec(['scan', 'host.json'], { cwd: unknown }), '.brsec.yaml', 'unknown key "profiles"');
  });
});
