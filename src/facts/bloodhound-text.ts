import { ParseError } from './parse-error.js';

// bloodhound's text report (`apiclient report cis`, the default format), read into the shape of its JSON report
// so the rest of brsec reads one form. The layout is bloodhound's: a header of `Label:  value` lines, then one
// `[STATUS] <id> <title> (<mode>)` line per check, then totals, and in newer versions an `Exceptions:` section.

// Lines are taken apart by hand, never by a regular expression with two runs of spaces around a lazy group: a
// host's text controls those runs, and such a pattern backtracks (a result line with 10,000 spaces took minutes).
const STATUSES = ['PASS', 'FAIL', 'SKIP'] as const;
const MODES = ['Automatic', 'Manual', 'Exception'] as const;
const HEADERS = ['Benchmark name', 'Version', 'Benchmark level', 'Start time'] as const;
const TOTAL = /^Total checks:[ \t]*(\d+)[ \t]*$/;

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t';

/** The first run of non-space characters of `text` from `at`, and where what follows it (spaces skipped) starts. */
function word(text: string, at: number): { word: string; rest: number } {
  let start = at;
  while (isSpace(text[start])) start++;
  let end = start;
  while (end < text.length && !isSpace(text[end])) end++;
  let rest = end;
  while (isSpace(text[rest])) rest++;
  return { word: text.slice(start, end), rest };
}

interface ResultLine {
  status: (typeof STATUSES)[number];
  id: string;
  title: string;
  mode: (typeof MODES)[number];
}

/** `[STATUS] <id> <title> (<mode>)`, or null. */
function resultLine(line: string): ResultLine | null {
  const status = STATUSES.find((s) => line.startsWith(`[${s}]`));
  if (!status || !isSpace(line[status.length + 2])) return null;
  const { word: id, rest } = word(line, status.length + 2);
  const body = line.slice(rest).trimEnd();
  const mode = MODES.find((m) => body.endsWith(`(${m})`));
  if (!id || !mode) return null;
  const titleEnd = body.length - mode.length - 2;
  // The title is separated from the mode by at least one space, as bloodhound prints it (an empty title is none).
  if (titleEnd > 0 && !isSpace(body[titleEnd - 1])) return null;
  return { status, id, title: body.slice(0, titleEnd).trimEnd(), mode };
}

/** `Label:  value` for one of the header labels, or null. */
function headerLine(line: string): [string, string] | null {
  for (const label of HEADERS) if (line.startsWith(`${label}:`)) return [label, line.slice(label.length + 1).trim()];
  return null;
}

/** `*  <id> <reason>` in the Exceptions section, or null. */
function exceptionLine(line: string): [string, string] | null {
  if (!line.startsWith('*') || !isSpace(line[1])) return null;
  const { word: id, rest } = word(line, 1);
  return id ? [id, line.slice(rest).trim()] : null;
}

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
    const result = resultLine(line);
    if (result) {
      const { status, id, title, mode } = result;
      results[id] = {
        id,
        title,
        mode: mode === 'Exception' ? 'Automatic' : mode,
        status: mode === 'Exception' ? { OVERRIDE: status } : status,
        error: '',
      };
      continue;
    }
    const field = headerLine(line);
    if (field && Object.keys(results).length === 0) {
      header[field[0]] = field[1];
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
    const exception = exceptions ? exceptionLine(line) : null;
    if (exception && Object.hasOwn(results, exception[0])) results[exception[0]]!.override_reason = exception[1];
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
    const result = resultLine(line.replace(/\r$/, ''));
    if (result) lines[`results\u0000${result.id}`] ??= index + 1;
  });
  return lines;
}
