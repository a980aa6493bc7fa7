// Finds the line of each table and key in user data TOML, so reports can point at the setting that decides
// a result. The TOML parser gives values, not positions; this reads just table headers and key names.

const ESCAPES: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', e: '\x1b', '"': '"', '\\': '\\' };

/** A TOML basic string's body unescaped. Never throws: TOML allows what JSON does not (a raw tab), and a line read
 * out of context (inside a multi-line string) may hold anything. */
function unescapeBasic(body: string): string {
  return body.replace(/\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|([\s\S]))/g, (whole, u4?: string, u8?: string, ch?: string) => {
    const hex = u4 ?? u8;
    if (hex !== undefined) {
      const code = parseInt(hex, 16);
      return code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : whole;
    }
    return ESCAPES[ch as string] ?? whole;
  });
}

function splitKey(raw: string): string[] {
  const parts: string[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*(?:\.|$)/y;
  let match: RegExpExecArray | null;
  re.lastIndex = 0;
  while (re.lastIndex < raw.length && (match = re.exec(raw)) !== null) {
    parts.push(match[1] !== undefined ? unescapeBasic(match[1]) : (match[2] ?? match[3] ?? ''));
    if (match[0].length === 0) break;
  }
  return parts;
}

/** Maps setting paths (joined with NUL, without the leading "settings") to 1-based lines. */
export function userDataLines(text: string): Record<string, number> {
  const lines: Record<string, number> = {};
  let table: string[] = [];
  const record = (path: string[], line: number) => {
    if (path[0] !== 'settings') return;
    const key = path.slice(1).join('\u0000');
    if (!(key in lines)) lines[key] = line;
  };
  text.split('\n').forEach((rawLine, index) => {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) return;
    const header = /^\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$/.exec(line);
    if (header) {
      table = splitKey(header[1] as string);
      for (let i = 1; i <= table.length; i++) record(table.slice(0, i), index + 1);
      return;
    }
    const assignment = /^((?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_.\s-])+?)\s*=/.exec(line);
    if (assignment) {
      const key = [...table, ...splitKey(assignment[1] as string)];
      for (let i = 1; i <= key.length; i++) record(key.slice(0, i), index + 1);
    }
  });
  return lines;
}
