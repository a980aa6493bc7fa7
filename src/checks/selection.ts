// Which benchmark, and which version of it, a node is judged against: pinned by a profile (`cis-eks@v1.7.0`), or
// chosen from the selection table (profiles.json) by the node's platform and Kubernetes version, as kube-bench does.
import type { BenchmarkChoice, VariantInfo } from '../types.js';
import { versionsOf, type BenchmarkDefinition, type Catalog, type ProfileDefinition, type SelectionRow } from './loader.js';

/** The benchmark versions a node's checks come from, and why; equal nodes get equal objects (by `key`). */
export interface NodeBenchmarks {
  /** Versions to run, by benchmark id, for the benchmarks the profiles name. */
  readonly versions: ReadonlyMap<string, readonly string[]>;
  /** What the report says, for benchmarks with more than one version or chosen per node. */
  readonly choices: readonly BenchmarkChoice[];
  /** Equal for nodes that get the same versions. */
  readonly key: string;
}

/** What the choice depends on. */
export interface NodeFacts {
  variant: Pick<VariantInfo, 'id' | 'family'>;
}

/** The Kubernetes minor version a variant id names (`aws-k8s-1.33-nvidia` → 33), or null. */
export function kubernetesMinor(variantId: string | null): number | null {
  const match = variantId === null ? null : /-k8s-1\.(\d+)(?:-|$)/.exec(variantId);
  return match ? Number(match[1]) : null;
}

function range(row: SelectionRow): [number, number] {
  const [from, to] = row.kubernetes.split('-').map((v) => Number(v.split('.')[1]));
  return [from!, to!];
}

/** The platform a family runs on in the selection table. */
export function platformOf(catalog: Catalog, family: string | null): { platform: string; known: boolean } | null {
  const selection = catalog.selection;
  if (!selection) return null;
  for (const [platform, families] of Object.entries(selection.platforms))
    if (family !== null && families.includes(family)) return { platform, known: true };
  return { platform: selection.otherwise, known: false };
}

interface RowQuestion {
  rows: readonly SelectionRow[];
  minor: number | null;
  variantId: string | null;
  /** Said before the version reasoning: the platform, when the platform decided the benchmark. */
  platformText: string;
}

/** The row for a Kubernetes version among rows of one benchmark (or one platform), and the reason. */
function rowFor({ rows, minor, variantId, platformText }: RowQuestion): { row: SelectionRow; reason: string } {
  const byStart = [...rows].sort((a, b) => range(a)[0] - range(b)[0]);
  const oldest = byStart[0]!;
  const newest = byStart[byStart.length - 1]!;
  if (minor === null) {
    const why = variantId ? `${variantId} names none` : 'pass --variant, such as aws-k8s-1.33, to name it';
    return { row: newest, reason: `${platformText}the Kubernetes version is not known (${why}), so the newest version is used` };
  }
  const from = `Kubernetes 1.${minor} (from ${variantId})`;
  const row = rows.find((r) => range(r)[0] <= minor && minor <= range(r)[1]);
  if (row)
    return {
      row,
      reason: `${platformText}${from}: the selection table pairs ${row.kubernetes} with ${row.version}, as ${row.source} does`,
    };
  if (minor < range(oldest)[0])
    return {
      row: oldest,
      reason: `${platformText}${from} is older than the selection table covers (from ${oldest.kubernetes.split('-')[0]}); judged against the oldest version brsec ships`,
    };
  return {
    row: newest,
    reason: `${platformText}${from} is newer than the selection table covers (to ${newest.kubernetes.split('-')[1]}); judged against the newest version`,
  };
}

function describe(benchmark: BenchmarkDefinition | undefined, id: string): string {
  return benchmark?.name ?? id;
}

interface Chosen {
  versions: Map<string, string[]>;
  choices: BenchmarkChoice[];
}

function add(chosen: Chosen, choice: BenchmarkChoice): void {
  const list = chosen.versions.get(choice.benchmark) ?? [];
  if (list.includes(choice.version)) return;
  list.push(choice.version);
  chosen.versions.set(choice.benchmark, list);
  chosen.choices.push(choice);
}

/** The version of one benchmark for a node: from the table's rows for it, else its newest. */
function versionFor(catalog: Catalog, benchmark: BenchmarkDefinition, node: NodeFacts, why: string): BenchmarkChoice {
  const rows = catalog.selection?.rows.filter((r) => r.benchmark === benchmark.id) ?? [];
  if (rows.length === 0)
    return {
      benchmark: benchmark.id,
      name: benchmark.name,
      version: benchmark.version,
      reason: `${why}the selection table has no row for ${benchmark.id}, so its newest version is used`,
    };
  const { row, reason } = rowFor({ rows, minor: kubernetesMinor(node.variant.id), variantId: node.variant.id, platformText: why });
  return { benchmark: benchmark.id, name: benchmark.name, version: row.version, reason };
}

/** The benchmark a perNode profile's alternatives give a node, by its platform and Kubernetes version. */
function perNodeChoice(catalog: Catalog, profile: ProfileDefinition, node: NodeFacts): BenchmarkChoice {
  const ids = profile.benchmarks ?? [];
  const place = platformOf(catalog, node.variant.family)!;
  const rows = catalog.selection!.rows.filter((r) => r.platform === place.platform && ids.includes(r.benchmark));
  const family = node.variant.family;
  const platformText = place.known
    ? `platform ${place.platform} (${family} variants); `
    : `platform ${place.platform} (${family === null ? 'the variant family is not known' : `no platform lists ${family}`}); `;
  if (rows.length === 0) {
    const fallback = catalog.benchmarksById.get(ids[ids.length - 1]!)!;
    return versionFor(catalog, fallback, node, `${platformText}no row of the selection table names one of ${ids.join(', ')}; `);
  }
  const { row, reason } = rowFor({ rows, minor: kubernetesMinor(node.variant.id), variantId: node.variant.id, platformText });
  return {
    benchmark: row.benchmark,
    name: describe(catalog.benchmarksById.get(row.benchmark), row.benchmark),
    version: row.version,
    reason,
  };
}

/** The benchmark versions a node is judged against under these profiles. */
export function nodeBenchmarks(catalog: Catalog, profiles: readonly ProfileDefinition[], node: NodeFacts): NodeBenchmarks {
  const chosen: Chosen = { versions: new Map(), choices: [] };
  for (const profile of profiles) {
    if (profile.perNode) {
      if (catalog.selection) add(chosen, perNodeChoice(catalog, profile, node));
      continue;
    }
    for (const entry of profile.benchmarks ?? []) {
      const [id, pinned] = entry.split('@') as [string, string | undefined];
      const benchmark = catalog.benchmarksById.get(id)!;
      if (pinned !== undefined)
        add(chosen, { benchmark: id, name: benchmark.name, version: pinned, reason: `the profile ${profile.id} names ${pinned}` });
      else if (versionsOf(benchmark).length === 1)
        add(chosen, { benchmark: id, name: benchmark.name, version: benchmark.version, reason: '' });
      else add(chosen, versionFor(catalog, benchmark, node, ''));
    }
  }
  // Single-version benchmarks need no word in the report; the others say which version and why.
  const choices = chosen.choices.filter((c) => c.reason !== '');
  const key = [...chosen.versions].map(([id, v]) => `${id}@${v.join(',')}`).join(' ');
  return { versions: chosen.versions, choices, key };
}

/** Whether a check runs at the versions chosen for its benchmark. */
export function holdsAt(versions: readonly string[] | undefined, checkVersions: readonly string[] | undefined): boolean {
  if (versions === undefined || checkVersions === undefined) return true;
  return versions.some((v) => checkVersions.includes(v));
}
