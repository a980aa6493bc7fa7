// Validates SARIF the way GitHub code scanning would take it: the OASIS SARIF 2.1.0 schema, then the ingestion
// rules GitHub documents (a physical location with a line on every result, unique rule ids, fingerprints,
// limits on results and runs, security-severity in range, one run per category).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv04 from 'ajv-draft-04';
import { fixturesDir } from './cli.js';

const ajv = new Ajv04({ allErrors: true, strict: false, validateFormats: false });
const validate = ajv.compile(JSON.parse(readFileSync(join(fixturesDir, 'schemas', 'sarif-schema-2.1.0.json'), 'utf8')));

export function schemaErrors(sarif: unknown): string[] {
  return validate(sarif) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

interface Run {
  tool: { driver: { name: string; rules?: { id: string; properties?: Record<string, unknown> }[] } };
  automationDetails?: { id: string };
  results: {
    ruleId: string;
    locations?: { physicalLocation?: { artifactLocation?: { uri?: string }; region?: { startLine?: number } } }[];
    partialFingerprints?: Record<string, string>;
  }[];
}

/** GitHub's ingestion rules; `root` is where relative URIs must name existing files. */
export function githubProblems(sarif: { runs: Run[] }, root: string): string[] {
  const problems: string[] = [];
  if (sarif.runs.length > 20) problems.push(`${sarif.runs.length} runs (at most 20)`);
  const categories = sarif.runs.map((r) => `${r.tool.driver.name}/${r.automationDetails?.id ?? ''}`);
  if (new Set(categories).size !== categories.length) problems.push('two runs with the same category');
  for (const [i, run] of sarif.runs.entries()) {
    const ids = (run.tool.driver.rules ?? []).map((r) => r.id);
    if (new Set(ids).size !== ids.length) problems.push(`run ${i}: duplicate rule ids`);
    for (const rule of run.tool.driver.rules ?? []) {
      const severity = Number(rule.properties?.['security-severity']);
      if (!(severity >= 0.1 && severity <= 10))
        problems.push(`run ${i}: rule ${rule.id} security-severity ${String(rule.properties?.['security-severity'])}`);
      if (!(rule.properties?.tags as string[] | undefined)?.includes('security'))
        problems.push(`run ${i}: rule ${rule.id} lacks the security tag`);
    }
    if (run.results.length > 25_000) problems.push(`run ${i}: ${run.results.length} results (at most 25,000)`);
    for (const result of run.results) {
      const where = result.locations?.[0]?.physicalLocation;
      const uri = where?.artifactLocation?.uri;
      if (!uri || !(where?.region?.startLine && where.region.startLine >= 1))
        problems.push(`run ${i}: ${result.ruleId} has no physical location with a line`);
      else if (!existsSync(uri.startsWith('file:') ? fileURLToPath(uri) : join(root, decodeURIComponent(uri))))
        problems.push(`run ${i}: ${result.ruleId} points at ${uri}, which does not exist`);
      if (!result.partialFingerprints || Object.keys(result.partialFingerprints).length === 0)
        problems.push(`run ${i}: ${result.ruleId} has no fingerprint`);
      if (!ids.includes(result.ruleId)) problems.push(`run ${i}: ${result.ruleId} is not among the rules`);
    }
  }
  return problems;
}
