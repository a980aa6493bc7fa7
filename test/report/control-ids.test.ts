// A host names itself: control characters in its id never reach a report's identifiers (SARIF categories, ASFF
// and OCSF ids, JUnit classes), in any format.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { brsec, repoRoot, scratchFolder } from '../helpers/cli.js';
import { join } from 'node:path';

const tmp = scratchFolder('brsec-control-ids-');
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f\u2028\u2029]/;

describe('host ids with control characters', () => {
  it.each(['sarif', 'asff', 'ocsf', 'junit', 'json'])('stay out of the %s report', (format) => {
    const snapshot = JSON.parse(readFileSync(join(repoRoot, 'examples', 'ecs-gaps.json'), 'utf8'));
    snapshot.host.id = 'host\u0007\u001b[2J\tname\u2028x';
    const file = tmp.path(`control-${format}.json`);
    writeFileSync(file, JSON.stringify(snapshot));
    const run = brsec(['scan', file, '-f', format, '--aws-account', '123456789012', '--region', 'us-east-1']);
    const report = format === 'junit' ? run.stdout : JSON.stringify(JSON.parse(run.stdout), (_k, v: unknown) => v);
    // JSON escapes control characters in strings; what matters is the value: parse and look inside.
    const values: string[] = [];
    if (format === 'junit') values.push(run.stdout);
    else JSON.parse(report, (_k, v: unknown) => (typeof v === 'string' && values.push(v), v));
    const ids = values.filter((v) => v.includes('host'));
    expect(ids.length).toBeGreaterThan(0);
    if (format !== 'json')
      for (const v of ids)
        expect(CONTROL.test(v) || (format !== 'junit' && v.includes('\t')), `${format}: ${JSON.stringify(v)}`).toBe(false);
  });
});
