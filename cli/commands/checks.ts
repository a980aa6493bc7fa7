import type { Argv } from 'yargs';
import { loadCatalog, selectChecks, UsageError, type CheckDefinition } from '../../src/index.js';

export interface ChecksListArgs {
  level: 1 | 2;
  format: 'text' | 'json';
}

export function listBuilder(yargs: Argv): Argv<ChecksListArgs> {
  return yargs
    .option('level', { alias: 'l', describe: 'Only checks up to this CIS level', choices: [1, 2] as const, default: 2 as 1 | 2, type: 'number' })
    .option('format', { alias: 'f', choices: ['text', 'json'] as const, default: 'text' as const }) as unknown as Argv<ChecksListArgs>;
}

function publicView(check: CheckDefinition): Omit<CheckDefinition, 'file'> & { file: string } {
  return { ...check };
}

export function runChecksList(args: ChecksListArgs, write: (s: string) => void): number {
  const checks = selectChecks(loadCatalog(), { level: args.level });
  if (args.format === 'json') {
    write(JSON.stringify(checks.map(publicView), null, 2) + '\n');
    return 0;
  }
  const idWidth = Math.max(...checks.map((c) => c.id.length));
  write(`${'ID'.padEnd(idWidth)}  LEVEL  ${'TYPE'.padEnd(9)}  ${'SEVERITY'.padEnd(8)}  TITLE\n`);
  for (const c of checks) {
    write(`${c.id.padEnd(idWidth)}  ${String(c.level).padEnd(5)}  ${c.assessment.padEnd(9)}  ${c.severity.padEnd(8)}  ${c.title}\n`);
  }
  write(`${checks.length} checks\n`);
  return 0;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

export function formatCheck(c: CheckDefinition): string {
  const out: string[] = [];
  out.push(`${c.id}  ${c.title}`);
  out.push(`Benchmark:   ${c.benchmark}${c.cisId ? ` ${c.cisId}` : ''} · Level ${c.level} · ${c.assessment} · severity ${c.severity}`);
  if (c.bloodhound) out.push(`Bloodhound:  ${c.bloodhound.name} (apiclient report ${c.bloodhound.report})`);
  out.push('', 'Description:', indent(c.description), '', 'Rationale:', indent(c.rationale), '', 'Audit:', indent(c.audit));
  out.push('', 'Remediation:', indent(c.remediation.text));
  if (c.remediation.apiclient) out.push('', '  With the API:', indent(indent(c.remediation.apiclient)));
  if (c.remediation.userData) out.push('', '  In user data:', indent(indent(c.remediation.userData.trimEnd())));
  if (c.bloodhound?.knownFalseResult) out.push('', 'Known bloodhound false result:', indent(c.bloodhound.knownFalseResult));
  if (c.aspects) out.push('', 'Assertions:', indent(JSON.stringify(c.aspects, null, 2)));
  out.push('', 'References:', ...c.references.map((r) => `  ${r}`), '', `Defined in ${c.file}`);
  return out.join('\n') + '\n';
}

export function runChecksShow(args: { id: string; format: 'text' | 'json' }, write: (s: string) => void): number {
  const check = loadCatalog().byId.get(args.id);
  if (!check) throw new UsageError(`unknown check id "${args.id}" (see \`brsec checks list\`)`);
  write(args.format === 'json' ? JSON.stringify(publicView(check), null, 2) + '\n' : formatCheck(check));
  return 0;
}
