// One generic harness runs every check's fixture cases (test/fixtures/checks/<id>.json).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../src/checks/loader.js';
import { scanHost } from '../src/scan.js';
import { bindParameters } from '../src/checks/plan.js';
import { inputFromCase, type FixtureCase } from './helpers/cases.js';

const catalog = loadCatalog();
const fixtureDir = join(import.meta.dirname, 'fixtures', 'checks');
const fixtures = new Map<string, FixtureCase[]>(
  readdirSync(fixtureDir).map((f) => {
    const doc = JSON.parse(readFileSync(join(fixtureDir, f), 'utf8')) as { check: string; cases: FixtureCase[] };
    return [doc.check, doc.cases];
  }),
);
const automated = catalog.checks.filter((c) => c.assessment === 'automated');

describe('fixtures cover every automated check', () => {
  it.each(automated.map((c) => c.id))('%s has PASS, FAIL, NOT_ASSESSED and ERROR cases', (id) => {
    const statuses = new Set((fixtures.get(id) ?? []).map((c) => c.expect));
    expect([...statuses].sort()).toEqual(expect.arrayContaining(['ERROR', 'FAIL', 'NOT_ASSESSED', 'PASS']));
  });

  it('every fixture file names a check that exists', () => {
    for (const id of fixtures.keys()) expect(catalog.byId.has(id), id).toBe(true);
  });
});

const allCases = [...fixtures].flatMap(([id, cases]) => cases.map((c) => [id, c.name, c] as const));

describe('check fixtures', () => {
  it.each(allCases)('%s: %s', (id, _name, fixture) => {
    const check = bindParameters(catalog.byId.get(id)!, fixture.parameters);
    const [result] = scanHost(inputFromCase(fixture), [check]).results;
    expect(result?.status, JSON.stringify(result, null, 1)).toBe(fixture.expect);
    if (result?.status === 'PASS') expect(result.reason).toBeUndefined();
    else expect(result?.reason, 'every status but PASS has a reason').toMatch(/\w/);
    for (const text of fixture.reasonIncludes ?? []) expect(result?.reason).toContain(text);
    for (const text of fixture.notesInclude ?? []) expect((result?.notes ?? []).join(' ')).toContain(text);
  });
});

describe('manual checks', () => {
  it.each(catalog.checks.filter((c) => c.assessment === 'manual').map((c) => c.id))('%s is MANUAL with its audit steps', (id) => {
    const [result] = scanHost(inputFromCase({ name: 'x', expect: 'MANUAL', captures: { 'sysctl -a': 'a = 1\n' } }), [
      catalog.byId.get(id)!,
    ]).results;
    expect(result?.status).toBe('MANUAL');
    expect(result?.audit).toBe(catalog.byId.get(id)!.audit);
  });
});

describe('status semantics on degraded snapshots', () => {
  it('every PASS rests on passing evidence, FAIL on failing, ERROR on unusable; every other status says why', async () => {
    const { detectInput } = await import('../src/inputs/detect.js');
    const { planScan } = await import('../src/checks/plan.js');
    const plan = planScan(loadCatalog(), { profiles: ['all'] });
    const examples = ['k8s-stock-full.json', 'ecs-gaps.json'].map((f) =>
      JSON.parse(readFileSync(join(import.meta.dirname, '..', 'examples', f), 'utf8')),
    );
    // A seeded generator drops captures, makes them fail, or replaces them with text no parser accepts.
    let seed = 11;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const seen = new Set<string>();
    for (let i = 0; i < 400; i++) {
      const snapshot = structuredClone(examples[i % 2]);
      for (const key of Object.keys(snapshot.captures)) {
        const r = random();
        if (r < 0.25) delete snapshot.captures[key];
        else if (r < 0.4) snapshot.captures[key] = { stdout: '', exitCode: 1, stderr: 'permission denied' };
        else if (r < 0.5) snapshot.captures[key] = { stdout: `garbage for ${key}`, exitCode: 0 };
      }
      const host = scanHost(detectInput(JSON.stringify(snapshot), { source: `degraded-${i}.json` }), plan);
      for (const r of host.results) {
        seen.add(r.status);
        const has = (outcome: string) => r.evidence.some((e) => e.outcome === outcome);
        if (r.status === 'PASS') expect(has('pass'), `${r.id} on host ${i}`).toBe(true);
        if (r.status === 'FAIL') expect(has('fail'), `${r.id} on host ${i}`).toBe(true);
        if (r.status === 'ERROR') expect(has('unusable'), `${r.id} on host ${i}`).toBe(true);
        if (r.status !== 'PASS' && r.status !== 'NOT_APPLICABLE') expect(r.reason, `${r.id} on host ${i}`).toBeTruthy();
      }
    }
    expect([...seen].sort()).toEqual(['ERROR', 'FAIL', 'MANUAL', 'NOT_APPLICABLE', 'NOT_ASSESSED', 'PASS']);
  });
});

describe('results do not depend on what was scanned before', () => {
  it('gives every host the same report in input order, reversed and shuffled (facts, evidence and results are shared between hosts)', async () => {
    const examples = ['k8s-stock-full.json', 'ecs-gaps.json'].map((f) =>
      JSON.parse(readFileSync(join(import.meta.dirname, '..', 'examples', f), 'utf8')),
    );
    let seed = 5;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    // Hosts that differ a little, as a fleet's do: a capture missing or failing here, a digit changed there.
    const texts = Array.from({ length: 150 }, (_, i) => {
      const snapshot = structuredClone(examples[i % 2]);
      snapshot.host.id = `i-${String(i).padStart(17, '0')}`;
      // Tables and lists that checks read differ between some hosts and are equal between others.
      const get = snapshot.captures['apiclient get'];
      if (get && random() < 0.6) {
        const doc = JSON.parse(get.stdout);
        const settings = doc.settings;
        const pick = <T>(options: T[]): T => options[Math.floor(random() * options.length)] as T;
        settings['host-containers'] ??= {};
        settings['host-containers'].admin = {
          enabled: pick([true, false]),
          superpowered: true,
          source: pick(['328549459982.dkr.ecr.us-west-2.amazonaws.com/bottlerocket-admin:v0.11.13', 'docker.io/evil/admin:latest']),
        };
        if (random() < 0.5)
          settings['bootstrap-containers'] = {
            setup: { source: pick(['public.ecr.aws/bottlerocket/setup:1', 'ghcr.io/someone/setup:1']), mode: 'once', essential: false },
          };
        if (random() < 0.5) settings['oci-defaults'] = { capabilities: { chown: true, 'sys-admin': pick([true, false]) } };
        if (random() < 0.3)
          settings['container-registry'] = {
            mirrors: [{ registry: 'docker.io', endpoint: [pick(['https://mirror.example.com', 'http://mirror.example.com'])] }],
          };
        // Defaults Bottlerocket renders from the region differ by region; a sysctl may be written with slashes.
        if (random() < 0.5) {
          settings.aws = { ...settings.aws, region: pick(['us-west-2', 'us-gov-west-1', 'cn-north-1', 'af-south-1']) };
          if (random() < 0.5) delete settings['host-containers'].admin.source;
        }
        if (random() < 0.3)
          settings.kernel = {
            ...settings.kernel,
            sysctl: { ...settings.kernel?.sysctl, 'user/max_user_namespaces': pick(['0', '15000']) },
          };
        get.stdout = JSON.stringify(doc);
      }
      // bloodhound reports of several versions, some with overrides, decide different things.
      const k8sReport = snapshot.captures['apiclient report cis-k8s -f json -l 2'];
      if (k8sReport && random() < 0.6) {
        const report = JSON.parse(k8sReport.stdout);
        report.version = ['v1.7.1', 'v1.8.0', 'v1.11.1', 'v1.12.0'][Math.floor(random() * 4)];
        if (random() < 0.3) report.results.k8s04010100.status = { OVERRIDE: 'PASS' };
        k8sReport.stdout = JSON.stringify(report);
      }
      for (const key of Object.keys(snapshot.captures)) {
        const r = random();
        const stdout: unknown = snapshot.captures[key].stdout;
        if (r < 0.08) delete snapshot.captures[key];
        else if (r < 0.12) snapshot.captures[key] = { stdout: '', exitCode: 1, stderr: 'permission denied' };
        // The same text from a command that failed must not be read as the text of one that worked.
        else if (r < 0.16 && typeof stdout === 'string') snapshot.captures[key] = { stdout, exitCode: 2, stderr: 'interrupted' };
        else if (r < 0.3 && typeof stdout === 'string') {
          const at = Math.floor(random() * stdout.length);
          snapshot.captures[key].stdout = stdout.slice(0, at) + (random() < 0.5 ? '1' : '0') + stdout.slice(at + 1);
        }
      }
      // Every fifth host is user data instead, whose settings hold the same values from another source ("user
      // data", set where a snapshot has a default), so values equal across hosts come from different places.
      if (i % 5 === 4) {
        const lockdown = random() < 0.5 ? 'integrity' : 'none';
        return `[settings.kernel]\nlockdown = "${lockdown}"\n[settings.kernel.sysctl]\n"kernel.randomize_va_space" = "2"\n"user.max_user_namespaces" = "${random() < 0.5 ? '0' : '15000'}"\n[settings.kubernetes]\nseccomp-default = ${random() < 0.5}\n`;
      }
      return JSON.stringify(snapshot);
    });
    // Each order is one scan with a memo of its own: what one order's hosts leave in it must not decide another's.
    const reports = async (order: number[]) => {
      const brsec = await import('../src/index.js');
      const plan = brsec.planScan(brsec.loadCatalog(), { profiles: ['all'] });
      const memo = new brsec.ScanMemo();
      const writer = brsec.jsonWriter({ memo });
      const out: string[] = [];
      for (const i of order) {
        try {
          const variant = i % 20 === 4 ? 'aws-k8s-1.31-fips' : i % 10 === 4 ? 'aws-k8s-1.30' : i % 5 === 4 ? 'aws-ecs-2' : undefined;
          out[i] = writer.host(
            brsec.scanHost(brsec.detectInput(texts[i] as string, { source: `host-${i}`, ...(variant ? { variant } : {}) }), plan, { memo }),
          );
        } catch (err) {
          out[i] = `error: ${(err as Error).message}`;
        }
      }
      return out;
    };
    const order = texts.map((_, i) => i);
    const inOrder = await reports(order);
    expect(inOrder.filter((r) => r.startsWith('error')).length).toBeLessThan(10);
    expect(await reports([...order].reverse())).toEqual(inOrder);
    expect(await reports([...order].sort(() => random() - 0.5))).toEqual(inOrder);
  });
});

describe("entries named like Object's own members", () => {
  it('sees a host container called __proto__ or constructor like any other (it was hidden as the prototype: a false PASS)', async () => {
    const { detectInput } = await import('../src/inputs/detect.js');
    const { planScan } = await import('../src/checks/plan.js');
    const snapshot = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'examples', 'ecs-gaps.json'), 'utf8'));
    const get = JSON.parse(snapshot.captures['apiclient get'].stdout);
    const evil = { enabled: true, superpowered: true, source: 'evil.example/tools:1' };
    for (const name of ['__proto__', 'constructor']) {
      // JSON.parse makes `__proto__` an own key, as the Bottlerocket API's JSON would be read.
      get.settings['host-containers'] = JSON.parse(`{${JSON.stringify(name)}: ${JSON.stringify(evil)}}`);
      snapshot.captures['apiclient get'].stdout = JSON.stringify(get);
      const host = scanHost(
        detectInput(JSON.stringify(snapshot), { source: `${name}.json` }),
        planScan(loadCatalog(), { checks: ['BRSEC-superpowered-containers', 'BRSEC-container-sources'] }),
      );
      for (const r of host.results) {
        expect(r.status, `${r.id} with a container named ${name}`).toBe('FAIL');
        expect(r.reason).toContain(name);
      }
    }
  });
});
