import { ParseError } from './parse-error.js';

// bloodhound's text report (`apiclient report cis`, the default format), read into the shape of its JSON report
// so the rest of brsec reads one form. The layout is bloodhound's: a header of `Label:  value` lines, then one
// `[STATUS] <id> <title> (<mode>)` line per check, then totals, and in newer versions an `Exceptions:` section.

const RESULT = /^\[(PASS|FAIL|SKIP)\]\s+(\S+)\s+(.*?)\s+\((Automatic|Manual|Exception)\)\s*$/;
const HEADER = /^(Benchmark name|Version|Benchmark level|Start time):\s*(.*?)\s*$/;
const EXCEPTION = /^\*\s+(\S+)\s+(.*?)\s*$/;
const TOTAL = /^Total checks:\s*(\d+)\s*$/;

/** Whether the text is a bloodhound text report: it opens with its `Benchmark name:` line. */
export function isBloodhoundText(text: string): boolean {
  return /^\s*Benchmark name:/.test(text);
}

/**
 * The report as the JSON report's text, keyed by CIS id (the text does not print checker names). A check shown as
 * an `(Exception)` is an override, as `{"OVERRIDE": status}` is in JSON. Null when no result line is found. A text that
 * ends before its `Total checks:` line was cut, and is refused: what it lists may not be all bloodhound reported.
 */
export function bloodhoundTextToJson(text: string): string | null {
  const header: Record<string, string> = {};
  // No prototype: an id such as `__proto__` or `constructor` in the text is just a key.
  const results: Record<string, Record<string, unknown>> = Object.create(null);
  let exceptions = false;
  let total: number | undefined;
  for (const raw of text.split('\n')) {
    // Lines bloodhound colours (a warning before a result) carry ANSI sequences; they are not results.
    const line = raw.replace(/\r$/, '');
    const result = RESULT.exec(line);
    if (result) {
      const [, status, id, title, mode] = result as unknown as [string, string, string, string, string];
      results[id] = { id, title, mode: mode === 'Exception' ? 'Automatic' : mode, status: mode === 'Exception' ? { OVERRIDE: status } : status, error: '' };
      continue;
    }
    const field = HEADER.exec(line);
    if (field && Object.keys(results).length === 0) {
      header[field[1] as string] = field[2] as string;
      continue;
    }
    const totalLine = TOTAL.exec(line);
    if (totalLine) {
      total = Number(totalLine[1]);
      continue;
    }
    if (/^Exceptions:\s*$/.test(line)) {
      exceptions = true;
      continue;
    }
    const exception = exceptions ? EXCEPTION.exec(line) : null;
    if (exception && Object.hasOwn(results, exception[1] as string)) results[exception[1] as string]!.override_reason = exception[2];
  }
  if (Object.keys(results).length === 0) return null;
  if (total === undefined) throw new ParseError('the text report ends before its "Total checks:" line, so it is incomplete');
  const level = Number(header['Benchmark level']);
  return JSON.stringify({
    name: header['Benchmark name'] ?? '',
    version: header.Version ?? '',
    ...(Number.isInteger(level) ? { level } : {}),
    ...(header['Start time'] ? { timestamp: header['Start time'] } : {}),
    total,
    results,
  });
}

/** The 1-based line of each result, keyed as the JSON report's would be (`results`, then the CIS id), for SARIF. */
export function bloodhoundTextLines(text: string): Record<string, number> {
  const lines: Record<string, number> = {};
  text.split('\n').forEach((line, index) => {
    const result = RESULT.exec(line.replace(/\r$/, ''));
    if (result) lines[`results\u0000${result[2]}`] ??= index + 1;
  });
  return lines;
}
