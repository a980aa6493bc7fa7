// Material nobody on the project wrote: bloodhound reports, iptables output, user data and settings from
// Bottlerocket's own issues, pull requests, templates and template tests. Each case folder has a case.json naming its
// SOURCE, the input, and the verdict expected for each check with its basis.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectInput } from '../src/inputs/detect.js';
import { loadCatalog } from '../src/checks/loader.js';
import { planScan } from '../src/checks/plan.js';
import { scanHost } from '../src/scan.js';
import { InputError } from '../src/errors.js';
import {
  bottlerocketRegistries,
  bottlerocketRegistry,
  bottlerocketUpdateRepositories,
  renderGenerated,
} from '../src/settings/registries.js';

interface Expected {
  status: string;
  basis: string;
  reasonIncludes?: string[];
  notesInclude?: string[];
}

interface Case {
  SOURCE: string;
  input: string;
  variant?: string;
  checks: string[];
  /** The input is refused with this one-line problem. */
  inputError?: string;
  expect: Record<string, Expected>;
}

const root = join(import.meta.dirname, 'fixtures', 'real-world');
const catalog = loadCatalog();

function caseDirs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => {
      const path = join(dir, e.name);
      return existsSync(join(path, 'case.json')) ? [path] : caseDirs(path);
    });
}

const cases = caseDirs(root).map((dir) => [dir.slice(root.length + 1), dir] as const);

describe('real-world cases', () => {
  it('are many, and every one names its public source', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
    for (const [, dir] of cases) {
      const c = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as Case;
      expect(c.SOURCE, dir).toMatch(/(bottlerocket-os\/|Bottlerocket's)/);
      for (const e of Object.values(c.expect)) expect(e.basis.length, dir).toBeGreaterThan(5);
    }
  });

  it.each(cases)('%s', (_name, dir) => {
    const c = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as Case;
    const file = join(dir, c.input);
    const text = readFileSync(file, 'utf8');
    const read = () => detectInput(text, { source: c.input, ...(c.variant ? { variant: c.variant } : {}) });
    if (c.inputError) {
      expect(read).toThrow(InputError);
      expect(read).toThrow(c.inputError);
      return;
    }
    const host = scanHost(read(), planScan(catalog, { checks: c.checks }));
    for (const [id, want] of Object.entries(c.expect)) {
      const result = host.results.find((r) => r.id === id);
      expect(result?.status, `${id}: ${want.basis}\n${JSON.stringify(result, null, 1)}`).toBe(want.status);
      for (const text of want.reasonIncludes ?? []) expect(result?.reason, id).toContain(text);
      for (const text of want.notesInclude ?? []) expect((result?.notes ?? []).join(' '), id).toContain(text);
    }
  });
});

describe("Bottlerocket's registries and update repositories", () => {
  const vectors = JSON.parse(readFileSync(join(root, 'partitions', 'schnauzer-vectors.json'), 'utf8')) as {
    ecrPrefix: Record<string, string>;
    metadataUrl: Record<string, string>;
  };

  it("render as Bottlerocket's own template tests expect", () => {
    for (const [region, image] of Object.entries(vectors.ecrPrefix))
      expect(`${bottlerocketRegistry(region, false)}/bottlerocket-admin:v0.5.1`, region).toBe(image);
    for (const [region, url] of Object.entries(vectors.metadataUrl))
      expect(renderGenerated('{tuf-prefix}{metadata-prefix}/2020-07-07/', region, false), region).toBe(url);
  });

  it('use the FIPS endpoint only for FIPS variants, and only in regions that have one', () => {
    expect(bottlerocketRegistry('us-gov-west-1', true)).toBe('347163068887.dkr.ecr-fips.us-gov-west-1.amazonaws.com');
    expect(bottlerocketRegistry('us-gov-west-1', false)).toBe('347163068887.dkr.ecr.us-gov-west-1.amazonaws.com');
    expect(bottlerocketRegistry('eu-west-1', true)).toBe('328549459982.dkr.ecr.eu-west-1.amazonaws.com');
    expect(bottlerocketRegistry('cn-north-1', true)).toBe('183470599484.dkr.ecr.cn-north-1.amazonaws.com.cn');
  });

  it("come from one map, the one Bottlerocket's helpers use, and are the checks' default allow-lists", () => {
    const data = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'data', 'bottlerocket-endpoints.json'), 'utf8'));
    const maps = JSON.parse(readFileSync(join(root, 'partitions', 'schnauzer-maps.json'), 'utf8'));
    for (const key of ['ecrAccounts', 'ecrFipsRegions', 'partitions', 'tufEndpoints', 'fallback'])
      expect(data[key], key).toEqual(maps[key]);
    const sources = catalog.byId.get('BRSEC-container-sources')!.parameters!.allowedRegistries!.default;
    expect(sources).toEqual([...bottlerocketRegistries().map((r) => `${r}/**`), 'public.ecr.aws/bottlerocket/**']);
    const updates = catalog.byId.get('BRSEC-update-repositories')!.parameters!.updateRepositories!.default;
    expect(updates).toEqual(bottlerocketUpdateRepositories().map((u) => `${u}/**`));
    const fipsRegions = maps.ecrFipsRegions as string[];
    const nonFips = catalog.byId.get('BRSEC-fips-endpoints')!.parameters!.nonFipsEndpoints!.default;
    expect(nonFips).toEqual(fipsRegions.map((r) => `*.dkr.ecr.${r}.amazonaws.com/**`));
  });
});
