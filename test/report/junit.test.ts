// The JUnit report: one suite per host, one case per check.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { validateXML } from 'xmllint-wasm';
import { describe, expect, it } from 'vitest';
import { brsec, fixturesDir, scratchFolder, unreadableSysctl } from '../helpers/cli.js';

const stock = 'examples/k8s-stock-full.json';
const ecs = 'examples/ecs-gaps.json';
const tmp = scratchFolder('brsec-gate-');

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
    const waivers = tmp.write(
      'junit-waivers.yaml',
      'waivers:\n  - check: BR-1.5.2\n    reason: nvidia drivers need lockdown none\n    owner: gpu-team\n    expires: 2999-01-01\n',
    );
    const broken = tmp.path('broken.json');
    writeFileSync(broken, unreadableSysctl(ecs));
    const doc = parser.parse(brsec(['scan', broken, '-f', 'junit', '--waivers', waivers]).stdout);
    const cases = doc.testsuites.testsuite[0].testcase;
    expect(cases.find((c: any) => c.name.startsWith('BR-1.5.2 ')).skipped.message).toContain('waived until 2999-01-01 by gpu-team');
    expect(cases.find((c: any) => c.name.startsWith('BR-1.4.1 ')).error.message).toContain('exit code 1');
  });

  it("validates against Jenkins' junit-10.xsd: pass, failure with a line, error, every kind of skip, odd names", async () => {
    const waivers = tmp.write(
      'xsd-waivers.yaml',
      'waivers:\n  - check: BR-1.5.2\n    reason: "<needs> & \\"quotes\\""\n    owner: gpu-team\n    expires: 2999-01-01\n',
    );
    const broken = tmp.path('broken & <odd>.json');
    writeFileSync(broken, unreadableSysctl(ecs));
    const reports = [
      brsec(['scan', stock, ecs, broken, '-f', 'junit', '--profile', 'all', '--waivers', waivers]).stdout,
      brsec([
        'scan',
        'test/fixtures/node-config/karpenter-ec2nodeclass.yaml',
        'test/fixtures/node-config/eksctl-cluster.yaml',
        '-f',
        'junit',
      ]).stdout,
      brsec(['scan', stock, '-f', 'junit', '--strict']).stdout,
    ];
    const xsd = readFileSync(join(fixturesDir, 'schemas', 'junit-10.xsd'), 'utf8');
    for (const [i, xml] of reports.entries()) {
      expect(xml).toMatch(/<skipped |<failure /);
      const result = await validateXML({ xml: [{ fileName: `report-${i}.xml`, contents: xml }], schema: [xsd] });
      expect(
        result.errors.map((e) => e.rawMessage),
        `report ${i}`,
      ).toEqual([]);
      expect(result.valid).toBe(true);
    }
    // The schema is not a formality: the attributes brsec once wrote on a test case are refused.
    const old = reports[1]!.replace('<testcase ', '<testcase file="x.yaml" line="3" ');
    expect((await validateXML({ xml: [{ fileName: 'old.xml', contents: old }], schema: [xsd] })).valid).toBe(false);
  });
});
