// Library options are checked with the rules the CLI's flags have: an invalid one throws a UsageError naming it,
// never weakens a gate (`failOn: 'HIGH'` used to count nothing as failing, so 13 FAILs exited 0).
import { describe, expect, it } from 'vitest';
import { gateHost, scan, scanFleet, UsageError } from '../src/index.js';

const stock = 'examples/k8s-stock-full.json';
const bad = (options: Record<string, unknown>) => scan([stock], options as never);

describe('library options', () => {
  it.each([
    [{ failOn: 'HIGH' }, 'failOn must be one of critical, high, medium, low, info, not "HIGH"'],
    [{ failOn: 'severe' }, 'failOn must be one of'],
    [{ fail_on: 'high' }, 'unknown option "fail_on" (did you mean failOn?)'],
    [{ level: 3 }, 'level must be 1 or 2'],
    [{ profiles: 'all' }, 'profiles must be a list of strings'],
    [{ profiles: ['nist'] }, 'unknown profile "nist"'],
    [{ checks: ['BR-9.9'] }, 'unknown check id "BR-9.9"'],
    [{ strict: 'yes' }, 'strict must be a boolean'],
    [{ variant: 'aws-k9s' }, 'unknown variant "aws-k9s"'],
    [{ parameters: ['a'] }, 'parameters must be an object'],
    [{ parameters: { allowedRegistries: 'x' } }, 'check parameter "allowedRegistries" must be a list'],
    [{ now: 'today' }, 'now must be a function'],
    [{ waivers: 5 }, 'waivers must be an object'],
  ])('scan() rejects %j', async (options, message) => {
    const error = await bad(options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain(message);
  });

  it('a valid gate still gates: failOn high fails the run on a high FAIL', async () => {
    const result = await scan(['examples/ecs-gaps.json'], { failOn: 'high', profiles: ['all'] });
    expect(result.hosts[0]!.gate.failing).toBeGreaterThan(0);
  });

  it.each([
    [{ outputs: [{ format: 'pdf' }], inputs: [stock] }, 'unknown format "pdf"'],
    [{ outputs: [{ format: 'json' }], inputs: [stock], sarifInclude: ['pass'] }, 'sarifInclude takes "error" and "manual"'],
    [{ outputs: [{ format: 'json' }], inputs: [stock], failOn: 'HIGH' }, 'failOn must be one of'],
    [{ outputs: [{ format: 'json' }], inputs: [stock], output: 'x.json' }, 'unknown option "output"'],
    [{ outputs: [{ format: 'text', show: { statuses: ['fail'] } }], inputs: [stock] }, 'show.statuses "fail" is not one of FAIL'],
    [{ outputs: [{ format: 'text', show: { severities: ['HIGH'] } }], inputs: [stock] }, 'show.severities "HIGH" is not one of'],
  ])('scanFleet() rejects %j', async (options, message) => {
    const error = await scanFleet(options as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain(message);
  });

  it('gateHost fails closed on a severity it does not know', async () => {
    const [host] = (await scan([stock])).hosts;
    expect(() => gateHost(host!, { failOn: 'HIGH' as never })).toThrow(UsageError);
  });
});
