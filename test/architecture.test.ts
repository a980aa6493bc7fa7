// The rooms and their one-way arrows (docs/ARCHITECTURE.md), checked on the sources: the CLI imports only the public
// API, and no module keeps host data between scans (what hosts share lives in the scan's memo).
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const importsOf = (file: string): string[] =>
  [...readFileSync(join(root, file), 'utf8').matchAll(/^\s*(?:import|export)\b[^;]*?from '([^']+)'/gms)].map((m) => m[1]!);

/**
 * Module-level values that are made once and then only read, or caches of pure functions of immutable inputs (the
 * packaged data, check definitions, glob text): none depends on a host. Anything else kept at module level would
 * outlive a scan; it belongs in a memo slot.
 */
const DERIVED_ONLY = new Map([
  ['src/checks/loader.ts', ['defaultCatalog']],
  ['src/checks/engine.ts', ['NAMES_ONLY_OPERATORS']],
  ['src/facts/apiclient.ts', ['BLOODHOUND_STATUSES']],
  ['src/facts/kubelet.ts', ['NOT_STRINGS']],
  ['src/checks/plan.ts', ['bound']],
  ['src/glob.ts', ['compiled']],
  ['src/settings/variants.ts', ['variantPatterns', 'cached']],
  ['src/settings/effective.ts', ['index']],
  ['src/settings/registries.ts', ['data']],
  ['src/facts/registry.ts', ['keyParts', 'namesOf', 'asList']],
  ['src/facts/update-facts.ts', ['newerOf']],
  ['src/gate/waivers.ts', ['compiled', 'byCheck']],
  ['src/version.ts', ['version']],
  ['src/paths.ts', ['root', 'embedded']],
  ['src/on-first-use.ts', ['provided']],
  ['src/inputs/detect.ts', ['defaultToml']],
  ['src/inputs/read.ts', ['tomlParser']],
  ['src/inputs/userdata-lines.ts', ['parser']],
  ['src/report/sinks.ts', ['inFlight']],
  ['src/inputs/node-config/karpenter.ts', ['MODELED_KUBERNETES', 'MODELED_BOOTSTRAP_COMMAND', 'KINDS']],
  ['src/inputs/node-config/terraform-hcl.ts', ['loading', 'LAUNCHERS']],
  ['src/inputs/node-config/terraform-plan.ts', ['LAUNCHERS']],
  ['src/inputs/node-config/yaml-nodes.ts', ['yamlModule']],
]);

describe('architecture', () => {
  it('the CLI imports nothing of src/ but its public API, src/index.ts, and the terminal helpers of src/internal.ts', () => {
    const offending = sources('cli').flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec.startsWith('.') && relative(root, join(root, file, '..', spec)).startsWith('src/'))
        .filter((spec) => !['src/index.js', 'src/internal.js'].includes(relative(root, join(root, file, '..', spec))))
        .map((spec) => `${file}: ${spec}`),
    );
    expect(offending).toEqual([]);
    // internal.ts only re-exports; nothing of the library's behaviour is reachable by the CLI alone.
    const internal = readFileSync(join(root, 'src', 'internal.ts'), 'utf8');
    expect(internal.split('\n').filter((l) => l.trim() && !l.startsWith('//') && !l.startsWith('export '))).toEqual([]);
  });

  it('facts import nothing of inputs, checks, reports or the fleet', () => {
    const offending = sources('src/facts').flatMap((file) =>
      importsOf(file)
        .filter((spec) => /^\.\.\/(inputs|checks|report|gate|fleet|aws|collect)\//.test(spec))
        .map((spec) => `${file}: ${spec}`),
    );
    expect(offending).toEqual([]);
  });

  it('keeps no mutable state at module level beyond caches of immutable inputs', () => {
    const found: string[] = [];
    for (const file of sources('src').filter((f) => !f.includes('generated'))) {
      const text = readFileSync(join(root, file), 'utf8');
      for (const m of text.matchAll(/^(?:let ([A-Za-z_]\w*)|const ([A-Za-z_]\w*)(?:: [^=]+)? = new (?:Map|WeakMap|Set)\b)/gm)) {
        const name = (m[1] ?? m[2])!;
        if (!DERIVED_ONLY.get(file)?.includes(name)) found.push(`${file}: ${name}`);
      }
    }
    expect(found).toEqual([]);
  });
});
