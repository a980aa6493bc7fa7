// The capture script, run against a fake host: stub commands on PATH print the sample outputs (one missing,
// one failing), host files live below a fake root, and brsec reads what the script prints.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { detectInput, scanHost, planScan, loadCatalog } from '../src/index.js';
import { FIPS_REPORT } from './helpers/fips.js';
import { brsec, repoRoot, fixturesDir } from './helpers/cli.js';

const script = join(repoRoot, 'data', 'capture.sh');
// dash: Debian's POSIX sh, so bash-only syntax in the script would fail here.
const dash = spawnSync('sh', ['-c', 'command -v dash'], { encoding: 'utf8' }).stdout.trim() || '/bin/sh';
const sample = JSON.parse(readFileSync(join(fixturesDir, 'samples', 'snapshots', 'k8s-stock-full.json'), 'utf8'));
const out = (key: string): string => sample.captures[key].stdout;
let root: string;
let stubs: string;
let data: string;

function write(path: string, text: string, mode = 0o644) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  chmodSync(path, mode);
}

function stub(name: string, body: string) {
  write(join(stubs, name), `#!/bin/sh\n${body}\n`, 0o755);
}

/** A directory of symlinks to the tools the script may use, so PATH can leave one out (jq). */
function toolDir(without: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'brsec-tools-'));
  for (const tool of [
    'sh',
    'cat',
    'grep',
    'sed',
    'tr',
    'cut',
    'wc',
    'mktemp',
    'rm',
    'mv',
    'cp',
    'date',
    'id',
    'find',
    'stat',
    'base64',
    'gzip',
    'jq',
    'chmod',
    'printf',
  ]) {
    if (without.includes(tool)) continue;
    const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
    if (found.startsWith('/')) spawnSync('ln', ['-s', found, join(dir, tool)]);
  }
  return dir;
}

function run(args: string[], options: { without?: string[] } = {}) {
  const path = `${stubs}:${toolDir(options.without ?? [])}`;
  return spawnSync(dash, [script, '--root', root, '--kernel-root', root, ...args], {
    encoding: 'utf8',
    env: { PATH: path, BRSEC_TEST_NO_CHROOT: '1', TMPDIR: tmpdir() },
    maxBuffer: 1 << 26,
  });
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'brsec-fakehost-'));
  stubs = mkdtempSync(join(tmpdir(), 'brsec-stubs-'));
  write(join(root, 'etc/os-release'), 'NAME=Bottlerocket\nID=bottlerocket\nVERSION_ID=1.26.1\n');
  write(join(root, 'proc/cmdline'), out('cat /proc/cmdline'));
  write(join(root, 'sys/kernel/security/lockdown'), out('cat /sys/kernel/security/lockdown'));
  write(join(root, 'sys/fs/selinux/enforce'), out('cat /sys/fs/selinux/enforce'));
  write(join(root, 'proc/modules'), out('cat /proc/modules'));
  write(join(root, 'proc/sys/crypto/fips_enabled'), '1\n');
  write(join(root, 'etc/chrony.conf'), out('cat /etc/chrony.conf'));
  write(join(root, 'usr/lib/systemd/journald.conf.d/journald.conf'), out('cat /usr/lib/systemd/journald.conf.d/journald.conf'));
  write(join(root, 'var/log/journal/0123/system.journal'), 'journal', 0o640);
  write(join(root, 'etc/kubernetes/kubelet/config'), out('cat /etc/kubernetes/kubelet/config'), 0o600);
  write(join(root, 'etc/systemd/system/kubelet.service.d/exec-start.conf'), '[Service]\n', 0o644);
  write(join(root, 'etc/kubernetes/kubelet/kubeconfig'), 'apiVersion: v1\n', 0o600);
  write(join(root, 'etc/kubernetes/pki/ca.crt'), 'CA\n', 0o600);
  data = join(stubs, 'data');
  mkdirSync(data);
  for (const [file, key] of [
    ['get.json', 'apiclient get'],
    ['update.json', 'apiclient update check'],
    ['cis.json', 'apiclient report cis -f json -l 2'],
    ['cisk8s.json', 'apiclient report cis-k8s -f json -l 2'],
    ['sysctl.txt', 'sysctl -a'],
    ['ip6tables.txt', 'ip6tables -L -v -n'],
    ['udf.txt', 'modprobe -n -v udf'],
    ['sctp.txt', 'modprobe -n -v sctp'],
    ['chronyd.txt', 'systemctl show --property ActiveState chronyd'],
  ] as const)
    writeFileSync(join(data, file), out(key));
  writeFileSync(join(data, 'fips.json'), FIPS_REPORT);
  stub(
    'apiclient',
    `case "$*" in
  "get") cat "${data}/get.json" ;;
  "get os") cat "${data}/get.json" ;;
  "update check") cat "${data}/update.json" ;;
  "report cis -f json -l 2") cat "${data}/cis.json" ;;
  "report cis-k8s -f json -l 2") cat "${data}/cisk8s.json" ;;
  "report fips -f json") cat "${data}/fips.json" ;;
  *) echo "apiclient stub: $*" >&2; exit 1 ;;
esac`,
  );
  stub('sysctl', `cat "${data}/sysctl.txt"`);
  stub('ip6tables', `cat "${data}/ip6tables.txt"`);
  stub('iptables', 'echo "iptables v1.8.9 (legacy): cannot initialize iptables table filter: Permission denied" >&2; exit 4');
  stub('modprobe', `cat "${data}/$3.txt"`);
  stub('systemctl', `cat "${data}/chronyd.txt"`);
});

describe('capture script', () => {
  it('is what `brsec capture-script` prints', () => {
    expect(brsec(['capture-script']).stdout).toBe(readFileSync(script, 'utf8'));
  });

  it.each([
    ['with jq', []],
    ['without jq (base64 captures)', ['jq']],
  ])('prints one snapshot/1 that brsec reads, %s; missing and failing commands are recorded', (_name, without) => {
    const result = run([], { without });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const input = detectInput(result.stdout, { source: 'capture' });
    const captures = input.snapshot.captures;
    expect(captures['sestatus']).toMatchObject({ exitCode: 127, stderr: expect.stringContaining('command not found') });
    expect(captures['iptables -L -v -n']).toMatchObject({ exitCode: 4, stderr: expect.stringContaining('Permission denied') });
    expect(captures['cat /proc/cmdline']!.stdout).toBe(out('cat /proc/cmdline'));
    expect(captures['sysctl -a']!.stdout).toBe(out('sysctl -a'));
    // Paths are the host's, not the fake root's.
    expect(captures["find /var/log/journal -type f -printf '%m %u %g %p\\n'"]!.stdout).toMatch(
      /^640 \S+ \S+ \/var\/log\/journal\/0123\/system.journal\n$/,
    );
    const stat = Object.keys(captures).find((k) => k.startsWith('stat -c'))!;
    expect(stat).toBe(Object.keys(sample.captures).find((k) => k.startsWith('stat -c')));
    expect(captures[stat]!.stdout).toContain(
      '644 0 0 /etc/systemd/system/kubelet.service.d/exec-start.conf'.replace(
        ' 0 0 ',
        ` ${process.getuid?.() ?? 0} ${process.getgid?.() ?? 0} `,
      ),
    );
    // No kube-proxy config on the host: recorded as the command's failure, which brsec reads as no file.
    for (const key of [
      'cat /etc/kubernetes/kube-proxy/kube-proxy.conf',
      "stat -c '%a %u %g %n' /etc/kubernetes/kube-proxy/kube-proxy.conf",
    ])
      expect(captures[key], key).toMatchObject({ exitCode: 1, stdout: '', stderr: expect.stringContaining('No such file or directory') });
    // brsec reaches the sample's verdicts, except where the failing iptables leaves only bloodhound's verdict.
    const catalog = loadCatalog();
    const plan = planScan(catalog, { profiles: ['all'] });
    const mine = scanHost(input, plan).results;
    const reference = scanHost(detectInput(JSON.stringify(sample), { source: 'sample' }), plan).results;
    for (const r of reference) {
      const got = mine.find((m) => m.id === r.id)!;
      if (r.id.startsWith('BR-3.4.1'))
        expect(got.evidence.some((e) => e.origin === 'bloodhound') || got.status === 'MANUAL', r.id).toBe(true);
      else if (r.id === 'BR-1.5.1') expect(['PASS', 'ERROR'], r.id).toContain(got.status);
      // The sample has no kube-proxy captures (NOT_ASSESSED); the script records that the file does not exist.
      else if (['K8S-4.1.3', 'K8S-4.1.4', 'K8S-4.3.1'].includes(r.id)) expect(r.status, r.id).toBe('NOT_ASSESSED');
      // No auditctl where the test runs the script: the command's failure is recorded, and unusable.
      else if (r.id === 'BRSEC-audit-rules') expect(got.reason).toContain('auditctl: command not found');
      else if (!r.id.startsWith('K8S-4.1.') && !r.id.startsWith('BR-4.1.2')) expect(got.status, r.id).toBe(r.status);
    }
    for (const id of ['K8S-4.1.3', 'K8S-4.1.4', 'K8S-4.3.1'])
      expect(
        mine.find((r) => r.id === id)!,
        id,
      ).toMatchObject({
        status: 'MANUAL',
        reason: expect.stringContaining(
          'where its subject does not exist, and /etc/kubernetes/kube-proxy/kube-proxy.conf does not exist on this host',
        ),
      });
  });

  it("captures FIPS mode always, and bloodhound's FIPS report on a FIPS variant only", () => {
    const plain = detectInput(run([]).stdout, { source: 'capture' }).snapshot.captures;
    expect(plain['cat /proc/sys/crypto/fips_enabled']!.stdout).toBe('1\n');
    expect(plain['apiclient report fips -f json']).toBeUndefined();
    const get = readFileSync(join(data, 'get.json'), 'utf8');
    try {
      writeFileSync(join(data, 'get.json'), get.replace(/"variant_id": *"aws-k8s-1\.30"/, '"variant_id": "aws-k8s-1.30-fips"'));
      const input = detectInput(run([]).stdout, { source: 'capture' });
      expect(input.snapshot.captures['apiclient report fips -f json']!.stdout.trim()).toBe(FIPS_REPORT);
      const results = scanHost(input, planScan(loadCatalog(), { profiles: ['fips'] })).results;
      expect(Object.fromEntries(results.map((r) => [r.id, r.status]))).toMatchObject({
        'BRSEC-fips-mode': 'PASS',
        'BRSEC-fips-report': 'PASS',
      });
    } finally {
      writeFileSync(join(data, 'get.json'), get);
    }
  });

  it('prints a compressed, chunked payload for SSM, keeping the rest for follow-up commands', () => {
    const result = run(['--payload', 'gzip-base64', '--run', 'test1', '--chunk-size', '4000']);
    expect(result.status).toBe(0);
    const [header, chunk] = result.stdout.split('\n');
    const m = /^brsec-payload\/1 gzip\+base64 length=(\d+) chunks=(\d+) chunk-size=4000 run=test1$/.exec(header!);
    expect(m).not.toBeNull();
    expect(chunk!.length).toBe(Math.min(4000, Number(m![1])));
    // The script keeps the payload where a later Run Command in the same container finds it.
    const kept = readFileSync('/tmp/brsec-test1.b64', 'utf8');
    rmSync('/tmp/brsec-test1.b64');
    expect(kept.length).toBe(Number(m![1]));
    expect(kept.startsWith(chunk!)).toBe(true);
  });

  it('refuses to run anywhere but a Bottlerocket host (exit 3)', () => {
    const other = mkdtempSync(join(tmpdir(), 'brsec-other-'));
    const result = spawnSync(dash, [script, '--root', other], { encoding: 'utf8', env: { PATH: toolDir([]), BRSEC_TEST_NO_CHROOT: '1' } });
    expect(result.status).toBe(3);
    expect(result.stderr).toContain('not a Bottlerocket host');
  });
});
