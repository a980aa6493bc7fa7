// SARIF 2.1.0 as GitHub code scanning accepts it: one rule per check, results only for what should be an alert
// (FAIL; ERROR and MANUAL behind a flag; never passes or waived results), each anchored at the line of the input
// that decides it, with stable fingerprints, one run per host (category brsec/<profiles>/<host>/), or one run for
// the whole fleet when it has more hosts than a file may hold runs.
import { printableId } from './printable.js';
import { crypto } from '../builtins.js';
import { relative, isAbsolute, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadCatalog, versionsOf, type Catalog, type CheckDefinition } from '../checks/loader.js';
import { requirementsOf } from '../checks/mappings.js';
import type { CheckResult, HostResult, Severity } from '../types.js';
import type { WriterOptions, WriterScope } from './options.js';
import { idVersion } from './benchmark-versions.js';
import type { ReportWriter } from './writer.js';
import { brsecVersion } from '../version.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/** GitHub keeps at most 20 runs per upload, and 25,000 results per run. */
export const MAX_RUNS = 20;
export const MAX_RESULTS = 25_000;

// GitHub: over 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low. The boundaries themselves are avoided.
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '1.0' };
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** A benchmark version without its patch number (v1.11.1 → v1.11), so fingerprints survive patch releases. */
function minorVersion(version: string): string {
  return version.split('.').slice(0, 2).join('.');
}

export function fingerprint(benchmarkId: string, benchmarkVersion: string, checkId: string, hostId: string): string {
  return crypto()
    .createHash('sha256')
    .update(`${benchmarkId}@${minorVersion(benchmarkVersion)}\u0000${checkId}\u0000${hostId}`)
    .digest('hex');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Requirement tags of a check: `pci-dss-1.3.1`. */
function requirementTags(catalog: Catalog, id: string): string[] {
  return requirementsOf(catalog, id).map(({ mapping, requirement }) => `${mapping.id}-${requirement.id}`);
}

function helpMarkdown(c: CheckDefinition, catalog: Catalog): string {
  const parts = [
    `**${c.title}**`,
    '',
    c.description,
    '',
    '**Rationale.** ' + c.rationale,
    '',
    '**Audit.** ' + c.audit,
    '',
    '**Remediation.** ' + c.remediation.text,
  ];
  if (c.remediation.apiclient) parts.push('', '```sh', c.remediation.apiclient, '```');
  if (c.remediation.userData) parts.push('', 'In user data:', '', '```toml', c.remediation.userData.trimEnd(), '```');
  // Named as the mapping names itself (`PCI DSS 2.2.6`), for a catalogue's own mappings too.
  const reqs = requirementsOf(catalog, c.id).map(({ mapping, requirement }) => `${mapping.name} ${requirement.id}`);
  if (reqs.length > 0) parts.push('', `Evidence for: ${reqs.join(', ')}.`);
  parts.push('', ...c.references.map((r) => `- ${r}`));
  return parts.join('\n');
}

function ruleOf(c: CheckDefinition, catalog: Catalog): Record<string, unknown> {
  const benchmark = catalog.benchmarks.find((b) => b.id === c.benchmark);
  const tags = [c.benchmark, `level-${c.level}`, c.assessment, ...requirementTags(catalog, c.id), 'security'].slice(0, 20);
  return {
    id: c.id,
    name: c.id.replace(/[^A-Za-z0-9]+/g, ''),
    shortDescription: { text: truncate(c.title, 1024) },
    fullDescription: { text: truncate(c.description, 1024) },
    help: { text: truncate(`${c.rationale}\n\nRemediation: ${c.remediation.text}`, 10000), markdown: helpMarkdown(c, catalog) },
    // A page that exists: the recommendation's own reference (CIS, Bottlerocket's documentation, AWS's).
    ...(c.references[0] ? { helpUri: c.references[0] } : {}),
    defaultConfiguration: { level: LEVEL[c.severity] },
    properties: {
      tags,
      precision: 'high',
      'security-severity': SECURITY_SEVERITY[c.severity],
      ...(benchmark ? { benchmark: `${benchmark.name} ${(c.versions ?? versionsOf(benchmark)).join(', ')}` } : {}),
    },
  };
}

function driver(rules: Record<string, unknown>[]): Record<string, unknown> {
  // brsec has no public home page to name as informationUri: a link must lead somewhere real, or be left out.
  return { name: 'brsec', semanticVersion: brsecVersion(), rules };
}

/** The input's path as a URI relative to the base directory, with forward slashes. */
/**
 * A result's artifact URI: the input's path relative to the folder the scan ran in (the repository, in CI), each
 * segment percent-encoded; a file outside that folder as an absolute file URI (the upload action makes those under
 * the checkout relative); inputs that are no file (stdin, `ssm:<instance>`) by their name.
 */
export function uriOf(source: string, baseDir: string): string {
  if (source === 'stdin' || /^[a-z][\w+.-]*:/i.test(source)) return source;
  const absolute = resolve(baseDir, source);
  const path = relative(baseDir, absolute);
  if (path === '' || path === '..' || path.startsWith(`..${sep}`) || isAbsolute(path)) return pathToFileURL(absolute).href;
  return path.split(sep).map(encodeURIComponent).join('/');
}

function reported(r: CheckResult, include: ReadonlySet<string>): boolean {
  if (r.waiver?.state === 'active') return false;
  return r.status === 'FAIL' || (r.status === 'ERROR' && include.has('error')) || (r.status === 'MANUAL' && include.has('manual'));
}

/** SARIF 2.1.0; rules come from the scanned catalogue (the packaged one when none is given). */
export function sarifWriter(
  options: WriterOptions = {},
  { catalog }: Pick<WriterScope, 'catalog'> = { catalog: loadCatalog() },
): ReportWriter {
  const baseDir = options.baseDir ?? process.cwd();
  const include = new Set(options.sarifInclude ?? []);
  const fleet = (options.hostCount ?? 1) > MAX_RUNS;
  // Fingerprints name the version a check's id was first defined in, so they survive a host's move to a newer version.
  const versionOf = new Map(catalog.checks.map((c) => [c.id, idVersion(c, catalog, c.benchmark) ?? '']));

  function resultsOf(h: HostResult, ruleIndex: Map<string, number>): string[] {
    const out: string[] = [];
    const uri = uriOf(h.source, baseDir);
    for (const r of h.results) {
      if (!reported(r, include)) continue;
      const level = r.status === 'FAIL' ? LEVEL[r.severity] : r.status === 'ERROR' ? 'warning' : 'note';
      const what =
        r.status === 'FAIL'
          ? r.reason
          : r.status === 'ERROR'
            ? `not assessed, evidence unusable: ${r.reason}`
            : `manual audit needed: ${r.audit ?? r.reason}`;
      const result: Record<string, unknown> = {
        ruleId: r.id,
        ruleIndex: ruleIndex.get(r.id),
        level,
        message: { text: truncate(`${r.title} (host ${printableId(h.host.id)}): ${what ?? r.status}`, 4000) },
        locations: [{ physicalLocation: { artifactLocation: { uri }, region: { startLine: h.locations?.[r.id] ?? 1 } } }],
        partialFingerprints: {
          primaryLocationLineHash: fingerprint(
            r.benchmark,
            versionOf.get(r.id) ?? catalog.benchmarksById.get(r.benchmark)?.version ?? '',
            r.id,
            h.host.id,
          ),
        },
        properties: { host: printableId(h.host.id), status: r.status, severity: r.severity, ...(r.waiver ? { waiver: r.waiver } : {}) },
      };
      if (r.baseline) result.baselineState = r.baseline;
      out.push(JSON.stringify(result));
    }
    return out;
  }

  if (fleet) {
    const ids = options.ruleIds ?? catalog.checks.map((c) => c.id);
    const checks = ids.map((id) => catalog.byId.get(id)).filter((c): c is CheckDefinition => c !== undefined);
    const ruleIndex = new Map(checks.map((c, i) => [c.id, i]));
    return {
      separator: ',\n',
      maxItems: MAX_RESULTS,
      itemsOf: (h) => h.results.filter((r) => reported(r, include)).length,
      begin(meta) {
        const profiles = meta.profiles === 'default' ? 'default' : meta.profiles.join('+');
        const run = {
          tool: { driver: driver(checks.map((c) => ruleOf(c, catalog))) },
          automationDetails: { id: `${options.sarifCategory ?? `brsec/${profiles}`}/fleet/` },
        };
        return `{"version":"2.1.0","$schema":"${SARIF_SCHEMA}","runs":[\n${JSON.stringify(run).slice(0, -1)},"results":[\n`;
      },
      host: (h) => resultsOf(h, ruleIndex).join(',\n'),
      // Over GitHub's limit, whole hosts are left out (the JSON report has everything); the run says how many.
      end: (_errors, _totals, leftOut) =>
        leftOut
          ? `\n],"properties":{"brsecLeftOut":{"hosts":${leftOut.hosts},"results":${leftOut.items},"reason":"at most ${MAX_RESULTS} results per run"}}}\n]}\n`
          : '\n]}\n]}\n',
    };
  }

  // A delivery must not hold two runs of one category: a host met again (two snapshots of it, say) gets
  // `…/<host>/2/`, and so on. Per-host runs are written only for a handful of hosts, all on this thread.
  const categories = new Map<string, number>();
  return {
    separator: ',\n',
    begin: () => `{"version":"2.1.0","$schema":"${SARIF_SCHEMA}","runs":[\n`,
    host(h) {
      const checks = h.results.map((r) => catalog.byId.get(r.id)).filter((c): c is CheckDefinition => c !== undefined);
      const ruleIndex = new Map(checks.map((c, i) => [c.id, i]));
      const profiles = h.profiles.length > 0 ? h.profiles.join('+') : 'checks';
      const category = `${options.sarifCategory ?? `brsec/${profiles}`}/${printableId(h.host.id)}`;
      const seen = (categories.get(category) ?? 0) + 1;
      categories.set(category, seen);
      const run = {
        tool: { driver: driver(checks.map((c) => ruleOf(c, catalog))) },
        automationDetails: { id: seen === 1 ? `${category}/` : `${category}/${seen}/` },
      };
      return `${JSON.stringify(run).slice(0, -1)},"results":[${resultsOf(h, ruleIndex).join(',\n')}]}`;
    },
    end: () => '\n]}\n',
  };
}
