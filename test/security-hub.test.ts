// Scheduled audits into Security Hub: ASFF and OCSF output, Inspector evidence, and the import lifecycle over two
// audits, against the loopback stand-in with throttling and partial failures.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeAws } from './helpers/fake-aws.mjs';
import { brsecAsync, repoRoot, standInEnv } from './helpers/cli.js';
import { asffProblems } from './helpers/findings.js';

const k8s = JSON.parse(readFileSync(join(repoRoot, 'examples', 'k8s-stock-full.json'), 'utf8'));
const ecs = JSON.parse(readFileSync(join(repoRoot, 'examples', 'ecs-gaps.json'), 'utf8'));
const ACCOUNT = '123456789012';
let fake: FakeAws | undefined;

afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

function host(base: Record<string, any>, id: string, account = ACCOUNT): Record<string, any> {
  const s = structuredClone(base);
  s.host = { id, name: `${id}.internal`, accountId: account, region: 'us-west-2' };
  return s;
}

function env(f: FakeAws) {
  // Retries at full speed in tests; the product's default is adaptive.
  return standInEnv(f.url, { AWS_RETRY_MODE: 'standard' });
}

describe('Security Hub lifecycle', () => {
  it(
    'two audits: one finding per host and check, the fixed one PASSED, the gone host ARCHIVED, the waived one archived with its waiver',
    { timeout: 120_000 },
    async () => {
      fake = await new FakeAws({ importFailRate: 0.05, importThrottleRate: 0.1, accountId: ACCOUNT }).start();
      const dir = mkdtempSync(join(tmpdir(), 'brsec-sh-'));
      const hosts = join(dir, 'hosts');
      mkdirSync(hosts);
      const a = host(k8s, 'i-0000000000000000a');
      const b = host(ecs, 'i-0000000000000000b');
      const c = host(ecs, 'i-0000000000000000c');
      const other = host(ecs, 'i-0000000000000000d', '999999999999');
      for (const s of [a, b, c, other]) writeFileSync(join(hosts, `${s.host.id}.json`), JSON.stringify(s));

      const first = await brsecAsync(['scan', hosts, '--security-hub', '-f', 'json', '--profile', 'cis-bottlerocket', 'hardening'], {
        env: env(fake),
      });
      expect(first.stderr).toContain('finding(s) imported');
      expect(first.stderr).toContain('i-0000000000000000d: skipped for Security Hub: account 999999999999');
      const afterFirst = new Map([...fake.findings].map(([id, f]) => [id, f.UpdatedAt as string]));
      const lockdownB = 'brsec/cis-bottlerocket@v1.0/BR-1.5.2/i-0000000000000000b';
      expect(fake.findings.get(lockdownB)?.Compliance.Status).toBe('FAILED');

      // Between the audits: B raises lockdown, C is gone, and A's firewall policy gets a waiver.
      b.captures['apiclient get'].stdout = b.captures['apiclient get'].stdout.replace('"lockdown": "none"', '"lockdown": "integrity"');
      b.captures['cat /sys/kernel/security/lockdown'].stdout = 'none [integrity] confidentiality\n';
      writeFileSync(join(hosts, `${b.host.id}.json`), JSON.stringify(b));
      rmSync(join(hosts, `${c.host.id}.json`));
      const waivers = join(dir, 'waivers.yaml');
      writeFileSync(
        waivers,
        `waivers:\n  - check: BR-3.4.1.1\n    hosts: [${a.host.id}]\n    reason: the VPC enforces default deny for this node group\n    owner: network-team\n    expires: 2999-01-01\n`,
      );
      await new Promise((resolve) => setTimeout(resolve, 5));
      const second = await brsecAsync(
        ['scan', hosts, '--security-hub', '-f', 'json', '--profile', 'cis-bottlerocket', 'hardening', '--waivers', waivers],
        { env: env(fake) },
      );
      expect(second.stderr).toMatch(/finding\(s\) imported, [1-9]\d* archived, 0 failed/);
      const report = JSON.parse(second.stdout);

      // Exactly one finding per host and check that applies.
      for (const h of report.hosts.filter((x: any) => x.host.accountId === ACCOUNT)) {
        const stored = [...fake.findings.values()].filter((f) => f.ProductFields['brsec/host'] === h.host.id);
        expect(stored.length, h.host.id).toBe(h.results.filter((r: any) => r.status !== 'NOT_APPLICABLE').length);
      }
      const fixed = fake.findings.get(lockdownB)!;
      expect(fixed).toMatchObject({ Compliance: { Status: 'PASSED' }, RecordState: 'ACTIVE' });
      expect(Date.parse(fixed.UpdatedAt)).toBeGreaterThan(Date.parse(afterFirst.get(lockdownB)!));
      const gone = [...fake.findings.values()].filter((f) => f.ProductFields['brsec/host'] === c.host.id);
      expect(gone.length).toBeGreaterThan(10);
      expect(gone.every((f) => f.RecordState === 'ARCHIVED')).toBe(true);
      const waived = fake.findings.get(`brsec/cis-bottlerocket@v1.0/BR-3.4.1.1/${a.host.id}`)!;
      expect(waived).toMatchObject({
        RecordState: 'ARCHIVED',
        Compliance: { Status: 'FAILED' },
        ProductFields: { 'brsec/waiver/owner': 'network-team', 'brsec/waiver/state': 'active' },
      });
      expect([...fake.findings.values()].some((f) => f.ProductFields['brsec/host'] === other.host.id)).toBe(false);
      // Every stored finding is valid ASFF; no call carried more than 100; throttles and partial failures happened.
      for (const f of fake.findings.values()) expect(asffProblems(f as never), f.Id).toEqual([]);
      expect(fake.maxFindingsPerImport).toBeLessThanOrEqual(100);
      expect(fake.shThrottled).toBeGreaterThan(0);
    },
  );
});

describe('Security Hub and inputs that cannot be read', () => {
  it(
    'a host whose input is unreadable keeps its findings, FAILED ones included, as an unreachable one does',
    { timeout: 120_000 },
    async () => {
      fake = await new FakeAws({ accountId: ACCOUNT }).start();
      const dir = mkdtempSync(join(tmpdir(), 'brsec-sh-unreadable-'));
      const hosts = join(dir, 'hosts');
      mkdirSync(hosts);
      const a = host(ecs, 'i-0000000000000000a');
      const b = host(ecs, 'i-0000000000000000b');
      for (const s of [a, b]) writeFileSync(join(hosts, `${s.host.id}.json`), JSON.stringify(s));
      const audit = () => brsecAsync(['scan', hosts, '--security-hub', '-f', 'json', '--profile', 'cis-bottlerocket'], { env: env(fake!) });
      await audit();
      const ofA = () => [...fake!.findings.values()].filter((f) => f.ProductFields['brsec/host'] === a.host.id);
      const failedOfA = ofA().filter((f) => f.Compliance.Status === 'FAILED').length;
      expect(failedOfA).toBeGreaterThan(0);
      const pause = () => new Promise((resolve) => setTimeout(resolve, 5));

      // A's file, named by its instance id as collect names them, cannot be read.
      await pause();
      writeFileSync(join(hosts, `${a.host.id}.json`), '{"brsec": "snapshot/1", "host": ');
      expect((await audit()).code).toBe(2);
      expect(ofA().every((f) => f.RecordState === 'ACTIVE')).toBe(true);
      expect(ofA().filter((f) => f.Compliance.Status === 'FAILED')).toHaveLength(failedOfA);

      // An unreadable file whose host cannot be told: no host this audit did not see loses its findings.
      await pause();
      rmSync(join(hosts, `${a.host.id}.json`));
      writeFileSync(join(hosts, 'node-7.json'), 'not json');
      expect((await audit()).code).toBe(2);
      expect(ofA().every((f) => f.RecordState === 'ACTIVE')).toBe(true);

      // With every input read, a host that is gone is archived as before.
      await pause();
      rmSync(join(hosts, 'node-7.json'));
      await audit();
      expect(ofA().every((f) => f.RecordState === 'ARCHIVED')).toBe(true);
    },
  );
});

describe('Inspector evidence', () => {
  it(
    '--inspector adds coverage and findings; checks judge them; reports summarise them; no coverage is never "no vulnerabilities"',
    { timeout: 60_000 },
    async () => {
      fake = await new FakeAws({ accountId: ACCOUNT }).start();
      const now = Date.now() / 1000;
      const dir = mkdtempSync(join(tmpdir(), 'brsec-insp-'));
      const ids = Array.from({ length: 12 }, (_, i) => `i-00000000000000${String(i).padStart(3, '0')}`);
      ids.forEach((id, i) => {
        writeFileSync(join(dir, `${id}.json`), JSON.stringify(host(i % 2 ? k8s : ecs, id)));
        fake!.addNode({
          id,
          inspector:
            i === 0
              ? { coverage: [{ scanType: 'PACKAGE', scanStatus: { statusCode: 'INACTIVE', reason: 'UNSUPPORTED_OS' } }], findings: [] }
              : {
                  coverage: [
                    {
                      scanType: 'PACKAGE',
                      scanStatus: { statusCode: 'ACTIVE', reason: 'SUCCESSFUL' },
                      lastScannedAt: now - 3600,
                      scanMode: 'EC2_SSM_AGENT_BASED',
                    },
                  ],
                  findings: [
                    {
                      findingArn: `arn:aws:inspector2:us-west-2:${ACCOUNT}:finding/${i}a`,
                      severity: 'CRITICAL',
                      status: 'ACTIVE',
                      fixAvailable: 'YES',
                      firstObservedAt: now - (i === 1 ? 45 : 3) * 86400,
                      lastObservedAt: now,
                      title: 'CVE-2026-1111 - openssl',
                      type: 'PACKAGE_VULNERABILITY',
                      description: 'x',
                      packageVulnerabilityDetails: {
                        vulnerabilityId: 'CVE-2026-1111',
                        source: 'NVD',
                        vulnerablePackages: [{ name: 'openssl', version: '3.0.8', fixedInVersion: '3.0.15' }],
                      },
                    },
                    {
                      findingArn: `arn:aws:inspector2:us-west-2:${ACCOUNT}:finding/${i}b`,
                      severity: 'MEDIUM',
                      status: 'ACTIVE',
                      fixAvailable: 'NO',
                      firstObservedAt: now - 90 * 86400,
                      lastObservedAt: now,
                      title: 'CVE-2025-2222',
                      type: 'PACKAGE_VULNERABILITY',
                      description: 'x',
                    },
                  ],
                },
        });
      });
      const result = await brsecAsync(['scan', dir, '--inspector', '-f', 'json', '--profile', 'pci-dss'], { env: env(fake) });
      const report = JSON.parse(result.stdout);
      const byId = new Map<string, any>(report.hosts.map((h: any) => [h.host.id, h]));
      const status = (id: string, check: string) => byId.get(id).results.find((r: any) => r.id === check);
      expect(status(ids[0]!, 'BRSEC-inspector-findings')).toMatchObject({
        status: 'NOT_ASSESSED',
        reason: expect.stringContaining('INACTIVE (UNSUPPORTED_OS)'),
      });
      expect(status(ids[0]!, 'BRSEC-inspector-coverage').status).toBe('FAIL');
      expect(status(ids[1]!, 'BRSEC-inspector-findings')).toMatchObject({
        status: 'FAIL',
        reason: expect.stringContaining('CVE-2026-1111 (CRITICAL, 45 days)'),
      });
      expect(status(ids[2]!, 'BRSEC-inspector-findings').status).toBe('PASS');
      expect(status(ids[2]!, 'BRSEC-inspector-coverage').status).toBe('PASS');
      expect(byId.get(ids[2]!).vulnerabilities).toEqual({
        coverage: 'ACTIVE',
        active: { CRITICAL: 1, HIGH: 0, MEDIUM: 1, LOW: 0, INFORMATIONAL: 0, UNTRIAGED: 0 },
        fixable: 1,
      });
      expect(byId.get(ids[0]!).vulnerabilities.coverage).toBe('INACTIVE (UNSUPPORTED_OS)');
      expect(byId.get(ids[1]!).requirements.find((r: any) => r.id === '6.3.3').status).toBe('FAIL');
      // 12 hosts: two groups of at most 10 resource ids per filter.
      expect(fake.calls.filter((c) => c === '/inspector2/findings/list').length).toBeGreaterThanOrEqual(2);
      const text = await brsecAsync(['scan', join(dir, `${ids[0]}.json`), '--inspector'], { env: env(fake) });
      expect(text.stdout).toContain('Inspector coverage: INACTIVE (UNSUPPORTED_OS): its findings say nothing about this host');
    },
  );
});

describe('findings Security Hub did not take', () => {
  it('are sent again only when a later attempt may succeed; refused ones are reported at once as permanent', async () => {
    // The stand-in refuses the lockdown finding as invalid every time, and is busy for the martian one twice.
    fake = await new FakeAws({
      accountId: ACCOUNT,
      importFailures: (finding: { Id: string }, attempt: number) =>
        finding.Id.includes('/BR-1.5.2/')
          ? { ErrorCode: 'InvalidInput', ErrorMessage: 'missing Title' }
          : finding.Id.includes('/BR-3.2.4/') && attempt <= 2
            ? { ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }
            : undefined,
    }).start();
    const dir = mkdtempSync(join(tmpdir(), 'brsec-sh-'));
    const file = join(dir, 'host.json');
    writeFileSync(file, JSON.stringify(host(ecs, 'i-0000000000000000e')));
    const run = await brsecAsync(['scan', file, '--security-hub', '-f', 'json', '--profile', 'cis-bottlerocket'], { env: env(fake) });
    const sent = (fragment: string) => [...fake!.importAttempts].filter(([id]) => id.includes(fragment)).map(([, n]) => n);
    // The refused one is never sent again; the busy one is, until it goes through.
    expect(sent('/BR-1.5.2/')).toEqual([1]);
    expect(sent('/BR-3.2.4/')).toEqual([3]);
    expect([...fake.findings.keys()].some((id) => id.includes('/BR-3.2.4/'))).toBe(true);
    expect([...fake.findings.keys()].some((id) => id.includes('/BR-1.5.2/'))).toBe(false);
    expect(run.stderr).toMatch(
      /Security Hub rejected \S+\/BR-1\.5\.2\/\S+: InvalidInput: missing Title \(permanent: sending it again cannot help\)/,
    );
    expect(run.stderr).not.toContain('/BR-3.2.4/');
  });
});
