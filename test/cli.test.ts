// The brsec binary, as users run it: exit codes, one-line errors, outputs, colour.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import Ajv from 'ajv';
import { bin, brsec, repoRoot, expectOneLineError, snapshotWith } from './helpers/cli.js';

const example = join(repoRoot, 'examples', 'k8s-stock-full.json');
const ecsExample = join(repoRoot, 'examples', 'ecs-gaps.json');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'brsec-cli-'));
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, 'malformed.json'), '{"brsec": "snapshot/1", "host": ');
  writeFileSync(join(dir, 'unknown.json'), '{"hello": "world"}');
  writeFileSync(
    join(dir, 'no-host-id.json'),
    snapshotWith((s) => delete s.host.id),
  );
  writeFileSync(
    join(dir, 'stdout-number.json'),
    snapshotWith((s) => (s.captures['sysctl -a'].stdout = 42)),
  );
  writeFileSync(join(dir, 'bad.toml'), '[settings.kernel]\nlockdown = "integrity\n');
  mkdirSync(join(dir, 'empty'));
  writeFileSync(join(dir, 'empty', '.hidden'), 'x');
  writeFileSync(join(dir, 'unreadable.json'), readFileSync(example));
  chmodSync(join(dir, 'unreadable.json'), 0o000);
});

describe('bad input: one line naming the file and the problem, exit code 2', () => {
  it('malformed JSON', () => expectOneLineError(brsec(['scan', join(dir, 'malformed.json')]), 'malformed.json', 'malformed JSON'));
  it('valid JSON of no known kind', () => expectOneLineError(brsec(['scan', join(dir, 'unknown.json')]), 'unknown.json', 'no known kind'));
  it('a snapshot without host.id', () =>
    expectOneLineError(brsec(['scan', join(dir, 'no-host-id.json')]), 'no-host-id.json', 'host has no "id"'));
  it('a capture whose stdout is not a string', () =>
    expectOneLineError(
      brsec(['scan', join(dir, 'stdout-number.json')]),
      'stdout-number.json',
      'captures["sysctl -a"].stdout must be string',
    ));
  it('TOML with a syntax error', () => expectOneLineError(brsec(['scan', join(dir, 'bad.toml')]), 'bad.toml', 'TOML'));
  it('a directory with no inputs', () => expectOneLineError(brsec(['scan', join(dir, 'empty')]), 'empty', 'no input files'));
  it('a file that does not exist', () => expectOneLineError(brsec(['scan', join(dir, 'nope.json')]), 'nope.json', 'no such file'));
  it('an unreadable file', () => {
    // root reads anything, so run the CLI as nobody there.
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    expectOneLineError(brsec(['scan', join(dir, 'unreadable.json')], asNobody), 'unreadable.json', 'permission denied');
  });
  it('an output that is a folder', () => expectOneLineError(brsec(['scan', example, '-o', dir]), 'is a folder'));
  it('an unknown id in --check', () => expectOneLineError(brsec(['scan', example, '--check', 'BR-9.9']), 'unknown check id "BR-9.9"'));
  it('an unknown --variant', () =>
    expectOneLineError(brsec(['scan', example, '--variant', 'aws-windows-1']), 'unknown --variant "aws-windows-1"'));
  it('an unknown option', () => expectOneLineError(brsec(['scan', example, '--colour']), 'Unknown argument'));
  it('a bad input among good ones still reports the good ones', () => {
    const result = brsec(['scan', example, join(dir, 'unknown.json'), '--format', 'json']);
    expect(result.code).toBe(2);
    const report = JSON.parse(result.stdout);
    expect(report.hosts).toHaveLength(1);
    expect(report.inputErrors).toEqual([{ file: join(dir, 'unknown.json'), message: expect.stringContaining('no known kind') }]);
  });
});

describe('exit codes', () => {
  it('1 when a check failed', () => expect(brsec(['scan', example]).code).toBe(1));
  it('0 when nothing failed', () => expect(brsec(['scan', example, '--level', '1', '--profile', 'cis-bottlerocket']).code).toBe(0));
  it('3 when evidence was unusable and nothing failed', () => {
    const file = join(dir, 'broken-sysctl.json');
    writeFileSync(
      file,
      snapshotWith((s) => {
        s.captures['sysctl -a'] = { stdout: '', exitCode: 1, stderr: 'denied' };
        delete s.captures['apiclient report cis -f json -l 2'];
      }),
    );
    const result = brsec(['scan', file, '--check', 'BR-1.4.2', '--format', 'json']);
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout).hosts[0].results[0].status).toBe('ERROR');
  });
  it('141, quietly, when the reader of standard output goes away early', () => {
    const inputs = Array.from({ length: 20 }, () => `"${example}"`).join(' ');
    const result = spawnSync(
      'bash',
      ['-o', 'pipefail', '-c', `"${process.execPath}" "${bin}" scan ${inputs} --format json | head -c 10 >/dev/null`],
      { encoding: 'utf8' },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(141);
  });
});

describe('outputs', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(JSON.parse(readFileSync(join(repoRoot, 'schemas', 'report-1.schema.json'), 'utf8')));

  it('JSON reports validate against schemas/report-1.schema.json', () => {
    const file = join(dir, 'user-data.toml');
    writeFileSync(file, '[settings.kubernetes]\ncluster-name = "prod"\n[settings.kernel]\nlockdown = "none"\n');
    const result = brsec(['scan', example, ecsExample, file, '--format', 'json']);
    const report = JSON.parse(result.stdout);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.totals.hosts).toBe(3);
    expect(report.hosts[2].variant).toMatchObject({ family: 'aws-k8s', source: 'inferred' });
  });

  it('JSON reports with every profile, including PCI DSS requirements, validate too', () => {
    const report = JSON.parse(brsec(['scan', example, ecsExample, '--format', 'json', '--profile', 'all']).stdout);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.profiles).toEqual(['all']);
    expect(report.hosts[0].requirements.length).toBeGreaterThanOrEqual(14);
    expect(
      report.hosts[1].results
        .filter((r: { id: string; status: string }) => r.id.startsWith('K8S-'))
        .every((r: { status: string }) => r.status === 'NOT_APPLICABLE'),
    ).toBe(true);
  });

  it('--profile picks profiles; the text report shows PCI requirements', () => {
    const text = brsec(['scan', example, '--profile', 'pci-dss']).stdout;
    expect(text).toContain('PCI DSS v4.0.1 requirements');
    expect(text).toMatch(/FAIL\s+1\.3\.1\s+Inbound traffic/);
    expect(text).toMatch(/PASS\s+10\.6\.1\s+System clocks/);
    expectOneLineError(brsec(['scan', example, '--profile', 'soc2']), 'unknown profile "soc2"');
  });

  it('--allowed-registry and --update-repository replace the default lists', () => {
    const ecs = brsec(['scan', ecsExample, '-f', 'json', '--check', 'BRSEC-container-sources']);
    expect(JSON.parse(ecs.stdout).hosts[0].results[0].status).toBe('PASS');
    const narrowed = brsec([
      'scan',
      ecsExample,
      '-f',
      'json',
      '--check',
      'BRSEC-container-sources',
      '--allowed-registry',
      'registry.example.com/**',
    ]);
    const result = JSON.parse(narrowed.stdout).hosts[0].results[0];
    expect(result.status).toBe('FAIL');
    expect(result.reason).toContain('registry.example.com/**');
    const mirror = brsec([
      'scan',
      ecsExample,
      '-f',
      'json',
      '--check',
      'BRSEC-update-repositories',
      '--update-repository',
      'https://mirror.example.com/**',
    ]);
    expect(JSON.parse(mirror.stdout).hosts[0].results[0].status).toBe('FAIL');
  });

  it('reads UTF-16 files with a byte order mark, as PowerShell writes them', () => {
    const text = readFileSync(example, 'utf8');
    const le = join(dir, 'utf16le.json');
    const be = join(dir, 'utf16be.json');
    writeFileSync(le, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    writeFileSync(be, Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]));
    const result = brsec(['scan', le, be, '-f', 'json']);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout).totals.hosts).toBe(2);
  });

  it('reads standard input with -', () => {
    const result = brsec(['scan', '-', '--format', 'json'], { input: readFileSync(ecsExample) });
    expect(JSON.parse(result.stdout).hosts[0].host.id).toBe('i-0c3d4e5f6a7b89012');
  });

  it('scans a directory of snapshots', () => {
    const result = brsec(['scan', join(repoRoot, 'examples'), '--format', 'json']);
    expect(JSON.parse(result.stdout).totals.hosts).toBe(readdirSync(join(repoRoot, 'examples')).length);
  });

  it("never lets a snapshot's text drive the terminal: control characters and bidi overrides are shown, not sent", () => {
    const file = join(dir, 'terminal.json');
    writeFileSync(
      file,
      snapshotWith((snapshot) => {
        snapshot.host.name = 'web\u001b]0;owned\u0007\u001b[2J\u202eevil';
        const get = JSON.parse(snapshot.captures['apiclient get'].stdout);
        get.settings.kernel.lockdown = 'none\u001b]52;c;cm0gLXJmIH4=\u0007';
        snapshot.captures['apiclient get'].stdout = JSON.stringify(get);
      }, 'examples/ecs-gaps.json'),
    );
    const result = brsec(['scan', file, '--check', 'BR-1.5.2']);
    expect(result.stdout).not.toMatch(/[\u001b\u0007\u202e]/);
    expect(result.stdout).toContain('web\\x1b]0;owned\\x07\\x1b[2J\\u202eevil');
    expect(result.stdout).toContain('\\x1b]52;c;');
    const markdown = brsec(['scan', file, '--check', 'BR-1.5.2', '-f', 'markdown']).stdout;
    expect(markdown).not.toMatch(/[\u001b\u0007\u202e]/);
  });

  it('follows symbolic links in a folder, as a mounted ConfigMap has them, and reads a looping folder once', () => {
    const mount = join(dir, 'configmap');
    mkdirSync(join(mount, '..2026_11_26_09_00_00.123'), { recursive: true });
    for (const f of ['ecs-gaps.json', 'k8s-stock-full.json']) {
      writeFileSync(join(mount, '..2026_11_26_09_00_00.123', f), readFileSync(join(repoRoot, 'examples', f)));
      symlinkSync(join('..data', f), join(mount, f));
    }
    symlinkSync('..2026_11_26_09_00_00.123', join(mount, '..data'));
    symlinkSync('.', join(mount, 'again'));
    const result = brsec(['scan', mount, '-f', 'json']);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout).hosts.map((h: { source: string }) => h.source)).toEqual([
      join(mount, 'ecs-gaps.json'),
      join(mount, 'k8s-stock-full.json'),
    ]);
  });

  it("ends a fleet's text report with the checks that fail on most hosts", () => {
    const result = brsec(['scan', join(repoRoot, 'examples'), example]);
    expect(result.stdout).toContain('Failing checks across 3 hosts, most widespread first:');
    // Both examples fail the IPv4 default-deny policy: all three hosts.
    expect(result.stdout).toMatch(/^ +3 {2}BR-3\.4\.1\.1 +medium +Ensure IPv4 default deny firewall policy$/m);
    expect(brsec(['scan', example]).stdout).not.toContain('Failing checks across');
  });

  it('takes - as standard output for --output, and refuses two reports there', () => {
    expect(JSON.parse(brsec(['scan', example, '-f', 'json', '-o', '-']).stdout).format).toBe('brsec-report/1');
    const textFile = join(dir, 'to-file.txt');
    const both = brsec(['scan', example, '-o', textFile, '-o', 'json=-']);
    expect(JSON.parse(both.stdout).format).toBe('brsec-report/1');
    expect(readFileSync(textFile, 'utf8')).toContain('Fleet: 1 host(s)');
    expectOneLineError(brsec(['scan', example, '-o', 'json=-']), 'text and json would both go to standard output');
  });

  it('never writes a report over one of its inputs, by any path to it', () => {
    const input = join(dir, 'precious.json');
    const original = readFileSync(join(repoRoot, 'examples', 'ecs-gaps.json'), 'utf8');
    writeFileSync(input, original);
    symlinkSync(input, join(dir, 'precious-alias.json'));
    expectOneLineError(brsec(['scan', input, '-f', 'json', '-o', input]), 'precious.json is also an input');
    expectOneLineError(brsec(['scan', dir + '/precious.json', '-o', `json=${join(dir, 'precious-alias.json')}`]), 'is also an input');
    const folder = join(dir, 'precious-folder');
    mkdirSync(folder);
    writeFileSync(join(folder, 'a.json'), original);
    expectOneLineError(brsec(['scan', folder, '-o', `sarif=${join(folder, 'a.json')}`]), 'a.json is also an input');
    expect(readFileSync(input, 'utf8')).toBe(original);
    expect(readFileSync(join(folder, 'a.json'), 'utf8')).toBe(original);
    expect(readdirSync(folder)).toEqual(['a.json']);
  });

  it('replaces an existing output file only when the scan finishes', () => {
    const out = join(dir, 'report.json');
    writeFileSync(out, 'previous report');
    expect(brsec(['scan', example, '--check', 'BR-0', '-o', out]).code).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe('previous report');
    expect(brsec(['scan', example, '-f', 'json', '-o', out]).code).toBe(1);
    expect(JSON.parse(readFileSync(out, 'utf8')).format).toBe('brsec-report/1');
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('writes to a device in place instead of replacing it', () => {
    expect(brsec(['scan', example, '-f', 'json', '-o', '/dev/null']).code).toBe(1);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('--check and --skip select checks', () => {
    const only = JSON.parse(brsec(['scan', example, '-f', 'json', '--check', 'BR-1.4.2', 'BR-1.5.2']).stdout);
    expect(only.hosts[0].results.map((r: { id: string }) => r.id)).toEqual(['BR-1.4.2', 'BR-1.5.2']);
    const skipped = JSON.parse(brsec(['scan', example, '-f', 'json', '--profile', 'cis-bottlerocket', '--skip', 'BR-1.4.2']).stdout);
    expect(skipped.hosts[0].results).toHaveLength(27);
  });

  it('text has no colour unless forced, and honours NO_COLOR', () => {
    expect(brsec(['scan', example]).stdout).not.toContain('\u001b[');
    expect(brsec(['scan', example], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } }).stdout).toContain('\u001b[');
    const text = brsec(['scan', example, '--profile', 'cis-bottlerocket']).stdout;
    expect(text).toMatch(/FAIL i-0a1b2c3d4e5f67890: 14 passed, 10 failed/);
    expect(text).toMatch(/Fleet: 1 host\(s\)/);
  });
});

describe('large fleets on worker threads', () => {
  it('gives the same report as one thread, in input order, with bad inputs reported', () => {
    const fleet = join(dir, 'fleet');
    mkdirSync(fleet);
    const base = JSON.parse(readFileSync(example, 'utf8'));
    for (let i = 0; i < 70; i++) {
      const snapshot = structuredClone(base);
      snapshot.host.id = `i-${String(i).padStart(17, '0')}`;
      if (i % 3 === 0) snapshot.captures['cat /sys/kernel/security/lockdown'].stdout = '[none] integrity confidentiality\n';
      if (i % 5 === 0) snapshot.captures['sysctl -a'] = { stdout: '', exitCode: 1, stderr: 'denied' };
      writeFileSync(join(fleet, `host-${String(i).padStart(3, '0')}.json`), JSON.stringify(snapshot));
    }
    writeFileSync(join(fleet, 'host-040-broken.json'), '{"brsec": "snapshot/1"');
    const common = [
      '--profile',
      'all',
      '--allowed-registry',
      '328549459982.dkr.ecr.*.amazonaws.com/**',
      '--waivers',
      'test/fixtures/golden/waivers.yaml',
    ];
    const parallel = brsec(['scan', fleet, '-f', 'json', '--jobs', '2', ...common]);
    const single = brsec(['scan', fleet, '-f', 'json', '--jobs', '1', ...common]);
    expect(parallel.code).toBe(2);
    expect(parallel.stderr).toContain('host-040-broken.json: malformed JSON');
    const strip = (text: string) => text.replace(/"generatedAt":"[^"]+"/, '');
    expect(strip(parallel.stdout)).toBe(strip(single.stdout));
    const report = JSON.parse(parallel.stdout);
    expect(report.hosts.map((h: { host: { id: string } }) => h.host.id)).toEqual(
      Array.from({ length: 70 }, (_, i) => `i-${String(i).padStart(17, '0')}`),
    );
    expect(report.totals).toMatchObject({ hosts: 70, inputErrors: 1 });
    expect(report.totals.gate.waived).toBeGreaterThan(0);
    const text = brsec(['scan', fleet, '--jobs', '2']);
    expect(text.stdout).toBe(brsec(['scan', fleet, '--jobs', '1']).stdout);
  });

  it('rejects a --jobs that is not a whole number of at least 1', () =>
    expectOneLineError(brsec(['scan', example, '--jobs', '0']), '--jobs'));
});

describe('checks commands, help and version', () => {
  it('lists checks by level and profile', () => {
    expect(brsec(['checks', 'list', '--level', '1', '--profile', 'cis-bottlerocket']).stdout).toContain('15 checks');
    expect(brsec(['checks', 'list', '--profile', 'cis-bottlerocket']).stdout).toContain('28 checks');
    expect(brsec(['checks', 'list', '--profile', 'cis-kubernetes']).stdout).toContain('26 checks');
    expect(brsec(['checks', 'list', '--profile', 'hardening']).stdout).toContain('22 checks');
    expect(brsec(['checks', 'list', '--profile', 'fips']).stdout).toContain('4 checks');
    expect(brsec(['checks', 'list']).stdout).toContain('77 checks');
    const pci = JSON.parse(brsec(['checks', 'list', '--profile', 'pci-dss', '-f', 'json']).stdout) as {
      id: string;
      requirements: string[];
    }[];
    expect(pci.every((c) => c.requirements.length > 0)).toBe(true);
    expectOneLineError(brsec(['checks', 'list', '--profile', 'nist']), 'unknown profile "nist"');
  });
  it('lists profiles with their defaults', () => {
    const out = brsec(['checks', 'profiles']).stdout;
    expect(out).toMatch(
      /cis-node\s+39 checks .*\(13 CIS Amazon EKS Benchmark \(worker node\) or 25–26 CIS Kubernetes Benchmark \(worker node\) per node\) \(default for kubernetes hosts\)/,
    );
    expect(out).toMatch(/cis-kubernetes-v1\.11\s+26 checks/);
    expect(out).toMatch(/cis-kubernetes-v1\.12\s+25 checks/);
    expect(out).toMatch(/cis-eks-v1\.7\s+13 checks/);
    expect(out).toMatch(/pci-dss\s+\d+ checks/);
  });
  it('prints the benchmarks, their versions and the table that picks one per node', () => {
    const out = brsec(['checks', 'benchmarks']).stdout.split('\n');
    expect(out).toContain('cis-kubernetes    v1.11.1, v1.12.0  26      CIS Kubernetes Benchmark (worker node)');
    expect(out).toContain('cis-eks           v1.7.0, v1.8.0    13      CIS Amazon EKS Benchmark (worker node)');
    expect(
      out
        .filter((l) => /^(eks|kubernetes)\s/.test(l))
        .map((l) =>
          l
            .split(/\s{2,}/)
            .slice(0, 5)
            .join(' | '),
        ),
    ).toEqual([
      'eks | aws-k8s, aws-k8s-nvidia | 1.29-1.31 | cis-eks | v1.7.0',
      'eks | aws-k8s, aws-k8s-nvidia | 1.32-1.34 | cis-eks | v1.8.0',
      'kubernetes | vmware-k8s, metal-k8s | 1.29-1.31 | cis-kubernetes | v1.11.1',
      'kubernetes | vmware-k8s, metal-k8s | 1.32-1.34 | cis-kubernetes | v1.12.0',
    ]);
    const json = JSON.parse(brsec(['checks', 'benchmarks', '-f', 'json']).stdout);
    expect(json.perNodeProfiles).toEqual(['cis-node']);
    expect(json.selection.otherwise).toBe('kubernetes');
    expect(json.benchmarks.find((b: { id: string }) => b.id === 'cis-eks').versions).toEqual(['v1.7.0', 'v1.8.0']);
  });
  it('shows a check with its remediation and the PCI requirements it evidences', () => {
    const result = brsec(['checks', 'show', 'BR-1.5.2']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('apiclient set kernel.lockdown=integrity');
    expect(result.stdout).toContain('lockdown = "integrity"');
    expect(result.stdout).toContain('PCI DSS 4.0.1 requirement 2.2.6');
    expect(result.stdout).toContain('PCI DSS 4.0.1 requirement 11.5.2');
    const sources = brsec(['checks', 'show', 'BRSEC-container-sources']).stdout;
    expect(sources).toContain('allowedRegistries (--allowed-registry)');
  });
  it('rejects an unknown id', () => expectOneLineError(brsec(['checks', 'show', 'BR-0']), 'unknown check id'));
  it('prints help and version', () => {
    expect(brsec(['--help']).stdout).toContain('Exit codes');
    expect(brsec(['--version']).stdout.trim()).toBe(JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version);
    expect(existsSync(join(repoRoot, 'dist', 'cli', 'brsec.cjs.cache'))).toBe(true);
  });
});
