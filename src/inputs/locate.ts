// Where in an input file each finding is decided, for reports that anchor findings at a line (SARIF): the line
// of the setting in user data TOML (or of its table, or the first line when a default decides), and in JSON
// inputs the line of the capture or setting. Worked out only when asked for.
import { visit } from 'jsonc-parser';
import type { CheckResult, Evidence, HostInput } from '../types.js';

/** 1-based line of each object key in a JSON text, by key path joined with NUL (at most `depth` keys deep). */
export function jsonKeyLines(text: string, depth = 5): Record<string, number> {
  const lines: Record<string, number> = {};
  visit(text, {
    onObjectProperty(property, _offset, _length, startLine, _startCharacter, pathSupplier) {
      const path = pathSupplier();
      if (path.length >= depth) return;
      const key = [...path.map(String), property].join('\u0000');
      if (!(key in lines)) lines[key] = startLine + 1;
    },
  });
  return lines;
}

/** `settings.kernel.sysctl."net.ipv4.ip_forward"` → ['kernel', 'sysctl', 'net.ipv4.ip_forward']. */
export function settingPathOf(item: string): string[] | null {
  if (!item.startsWith('settings.')) return null;
  const parts: string[] = [];
  const re = /"([^"]*)"|([^.]+)/g;
  let match: RegExpExecArray | null;
  const rest = item.slice('settings.'.length);
  while ((match = re.exec(rest)) !== null) parts.push(match[1] ?? match[2] ?? '');
  return parts;
}

/** The longest prefix of path (prefixed) that has a line. */
export function longestPrefixLine(
  lines: Record<string, number>,
  path: readonly string[],
  prefix: readonly string[] = [],
): number | undefined {
  for (let n = path.length; n > 0; n--) {
    const line = lines[[...prefix, ...path.slice(0, n)].join('\u0000')];
    if (line !== undefined) return line;
  }
  return undefined;
}

const API_CAPTURES = ['apiclient get', 'apiclient get settings', 'apiclient get os'];

function lineOfEvidence(input: HostInput, e: Evidence): number | undefined {
  const setting = settingPathOf(e.item);
  if (input.nodeConfig && !setting) return input.nodeConfig.itemLines[e.item];
  if (input.userData) return setting ? longestPrefixLine(input.userData.lines, setting) : undefined;
  const lines = input.lines;
  if (!lines) return undefined;
  switch (input.kind) {
    case 'apiclient-get':
      return setting ? (longestPrefixLine(lines, setting, ['settings']) ?? longestPrefixLine(lines, setting)) : undefined;
    case 'bloodhound-report': {
      const name = /bloodhound check (\S+)/.exec(e.item)?.[1];
      return name ? lines[['results', name].join('\u0000')] : undefined;
    }
    case 'snapshot': {
      const captures = input.snapshot.captures;
      const key = e.source in captures ? e.source : setting ? API_CAPTURES.find((k) => k in captures) : undefined;
      return key ? lines[['captures', key].join('\u0000')] : undefined;
    }
    default:
      return undefined;
  }
}

const WANTED: Partial<Record<CheckResult['status'], Evidence['outcome']>> = { FAIL: 'fail', ERROR: 'unusable', NOT_ASSESSED: 'absent' };

/** The line deciding each result that is not a pass: the evidence that gave the status, else the first line. */
export function locateResults(input: HostInput, results: readonly CheckResult[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) {
    if (r.status === 'PASS' || r.status === 'NOT_APPLICABLE') continue;
    const outcome = WANTED[r.status];
    const deciding = outcome ? r.evidence.filter((e) => e.outcome === outcome) : r.evidence;
    let line: number | undefined;
    for (const e of deciding) if ((line = lineOfEvidence(input, e)) !== undefined) break;
    // A node definition's own line, where nothing more particular decides (a default, a capture it does not have).
    out[r.id] = line ?? input.nodeConfig?.line ?? 1;
  }
  return out;
}
