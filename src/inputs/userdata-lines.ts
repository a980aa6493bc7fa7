// Finds the line of each table and key in user data TOML, so reports can point at the setting that decides
// a result. The TOML parser gives values, not positions; this reads just table headers and key names.

function splitKey(raw: string): string[] {
  const parts: string[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*(?:\.|$)/y;
  let match: RegExpExecArray | null;
  re.lastIndex = 0;
  while (re.lastIndex < raw.length && (match = re.exec(raw)) !== null) {
    parts.push(match[1] !== undefined ? JSON.parse(`"${match[1]}"`) : (match[2] ?? match[3] ?? ''));
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
