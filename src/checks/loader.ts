// Loads the check catalogue: one JSON file per check, validated against benchmarks/check.schema.json.
import { familyNames } from '../settings/variants.js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DefinitionError } from '../errors.js';
import { keyProblem, valueProblem } from './vocabulary.js';
import { substitute } from './plan.js';
import { validateCheck, validateMapping, validateProfiles, type ValidateFunction } from '../generated/validators.js';
import { listPackageFolder, packageFileExists, readPackageFile } from '../paths.js';
import type { BenchmarkInfo, InputKind, Severity } from '../types.js';

export interface Leaf {
  fact: string;
  key?: string;
  path?: string[];
  op: string;
  value?: unknown;
  optional?: boolean;
  /** The value a component assumes when the key is absent (the kubelet's default). */
  absentMeans?: unknown;
}

export type Assertion = { all: Assertion[] } | { any: Assertion[] } | Leaf;

export type BloodhoundReportName = 'cis' | 'cis-k8s' | 'fips';

export interface BloodhoundCriterion {
  readonly criterion: string;
  /** stricter: a PASS there proves a PASS here; looser: a FAIL there proves a FAIL here; different: neither. */
  readonly compared: 'stricter' | 'looser' | 'different';
}

export interface KnownFalseResult {
  /** The bloodhound generation, e.g. "before core-kit PR 390 (February 2025)". */
  readonly bloodhound: string;
  readonly verdict: 'PASS' | 'FAIL';
  readonly text: string;
}

export interface CheckDefinition {
  readonly id: string;
  readonly benchmark: string;
  /** The versions of its benchmark the check belongs to; absent: every version. */
  readonly versions?: readonly string[];
  readonly cisId?: string;
  readonly title: string;
  readonly level: 1 | 2;
  readonly assessment: 'automated' | 'manual';
  readonly severity: Severity;
  readonly description: string;
  readonly rationale: string;
  readonly audit: string;
  readonly remediation: { readonly text: string; readonly apiclient?: string; readonly userData?: string };
  readonly references: readonly string[];
  readonly bloodhound?: {
    readonly report: BloodhoundReportName;
    readonly name: string;
    readonly id: string;
    /** What this check's benchmark version asks, quoted beside an older report's criterion. */
    readonly criterion?: string;
    /** Report versions whose checker judges by another criterion, and how it compares with this check's. */
    readonly versions?: Readonly<Record<string, BloodhoundCriterion>>;
    /** Documented false results, per bloodhound generation. */
    readonly knownFalseResults?: readonly KnownFalseResult[];
  };
  /** Values a user may change, e.g. allowed registries; leaves refer to them as {"$param": name}. */
  readonly parameters?: Readonly<
    Record<string, { readonly description: string; readonly default: unknown; readonly option?: string; readonly defaultLabel?: string }>
  >;
  /** Hosts the check applies to: variants of these kinds, and (fips) hosts that should run in FIPS mode. */
  readonly appliesTo?: {
    readonly kinds?: readonly ('kubernetes' | 'ecs' | 'dev')[];
    readonly fips?: true;
    /** Only hosts read from these kinds of input (a node definition's own fields exist nowhere else). */
    readonly inputs?: readonly InputKind[];
    /** Only variants of these families (`aws-k8s-nvidia`); a host whose family is not known is judged. */
    readonly families?: readonly string[];
  };
  /** Run only when a scan asks for it (`drift`: with --drift), as it needs evidence other scans do not have. */
  readonly optIn?: 'drift';
  readonly aspects?: { readonly configured?: Assertion; readonly live?: Assertion };
  /** A sentence per variant family its results carry: in the reason when not PASS, else as a note. */
  readonly familyNotes?: Readonly<Record<string, string>>;
  /** Evidence that must pass for an automated check to be judged on a host; otherwise the result is MANUAL. */
  readonly automatedWhen?: Assertion;
  /** Path of the file the check was loaded from, relative to the package root. */
  readonly file: string;
}

export interface BenchmarkDefinition extends BenchmarkInfo {
  folders: string[];
  /** The versions brsec ships, oldest first (the newest is `version`); absent: `version` alone. */
  versions?: string[];
  /** Report versions of bloodhound whose criteria the checks record; a report of another version is not used. */
  bloodhoundVersions?: string[];
}

export interface ProfileDefinition {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** Benchmark ids, or `id@version` for one version; an id alone runs the version chosen for each node. */
  readonly benchmarks?: readonly string[];
  /** The benchmarks are alternatives: each node gets the one the selection table names for it. */
  readonly perNode?: true;
  /** Single checks the profile runs besides whole benchmarks. */
  readonly checks?: readonly string[];
  readonly mappings?: readonly string[];
}

export interface RequirementDefinition {
  readonly id: string;
  readonly title: string;
  readonly rationale: string;
  readonly checks: readonly string[];
}

/** A compliance framework's requirements and the checks that evidence each (e.g. PCI DSS v4.0.1). */
export interface MappingDefinition {
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly url: string;
  readonly requirements: readonly RequirementDefinition[];
  readonly file: string;
}

export type HostKind = 'kubernetes' | 'ecs' | 'dev' | 'unknown';

/** One row of the selection table: nodes of a platform and these Kubernetes versions get this benchmark version. */
export interface SelectionRow {
  readonly platform: string;
  /** First and last Kubernetes minor version, `1.29-1.31`. */
  readonly kubernetes: string;
  readonly benchmark: string;
  readonly version: string;
  /** Who pairs them so. */
  readonly source: string;
}

/** Which benchmark version a node is judged against (profiles.json `selection`). */
export interface SelectionTable {
  /** Variant families by the platform they run on. */
  readonly platforms: Readonly<Record<string, readonly string[]>>;
  /** The platform of a node whose family no platform lists, or whose family is not known. */
  readonly otherwise: string;
  readonly rows: readonly SelectionRow[];
}

export interface Catalog {
  benchmarks: BenchmarkDefinition[];
  /** Every check, in benchmark order. */
  checks: readonly CheckDefinition[];
  byId: ReadonlyMap<string, CheckDefinition>;
  profiles: readonly ProfileDefinition[];
  /** Profiles a host gets when none is asked for, by the kind of its variant. */
  defaultProfiles: Readonly<Record<HostKind, readonly string[]>>;
  mappings: readonly MappingDefinition[];
  /** The folder the catalogue was loaded from, when it is not the packaged one (scan threads load it again). */
  dir?: string;
  /** Benchmarks by id. */
  benchmarksById: ReadonlyMap<string, BenchmarkDefinition>;
  /** The framework requirements each check evidences, by check id, in mapping and requirement order. */
  requirementsByCheck: ReadonlyMap<string, readonly CheckRequirement[]>;
  /** Which benchmark version each node is judged against; absent in a catalogue without one. */
  selection?: SelectionTable;
}

/** The versions of a benchmark, oldest first. */
export function versionsOf(benchmark: BenchmarkDefinition): readonly string[] {
  return benchmark.versions ?? [benchmark.version];
}

/** A requirement of a compliance framework that a check evidences. */
export interface CheckRequirement {
  readonly mapping: MappingDefinition;
  readonly requirement: RequirementDefinition;
}

function requirementIndex(mappings: readonly MappingDefinition[]): Map<string, CheckRequirement[]> {
  const index = new Map<string, CheckRequirement[]>();
  for (const mapping of mappings) {
    for (const requirement of mapping.requirements) {
      for (const id of requirement.checks) {
        const list = index.get(id) ?? [];
        // A requirement that names a check twice evidences it once.
        if (!list.some((r) => r.requirement === requirement)) list.push({ mapping, requirement });
        index.set(id, list);
      }
    }
  }
  return index;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * Orders CIS ids numerically by segment: 3.4.1.2 before 3.4.2.1 and 1.10 after 1.9. Words compare by code unit,
 * the same on every machine (and without loading ICU's collation at start, as localeCompare does).
 */
export function compareIds(a: string, b: string): number {
  const pa = a.split(/[.-]/);
  const pb = b.split(/[.-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = Number(x);
    const ny = Number(y);
    const diff = Number.isNaN(nx) || Number.isNaN(ny) ? (x < y ? -1 : x > y ? 1 : 0) : nx - ny;
    if (diff !== 0) return diff;
  }
  return 0;
}

/**
 * Where a catalogue's files come from: a folder of the user's, or brsec's own benchmarks/ (on disk, or embedded in a
 * bundle). Paths are relative to the folder, with forward slashes.
 */
interface CatalogSource {
  /** How reports and errors name a file: from the working directory, or from the package root. */
  fileName(path: string): string;
  read(path: string): string;
  exists(path: string): boolean;
  /** The file names in a folder, sorted. */
  list(folder: string): string[];
}

function folderSource(dir: string): CatalogSource {
  const full = (path: string) => join(dir, ...path.split('/'));
  return {
    fileName: (path) => relative(process.cwd(), full(path)),
    read: (path) => readFileSync(full(path), 'utf8'),
    exists: (path) => existsSync(full(path)),
    list: (folder) => readdirSync(full(folder)).sort(),
  };
}

const packageSource: CatalogSource = {
  fileName: (path) => `benchmarks/${path}`,
  read: (path) => readPackageFile(`benchmarks/${path}`),
  exists: (path) => packageFileExists(`benchmarks/${path}`),
  list: (folder) => listPackageFolder(`benchmarks/${folder}`),
};

/** Parses and validates a JSON data file; problems name the file and the field. */
function readValidated<T>(source: CatalogSource, path: string, validate: ValidateFunction): T {
  const file = source.fileName(path);
  let data: unknown;
  try {
    data = JSON.parse(source.read(path));
  } catch (err) {
    throw new DefinitionError(
      file,
      (err as NodeJS.ErrnoException).code ? `cannot read: ${(err as Error).message}` : `malformed JSON: ${(err as Error).message}`,
    );
  }
  if (!validate(data)) throw new DefinitionError(file, definitionProblem(validate.errors?.[0]));
  return data as T;
}

/** Every `{"$param": name}` (or `{"$paramLabel": name}`) in a leaf value. */
function paramRefs(value: unknown, out: string[] = [], marker = '$param'): string[] {
  if (Array.isArray(value)) value.forEach((v) => paramRefs(v, out, marker));
  else if (typeof value === 'object' && value !== null) {
    const name = (value as Record<string, unknown>)[marker];
    if (typeof name === 'string') out.push(name);
    else Object.values(value).forEach((v) => paramRefs(v, out, marker));
  }
  return out;
}

function leaves(assertion: Assertion, at: string, out: { leaf: Leaf; at: string }[] = []): { leaf: Leaf; at: string }[] {
  if ('all' in assertion) assertion.all.forEach((a, i) => leaves(a, `${at}/all/${i}`, out));
  else if ('any' in assertion) assertion.any.forEach((a, i) => leaves(a, `${at}/any/${i}`, out));
  else out.push({ leaf: assertion, at });
  return out;
}

/** Checks what the schema cannot: keyed facts have a key, settings have a path. */
/** A definition file's first schema error, as `/json/pointer: what is wrong`. */
function definitionProblem(
  error: { instancePath: string; keyword: string; message?: string; params: Record<string, unknown> } | undefined,
): string {
  const detail = error?.keyword === 'additionalProperties' ? `unknown field "${String(error.params.additionalProperty)}"` : error?.message;
  return `${error?.instancePath || '/'}: ${detail ?? 'invalid'}`;
}

function checkSemantics(check: CheckDefinition, file: string): void {
  // A mistyped family would make the check not apply anywhere, silently.
  const families = familyNames();
  check.appliesTo?.families?.forEach((family, i) => {
    if (!families.includes(family))
      throw new DefinitionError(
        file,
        `/appliesTo/families/${i}: unknown variant family "${family}" (expected one of ${families.join(', ')})`,
      );
  });
  for (const family of Object.keys(check.familyNotes ?? {}))
    if (!families.includes(family))
      throw new DefinitionError(file, `/familyNotes/${family}: unknown variant family (expected one of ${families.join(', ')})`);
  if (check.automatedWhen && check.assessment !== 'automated')
    throw new DefinitionError(file, '/automatedWhen: only an automated check can fall back to a manual audit');
  const assertions: [string, Assertion][] = Object.entries(check.aspects ?? {}).map(([aspect, a]) => [
    `/aspects/${aspect}`,
    a as Assertion,
  ]);
  if (check.automatedWhen) assertions.push(['/automatedWhen', check.automatedWhen]);
  for (const [where, assertion] of assertions) {
    for (const { leaf, at } of leaves(assertion, where)) {
      if (leaf.op === 'recorded' && check.assessment !== 'manual') {
        throw new DefinitionError(file, `${at}/op: "recorded" only records a value for an auditor, so only a manual check may use it`);
      }
      if (leaf.fact === 'setting') {
        if (!leaf.path) throw new DefinitionError(file, `${at}: a "setting" leaf needs "path"`);
      } else {
        const keyIssue = keyProblem(leaf.fact, leaf.key);
        if (keyIssue) throw new DefinitionError(file, `${at}: ${keyIssue}`);
      }
      for (const name of paramRefs(leaf.value)) {
        if (!check.parameters?.[name]) throw new DefinitionError(file, `${at}/value: parameter "${name}" is not declared in /parameters`);
      }
      for (const name of paramRefs(leaf.value, [], '$paramLabel')) {
        if (check.parameters?.[name]?.defaultLabel === undefined)
          throw new DefinitionError(file, `${at}/value: parameter "${name}" has no defaultLabel in /parameters`);
      }
      // The value as a scan with the parameters' defaults would see it: a wrong shape is a definition error now,
      // never an internal error when a host is scanned.
      const defaults = Object.fromEntries(Object.entries(check.parameters ?? {}).map(([name, p]) => [name, p.default]));
      const labels = Object.fromEntries(Object.entries(check.parameters ?? {}).map(([name, p]) => [name, p.defaultLabel ?? name]));
      const valueIssue = valueProblem(leaf.op, substitute(leaf.value, defaults, labels));
      if (valueIssue) throw new DefinitionError(file, `${at}/value: ${valueIssue}`);
    }
  }
  for (const version of Object.keys(check.bloodhound?.versions ?? {})) {
    if (!/^v\d+(\.\d+)*$/.test(version))
      throw new DefinitionError(file, `/bloodhound/versions: "${version}" is not a version such as v1.8.0`);
  }
  // Another benchmark's bloodhound item (CIS Kubernetes 4.1.5 for CIS Amazon EKS 3.1.1) must say what this check asks.
  if (check.bloodhound && check.cisId && check.bloodhound.id !== check.cisId && check.bloodhound.criterion === undefined) {
    throw new DefinitionError(
      file,
      `/bloodhound/id: "${check.bloodhound.id}" differs from cisId "${check.cisId}", so /bloodhound/criterion must say what this check asks`,
    );
  }
}

export function parseCheckFile(text: string, file: string): CheckDefinition {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new DefinitionError(file, `malformed JSON: ${(err as Error).message}`);
  }
  if (!validateCheck(data)) throw new DefinitionError(file, definitionProblem(validateCheck.errors?.[0]));
  const check = { ...(data as Omit<CheckDefinition, 'file'>), file };
  checkSemantics(check, file);
  return check;
}

export interface LoadOptions {
  /** Folder holding benchmarks.json and the check folders; defaults to the package's benchmarks/. */
  benchmarksDir?: string;
}

let defaultCatalog: Catalog | undefined;

export function loadCatalog(options: LoadOptions = {}): Catalog {
  if (!options.benchmarksDir && defaultCatalog) return defaultCatalog;
  const source = options.benchmarksDir ? folderSource(options.benchmarksDir) : packageSource;
  const index = JSON.parse(source.read('benchmarks.json')) as { benchmarks: BenchmarkDefinition[] };
  const checks: CheckDefinition[] = [];
  const byId = new Map<string, CheckDefinition>();
  for (const [i, benchmark] of index.benchmarks.entries()) {
    benchmarkVersionsProblem(benchmark, source.fileName('benchmarks.json'), i);
    const ofBenchmark: CheckDefinition[] = [];
    for (const folder of benchmark.folders) {
      for (const name of source.list(folder).filter((n) => n.endsWith('.json'))) {
        const path = `${folder}/${name}`;
        const file = source.fileName(path);
        const check = parseCheckFile(source.read(path), file);
        if (check.benchmark !== benchmark.id)
          throw new DefinitionError(file, `/benchmark: "${check.benchmark}" but the folder belongs to "${benchmark.id}"`);
        if (name !== `${check.id}.json`) throw new DefinitionError(file, `/id: "${check.id}" does not match the file name`);
        if (byId.has(check.id)) throw new DefinitionError(file, `/id: "${check.id}" is defined twice`);
        for (const version of Object.keys(check.bloodhound?.versions ?? {})) {
          if (!benchmark.bloodhoundVersions?.includes(version)) {
            throw new DefinitionError(
              file,
              `/bloodhound/versions/${version}: not one of the report versions benchmarks.json lists for ${benchmark.id}`,
            );
          }
        }
        checkVersionsProblem({ check, benchmark, file, siblings: ofBenchmark });
        byId.set(check.id, check);
        ofBenchmark.push(check);
      }
    }
    ofBenchmark.sort((a, b) => compareIds(a.cisId ?? a.id, b.cisId ?? b.id));
    checks.push(...ofBenchmark);
  }
  const { profiles, defaultProfiles, mappings, selection } = loadProfiles(source, index.benchmarks, byId);
  const catalog = deepFreeze({
    benchmarks: index.benchmarks,
    checks,
    byId,
    profiles,
    defaultProfiles,
    mappings,
    benchmarksById: new Map(index.benchmarks.map((b) => [b.id, b])),
    requirementsByCheck: requirementIndex(mappings),
    ...(selection ? { selection } : {}),
    ...(options.benchmarksDir ? { dir: options.benchmarksDir } : {}),
  });
  if (!options.benchmarksDir) defaultCatalog = catalog;
  return catalog;
}

interface ProfilesFile {
  profiles: ProfileDefinition[];
  defaults: Record<HostKind, string[]>;
  mappings: string[];
  selection?: SelectionTable;
}

/** benchmarks.json is not schema-validated (it predates versions), so its version fields are checked here. */
function benchmarkVersionsProblem(benchmark: BenchmarkDefinition, file: string, index: number): void {
  const versions = benchmark.versions;
  if (versions === undefined) return;
  if (!Array.isArray(versions) || versions.length === 0 || !versions.every((v) => typeof v === 'string' && /^v\d+(\.\d+)*$/.test(v)))
    throw new DefinitionError(file, `/benchmarks/${index}/versions: must be a list of versions such as v1.12.0`);
  if (versions[versions.length - 1] !== benchmark.version)
    throw new DefinitionError(file, `/benchmarks/${index}/version: "${benchmark.version}" must be the newest of versions (the last)`);
}

interface CheckVersionsQuestion {
  check: CheckDefinition;
  benchmark: BenchmarkDefinition;
  file: string;
  /** The checks of the benchmark loaded so far. */
  siblings: readonly CheckDefinition[];
}

/** A check's versions are its benchmark's, and one recommendation has one check per version. */
function checkVersionsProblem({ check, benchmark, file, siblings }: CheckVersionsQuestion): void {
  const all = versionsOf(benchmark);
  check.versions?.forEach((v, i) => {
    if (!all.includes(v))
      throw new DefinitionError(
        file,
        `/versions/${i}: "${v}" is not a version of ${benchmark.id} (benchmarks.json lists ${all.join(', ')})`,
      );
  });
  if (check.cisId === undefined) return;
  const mine = check.versions ?? all;
  for (const other of siblings) {
    if (other.cisId !== check.cisId) continue;
    const shared = (other.versions ?? all).filter((v) => mine.includes(v));
    if (shared.length > 0)
      throw new DefinitionError(
        file,
        `/versions: ${check.id} and ${other.id} both judge ${benchmark.id} ${check.cisId} in ${shared.join(', ')}; limit each to the versions it holds for`,
      );
  }
}

/** The selection table names known platforms, families, benchmarks and versions. */
function selectionProblem(selection: SelectionTable, benchmarks: readonly BenchmarkDefinition[], file: string): void {
  const families = familyNames();
  for (const [platform, list] of Object.entries(selection.platforms))
    list.forEach((family, i) => {
      if (!families.includes(family))
        throw new DefinitionError(file, `/selection/platforms/${platform}/${i}: unknown variant family "${family}"`);
    });
  if (!(selection.otherwise in selection.platforms))
    throw new DefinitionError(file, `/selection/otherwise: "${selection.otherwise}" is not in /selection/platforms`);
  selection.rows.forEach((row, i) => {
    const at = `/selection/rows/${i}`;
    if (!(row.platform in selection.platforms))
      throw new DefinitionError(file, `${at}/platform: "${row.platform}" is not in /selection/platforms`);
    const benchmark = benchmarks.find((b) => b.id === row.benchmark);
    if (!benchmark) throw new DefinitionError(file, `${at}/benchmark: unknown benchmark "${row.benchmark}"`);
    if (!versionsOf(benchmark).includes(row.version))
      throw new DefinitionError(file, `${at}/version: "${row.version}" is not a version of ${row.benchmark}`);
    const [from, to] = row.kubernetes.split('-').map((v) => Number(v.split('.')[1]));
    if (from! > to!) throw new DefinitionError(file, `${at}/kubernetes: "${row.kubernetes}" runs backwards`);
  });
}

/** Profiles and mappings (benchmarks/profiles.json); without that file, one profile runs every benchmark. */
function loadProfiles(
  source: CatalogSource,
  benchmarks: readonly BenchmarkDefinition[],
  byId: ReadonlyMap<string, CheckDefinition>,
): Pick<Catalog, 'profiles' | 'defaultProfiles' | 'mappings' | 'selection'> {
  const file = source.fileName('profiles.json');
  if (!source.exists('profiles.json')) {
    const all: ProfileDefinition = {
      id: 'all',
      name: 'Every check',
      description: 'Every check of every benchmark.',
      benchmarks: benchmarks.map((b) => b.id),
    };
    return { profiles: [all], defaultProfiles: { kubernetes: ['all'], ecs: ['all'], dev: ['all'], unknown: ['all'] }, mappings: [] };
  }
  const data = readValidated<ProfilesFile>(source, 'profiles.json', validateProfiles);
  const mappings = data.mappings.map((name) => {
    const mappingFile = source.fileName(`mappings/${name}`);
    const mapping = { ...readValidated<Omit<MappingDefinition, 'file'>>(source, `mappings/${name}`, validateMapping), file: mappingFile };
    mapping.requirements.forEach((r, i) =>
      r.checks.forEach((id, j) => {
        if (!byId.has(id)) throw new DefinitionError(mappingFile, `/requirements/${i}/checks/${j}: unknown check id "${id}"`);
      }),
    );
    return mapping;
  });
  data.profiles.forEach((p, i) => {
    p.benchmarks?.forEach((entry, j) => {
      const [id, version] = entry.split('@') as [string, string | undefined];
      const benchmark = benchmarks.find((x) => x.id === id);
      if (!benchmark) throw new DefinitionError(file, `/profiles/${i}/benchmarks/${j}: unknown benchmark "${id}"`);
      if (version !== undefined && !versionsOf(benchmark).includes(version))
        throw new DefinitionError(file, `/profiles/${i}/benchmarks/${j}: "${version}" is not a version of ${id}`);
      if (p.perNode && version !== undefined)
        throw new DefinitionError(file, `/profiles/${i}/benchmarks/${j}: a perNode profile chooses the version per node, so it names none`);
      if (p.perNode && !data.selection?.rows.some((r) => r.benchmark === id))
        throw new DefinitionError(file, `/profiles/${i}/benchmarks/${j}: a perNode profile's benchmark needs rows in /selection`);
    });
    p.checks?.forEach((id, j) => {
      if (!byId.has(id)) throw new DefinitionError(file, `/profiles/${i}/checks/${j}: unknown check id "${id}"`);
    });
    p.mappings?.forEach((m, j) => {
      if (!mappings.some((x) => x.id === m)) throw new DefinitionError(file, `/profiles/${i}/mappings/${j}: unknown mapping "${m}"`);
    });
  });
  for (const [kind, ids] of Object.entries(data.defaults)) {
    for (const id of ids)
      if (!data.profiles.some((p) => p.id === id)) throw new DefinitionError(file, `/defaults/${kind}: unknown profile "${id}"`);
  }
  if (data.selection) selectionProblem(data.selection, benchmarks, file);
  return { profiles: data.profiles, defaultProfiles: data.defaults, mappings, ...(data.selection ? { selection: data.selection } : {}) };
}
