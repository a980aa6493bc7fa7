// Finds the line of each table and key in user data TOML, so reports can point at the setting that decides a
// result. smol-toml gives values, not positions; toml-eslint-parser's syntax tree has both, so a line is never
// taken from inside a multi-line string. Loaded on first use: only scans that locate findings (SARIF) need it.
import type { AST } from 'toml-eslint-parser';
import { requireOnFirstUse } from '../on-first-use.js';

type Parser = typeof import('toml-eslint-parser');
let parser: Parser | undefined;

const keyOf = (key: AST.TOMLKey): string[] => key.keys.map((k) => (k.type === 'TOMLBare' ? k.name : k.value));

/**
 * Maps setting paths (joined with NUL, without the leading "settings") to 1-based lines: each table header, each
 * key, and each key inside an inline table. Array tables (`[[settings.container-registry.mirrors]]`) count as their
 * path, without an index, as reports name them. A text that is not valid TOML has no lines.
 */
export function userDataLines(text: string): Record<string, number> {
  parser ??= requireOnFirstUse<Parser>('toml-eslint-parser');
  const lines: Record<string, number> = {};
  const record = (path: readonly string[], line: number) => {
    if (path[0] !== 'settings') return;
    for (let i = 2; i <= path.length; i++) {
      const key = path.slice(1, i).join('\u0000');
      if (!(key in lines)) lines[key] = line;
    }
  };
  const keyValues = (table: readonly string[], body: readonly AST.TOMLKeyValue[]) => {
    for (const kv of body) {
      const path = [...table, ...keyOf(kv.key)];
      record(path, kv.loc.start.line);
      if (kv.value.type === 'TOMLInlineTable') keyValues(path, kv.value.body);
    }
  };
  let ast: AST.TOMLProgram;
  try {
    ast = parser.parseTOML(text);
  } catch {
    return lines;
  }
  for (const node of ast.body[0]?.body ?? []) {
    if (node.type === 'TOMLTable') {
      const table = keyOf(node.key);
      record(table, node.loc.start.line);
      keyValues(table, node.body);
    } else {
      keyValues([], [node]);
    }
  }
  return lines;
}
