// brsec as a CI gate: several outputs at once, waivers, baselines, severity gates and the configuration file (each
// report format's own tests are in test/report/).
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { brsec, repoRoot, expectOneLineError, snapshotWith, scratchFolder, unreadableSysctl } from './helpers/cli.js';

const stock = 'examples/k8s-stock-full.json';
const ecs = 'examples/ecs-gaps.json';
const tmp = scratchFolder('brsec-gate-');

describe('several outputs from one scan', () => {
  it('writes each report from the same results, besides the terminal report', () => {
    const out = tmp.path('multi');
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
    const file = tmp.write(
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
    const file = tmp.write(
      'expired.yaml',
      'waivers:\n  - check: BR-1.5.2\n    reason: nvidia drivers need lockdown none\n    owner: gpu-team\n    expires: 2020-01-31\n',
    );
    const result = brsec(['scan', ecs, '--check', 'BR-1.5.2', '--waivers', file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('its waiver expired on 2020-01-31 and no longer applies');
  });

  it('a waiver naming a date applies through that whole UTC day', () => {
    const today = new Date().toISOString().slice(0, 10);
    const file = tmp.write(
      'today.yaml',
      `waivers:\n  - check: BR-1.5.2\n    reason: last day of the exception window\n    owner: gpu-team\n    expires: ${today}\n`,
    );
    expect(brsec(['scan', ecs, '--check', 'BR-1.5.2', '--waivers', file]).code).toBe(0);
  });

  it('globs and host scopes (id, name, tag)', () => {
    const file = tmp.write(
      'scoped.json',
      JSON.stringify({
        waivers: [
          { check: 'BR-3.*', hosts: ['i-0c3d*'], reason: 'network hardening is done by the VPC', owner: 'net', expires: '2999-01-01' },
          { check: 'BR-1.5.2', tags: { env: 'lab' }, reason: 'lab hosts run debug kernels', owner: 'lab', expires: '2999-01-01' },
          { check: 'BR-1.4.4', hosts: ['ip-10-9-*'], reason: 'builders need user namespaces', owner: 'ci', expires: '2999-01-01' },
        ],
      }),
    );
    const tagged = tmp.path('tagged.json');
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
    const file = tmp.write(`bad-${_name.replace(/\W+/g, '-')}.yaml`, body);
    expectOneLineError(brsec(['scan', ecs, '--waivers', file]), file, message);
  });

  it('waivers lint rejects errors (exit 2) and warns about expiries within --warn-days', () => {
    const soon = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
    const file = tmp.write(
      'lint.yaml',
      `waivers:\n  - check: BR-1.5.2\n    reason: a reason long enough\n    owner: me\n    expires: ${soon}\n  - check: K8S-*\n    reason: a reason long enough\n    owner: me\n    expires: 2999-01-01\n`,
    );
    const ok = brsec(['waivers', 'lint', file]);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toMatch(/warning: .*waivers\[0\] \(BR-1.5.2\): expires on .* in [45] days/);
    expect(brsec(['waivers', 'lint', file, '--warn-days', '3']).stderr).toBe('');
    const bad = tmp.write(
      'lint-bad.yaml',
      'waivers:\n  - check: BR-0\n    reason: a reason long enough\n    owner: me\n    expires: 2999-01-01\n',
    );
    const result = brsec(['waivers', 'lint', bad]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: ');
    expect(result.stderr).toContain('unknown check id "BR-0"');
    // Every bad entry is listed, not only the first.
    const several = tmp.write(
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
    const before = tmp.path('before.json');
    const baseline = tmp.path('baseline.json');
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
    const after = tmp.path('after.json');
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
      const file = tmp.path(`odd-id-${id.replace(/_/g, 'u')}.json`);
      writeFileSync(
        file,
        snapshotWith((s) => (s.host.id = id), ecs),
      );
      return file;
    });
    const baseline = tmp.path('odd-id-baseline.json');
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
    const pretty = tmp.path('pretty-baseline.json');
    writeFileSync(pretty, JSON.stringify(JSON.parse(written), null, 2));
    const result = brsec(['scan', ecs, '--baseline', pretty]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/against the baseline: 0 new, \d+ unchanged, 0 fixed/);
  });

  it('rejects a file that is not a brsec JSON report in one line', () => {
    expectOneLineError(brsec(['scan', ecs, '--baseline', join(repoRoot, ecs)]), 'not a brsec JSON report');
    // A report whose host line is JSON of the wrong shape names the line.
    const odd = tmp.path('odd-baseline.json');
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
    const userData = tmp.path('ud.toml');
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
    const broken = tmp.path('broken-strict.json');
    writeFileSync(broken, unreadableSysctl(ecs));
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
