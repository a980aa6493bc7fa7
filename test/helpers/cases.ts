// Builds host inputs from the compact fixture cases in test/fixtures/checks/.
import { parse as parseToml } from 'smol-toml';
import { detectInput, detectInputs } from '../../src/inputs/detect.js';
import type { Capture, HostInput } from '../../src/types.js';

export interface FixtureCase {
  name: string;
  expect: string;
  variant?: string;
  /** `$bloodhound` builds a report with these CIS ids and statuses; `$version` names its benchmark version. */
  captures?: Record<string, string | Capture | { $bloodhound: Record<string, string>; $version?: string }>;
  settings?: Record<string, unknown>;
  userData?: string;
  /** A node configuration file (Karpenter, eksctl, CloudFormation YAML or JSON); its first node definition is the host. */
  nodeConfig?: string;
  /** The settings the host was launched with, as --drift gives them. */
  launchedWith?: Record<string, unknown>;
  reasonIncludes?: string[];
  /** Values for check parameters, as --allowed-registry and --update-repository give them. */
  parameters?: Record<string, unknown>;
  /** The snapshot's AWS evidence (aws.inspector2). */
  aws?: Record<string, unknown>;
  notesInclude?: string[];
}

/** A bloodhound report whose results have the given CIS ids and statuses (`OVERRIDE:PASS` for an override). */
export function bloodhoundReport(statuses: Record<string, string>, name = 'CIS Bottlerocket Benchmark', version = 'v1.0.0'): string {
  const results: Record<string, unknown> = {};
  const prefix = name.startsWith('CIS Kubernetes') ? 'k8s' : name.startsWith('FIPS') ? 'fips' : 'br';
  for (const [id, status] of Object.entries(statuses)) {
    const checker =
      prefix +
      id
        .split('.')
        .concat(['0', '0', '0', '0'])
        .slice(0, 4)
        .map((p) => p.padStart(2, '0'))
        .join('');
    const override = status.startsWith('OVERRIDE:') ? status.slice(9) : null;
    results[checker] = {
      name: checker,
      id,
      level: 1,
      title: `check ${id}`,
      mode: 'Automatic',
      status: override ? { OVERRIDE: override } : status,
      error: status === 'PASS' || override ? '' : 'bloodhound said so',
      ...(override ? { override_reason: 'Bottlerocket declares an exception here' } : {}),
    };
  }
  const total = Object.keys(results).length;
  return JSON.stringify({
    level: 2,
    total,
    passed: 0,
    skipped: 0,
    failed: 0,
    status: 'FAIL',
    timestamp: '2024-10-28T17:21:09Z',
    name,
    version,
    results,
  });
}

export function inputFromCase(c: FixtureCase, source = `fixture:${c.name}`): HostInput {
  if (c.nodeConfig !== undefined) {
    const found = detectInputs(c.nodeConfig, {
      source,
      parseToml: (t) => parseToml(t) as Record<string, unknown>,
      ...(c.variant ? { variant: c.variant } : {}),
    });
    if (found.problems.length > 0 || found.inputs.length === 0) throw new Error(`fixture ${c.name}: ${JSON.stringify(found)}`);
    return found.inputs[0]!;
  }
  if (c.userData !== undefined) {
    return detectInput(c.userData, {
      source,
      parseToml: (t) => parseToml(t) as Record<string, unknown>,
      ...(c.variant ? { variant: c.variant } : {}),
    });
  }
  const captures: Record<string, Capture> = {};
  for (const [key, value] of Object.entries(c.captures ?? {})) {
    if (typeof value === 'string') captures[key] = { stdout: value, exitCode: 0 };
    else if ('$bloodhound' in value) {
      const report = key.includes('cis-k8s')
        ? bloodhoundReport(value.$bloodhound, 'CIS Kubernetes Benchmark (Worker Node)', value.$version ?? 'v1.11.1')
        : key.includes('report fips')
          ? bloodhoundReport(value.$bloodhound, 'FIPS Security Policy', value.$version ?? 'v1.0.0')
          : bloodhoundReport(value.$bloodhound, undefined, value.$version);
      captures[key] = { stdout: report, exitCode: 0 };
    } else captures[key] = value;
  }
  if (c.settings) {
    const doc: Record<string, unknown> = { settings: c.settings };
    if (c.variant) doc.os = { variant_id: c.variant, version_id: '1.26.1', arch: 'x86_64', pretty_name: 'Bottlerocket' };
    captures['apiclient get'] = { stdout: JSON.stringify(doc), exitCode: 0 };
  }
  const input: HostInput = {
    source,
    kind: 'snapshot',
    snapshot: {
      brsec: 'snapshot/1',
      host: { id: 'i-fixture' },
      collectedAt: '2026-11-26T00:00:00Z',
      captures,
      ...(c.aws ? { aws: c.aws as HostInput['snapshot']['aws'] } : {}),
    },
  };
  if (c.variant && !c.settings) input.variantOverride = c.variant;
  if (c.launchedWith) input.launchedWith = { source: 'launch.toml', settings: c.launchedWith };
  return input;
}
