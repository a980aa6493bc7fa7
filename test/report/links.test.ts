// Links in reports lead somewhere real: a check's own reference (CIS, Bottlerocket's documentation, AWS's), a
// benchmark's page or a format's schema; never a home page brsec does not have.
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/index.js';
import { brsec } from '../helpers/cli.js';

const catalog = loadCatalog();
const known = new Set<string>([
  ...catalog.checks.flatMap((c) => c.references),
  ...catalog.benchmarks.flatMap((b) => (b.url ? [b.url] : [])),
  ...catalog.mappings.flatMap((m) => (m.url ? [m.url] : [])),
  'https://json.schemastore.org/sarif-2.1.0.json',
]);

describe('links in reports', () => {
  it.each(['sarif', 'markdown', 'asff', 'ocsf', 'json', 'junit'])('%s links only to pages that exist', (format) => {
    const out = brsec([
      'scan',
      'examples/ecs-gaps.json',
      '--profile',
      'all',
      '-f',
      format,
      '--aws-account',
      '123456789012',
      '--region',
      'us-east-1',
    ]).stdout;
    expect(out).not.toContain('github.com/brsec');
    // Every link a reader follows: Markdown links, SARIF helpUri and informationUri, ASFF Remediation Url.
    const links = [
      ...[...out.matchAll(/\]\((https?:\/\/[^)\s]+)\)/g)].map((m) => m[1]!),
      ...[...out.matchAll(/"(?:helpUri|informationUri|Url|\$schema)":"(https?:\/\/[^"]+)"/g)].map((m) => m[1]!),
    ];
    for (const link of links) expect(known.has(link) || link.startsWith('https://schema.ocsf.io'), `${format}: ${link}`).toBe(true);
  });
});
