import type { Argv } from 'yargs';
import { loadCatalog, planScan, UsageError, type Catalog, type CheckDefinition, type HostKind } from '../../src/index.js';

export interface ChecksListArgs {
  level: 1 | 2;
  format: 'text' | 'json';
  profile?: string[];
  kind?: HostKind;
}

export function listBuilder(yargs: Argv): Argv<ChecksListArgs> {
  return yargs
    .option('level', {
      alias: 'l',
      describe: 'Only checks up to this CIS level',
      choices: [1, 2] as const,
      default: 2 as 1 | 2,
      type: 'number',
    })
    .option('profile', {
      alias: 'p',
      describe: 'Only the checks of these profiles (see `brsec checks profiles`); default: every check',
      type: 'string',
      array: true,
    })
    .option('format', { alias: 'f', choices: ['text', 'json'] as const, default: 'text' as const }) as unknown as Argv<ChecksListArgs>;
}

/** The requirements (framework, id) each check evidences: read from the mappings, which point at checks. */
export function requirementsOf(catalog: Catalog, id: string): { framework: string; version: string; id: string; title: string }[] {
  return catalog.mappings.flatMap((m) =>
    m.requirements.filter((r) => r.checks.includes(id)).map((r) => ({ framework: m.name, version: m.version, id: r.id, title: r.title })),
  );
}

function publicView(catalog: Catalog, check: CheckDefinition) {
  return { ...check, requirements: requirementsOf(catalog, check.id).map((r) => `${r.framework} ${r.version} ${r.id}`) };
}

export function runChecksList(args: ChecksListArgs, write: (s: string) => void): number {
  const catalog = loadCatalog();
  const profiles = args.profile && args.profile.length > 0 ? args.profile : catalog.profiles.filter((p) => p.id === 'all').map((p) => p.id);
  const checks = planScan(catalog, { level: args.level, profiles }).checks;
  if (args.format === 'json') {
    write(
      JSON.stringify(
        checks.map((c) => publicView(catalog, c)),
        null,
        2,
      ) + '\n',
    );
    return 0;
  }
  const idWidth = Math.max(...checks.map((c) => c.id.length));
  write(`${'ID'.padEnd(idWidth)}  LEVEL  ${'TYPE'.padEnd(9)}  ${'SEVERITY'.padEnd(8)}  TITLE\n`);
  for (const c of checks) {
    write(`${c.id.padEnd(idWidth)}  ${String(c.level).padEnd(5)}  ${c.assessment.padEnd(9)}  ${c.severity.padEnd(8)}  ${c.title}\n`);
  }
  write(`${checks.length} checks (profile ${profiles.join(', ')}, level ${args.level})\n`);
  return 0;
}

/** Per benchmark, the checks a node judged against it gets: `13`, or `25–26` where versions differ. */
function perNodeCounts(catalog: Catalog, benchmarks: readonly string[]): string[] {
  return benchmarks.map((id) => {
    const benchmark = catalog.benchmarks.find((b) => b.id === id);
    const counts = (benchmark?.versions ?? [benchmark?.version]).map(
      (v) => catalog.checks.filter((c) => c.benchmark === id && (!c.versions || (v !== undefined && c.versions.includes(v)))).length,
    );
    const low = Math.min(...counts);
    const high = Math.max(...counts);
    return `${low === high ? low : `${low}–${high}`} ${benchmark?.name ?? id}`;
  });
}

export function runChecksProfiles(args: { format: 'text' | 'json' }, write: (s: string) => void): number {
  const catalog = loadCatalog();
  const rows = catalog.profiles.map((p) => ({
    ...p,
    checks: planScan(catalog, { profiles: [p.id] }).checks.length,
    defaultFor: (Object.entries(catalog.defaultProfiles) as [HostKind, readonly string[]][])
      .filter(([, ids]) => ids.includes(p.id))
      .map(([kind]) => kind),
  }));
  if (args.format === 'json') {
    write(JSON.stringify(rows, null, 2) + '\n');
    return 0;
  }
  const width = Math.max(...rows.map((r) => r.id.length));
  for (const r of rows) {
    // A node gets one of a perNode profile's benchmarks, at one version: say how many checks each gives.
    const count = r.perNode ? ` (${perNodeCounts(catalog, r.benchmarks ?? []).join(' or ')} per node)` : '';
    write(
      `${r.id.padEnd(width)}  ${String(r.checks).padStart(3)} checks  ${r.name}${count}${r.defaultFor.length ? ` (default for ${r.defaultFor.join(', ')} hosts)` : ''}\n`,
    );
    write(`${' '.repeat(width)}  ${r.description}\n`);
  }
  return 0;
}

/** The benchmarks and versions brsec ships, and the table that picks the one a node is judged against. */
export function runChecksBenchmarks(args: { format: 'text' | 'json' }, write: (s: string) => void): number {
  const catalog = loadCatalog();
  const benchmarks = catalog.benchmarks.map((b) => ({
    id: b.id,
    name: b.name,
    versions: b.versions ?? [b.version],
    checks: catalog.checks.filter((c) => c.benchmark === b.id).length,
    ...(b.url ? { url: b.url } : {}),
  }));
  const perNode = catalog.profiles.filter((p) => p.perNode).map((p) => p.id);
  const selection = catalog.selection;
  if (args.format === 'json') {
    write(JSON.stringify({ benchmarks, perNodeProfiles: perNode, selection: selection ?? null }, null, 2) + '\n');
    return 0;
  }
  const table = (head: string[], rows: string[][]): void => {
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    for (const r of [head, ...rows]) write(r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ') + '\n');
  };
  table(
    ['BENCHMARK', 'VERSIONS', 'CHECKS', 'NAME'],
    benchmarks.map((b) => [b.id, b.versions.join(', '), String(b.checks), b.name]),
  );
  if (!selection) return 0;
  const defaults = (id: string) =>
    (Object.entries(catalog.defaultProfiles) as [HostKind, readonly string[]][]).filter(([, ids]) => ids.includes(id)).map(([k]) => k);
  write(
    `\nThe version a node is judged against${perNode.length ? ` (profile ${perNode.map((id) => `${id}${defaults(id).length ? `, the default for ${defaults(id).join(', ')} hosts` : ''}`).join('; ')}; profiles that name one benchmark use its rows)` : ''}:\n\n`,
  );
  table(
    ['PLATFORM', 'FAMILIES', 'KUBERNETES', 'BENCHMARK', 'VERSION', 'AS'],
    selection.rows.map((r) => [
      r.platform,
      (selection.platforms[r.platform] ?? []).join(', '),
      r.kubernetes,
      r.benchmark,
      r.version,
      r.source,
    ]),
  );
  write(
    `\nThe Kubernetes version comes from the variant (aws-k8s-1.33). A version older than a platform's rows gets the oldest version brsec ships for it; a newer or unknown one the newest. A family no platform lists, or an unknown one, is on platform ${selection.otherwise}. Each host's report says which version it was judged against and why.\n`,
  );
  return 0;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

export function formatCheck(c: CheckDefinition, catalog: Catalog = loadCatalog()): string {
  const out: string[] = [];
  const benchmark = catalog.benchmarks.find((b) => b.id === c.benchmark);
  out.push(`${c.id}  ${c.title}`);
  out.push(
    `Benchmark:   ${benchmark ? `${benchmark.name} ${(c.versions ?? benchmark.versions ?? [benchmark.version]).join(', ')}` : c.benchmark}${c.cisId ? ` · ${c.cisId}` : ''} · Level ${c.level} · ${c.assessment} · severity ${c.severity}`,
  );
  if (c.appliesTo?.kinds) out.push(`Applies to:  ${c.appliesTo.kinds.join(', ')} variants`);
  if (c.appliesTo?.fips) out.push('Applies to:  hosts that should run in FIPS mode (FIPS variants, fips=1)');
  if (c.automatedWhen)
    out.push('Judged:      only where the evidence under automatedWhen passes (its subject exists on the host); MANUAL elsewhere');
  if (c.bloodhound) out.push(`Bloodhound:  ${c.bloodhound.name} (apiclient report ${c.bloodhound.report})`);
  const requirements = requirementsOf(catalog, c.id);
  if (requirements.length > 0) {
    out.push('', 'Evidence for:', ...requirements.map((r) => `  ${r.framework} ${r.version} requirement ${r.id}: ${r.title}`));
  }
  out.push('', 'Description:', indent(c.description), '', 'Rationale:', indent(c.rationale), '', 'Audit:', indent(c.audit));
  out.push('', 'Remediation:', indent(c.remediation.text));
  if (c.remediation.apiclient) out.push('', '  With the API:', indent(indent(c.remediation.apiclient)));
  if (c.remediation.userData) out.push('', '  In user data:', indent(indent(c.remediation.userData.trimEnd())));
  if (c.parameters) {
    out.push('', 'Parameters:');
    for (const [name, p] of Object.entries(c.parameters))
      out.push(`  ${name}${p.option ? ` (${p.option})` : ''}: ${p.description}`, `    default: ${JSON.stringify(p.default)}`);
  }
  const bloodhound = c.bloodhound;
  if (bloodhound && (bloodhound.versions || bloodhound.knownFalseResults)) {
    out.push('', "What bloodhound's verdicts prove:");
    for (const [version, v] of Object.entries(bloodhound.versions ?? {})) {
      const proves =
        v.compared === 'stricter'
          ? 'its PASS stands in, its FAIL does not'
          : v.compared === 'looser'
            ? 'its FAIL stands in, its PASS does not'
            : 'neither verdict stands in';
      out.push(indent(`${version} report: judges "${v.criterion}", ${v.compared} than "${bloodhound.criterion ?? c.title}"; ${proves}`));
    }
    for (const f of bloodhound.knownFalseResults ?? [])
      out.push(indent(`Known false ${f.verdict} (bloodhound ${f.bloodhound}): ${f.text}`));
  }
  if (c.aspects)
    out.push(
      '',
      c.assessment === 'manual' ? 'Evidence gathered for the auditor:' : 'Assertions:',
      indent(JSON.stringify(c.aspects, null, 2)),
    );
  out.push('', 'References:', ...c.references.map((r) => `  ${r}`), '', `Defined in ${c.file}`);
  return out.join('\n') + '\n';
}

export function runChecksShow(args: { id: string; format: 'text' | 'json' }, write: (s: string) => void): number {
  const catalog = loadCatalog();
  const check = catalog.byId.get(args.id);
  if (!check) throw new UsageError(`unknown check id "${args.id}" (see \`brsec checks list\`)`);
  write(args.format === 'json' ? JSON.stringify(publicView(catalog, check), null, 2) + '\n' : formatCheck(check, catalog));
  return 0;
}
