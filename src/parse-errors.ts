// Parser messages without the input they quote: V8's JSON errors and TOML errors can carry a piece of the text,
// which may be a secret (a registry password, a bootstrap token). Only the kind of error and where it is remain.

/** `Unexpected token 'h', ..."assword": hunter2}" is not valid JSON` → `Unexpected token 'h' (not valid JSON)`. */
export function describeJsonError(err: unknown): string {
  const message = String((err as Error)?.message ?? err).split('\n', 1)[0] ?? 'not valid JSON';
  return message.replace(/,\s*(?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/, ' (not valid JSON)');
}

/** smol-toml's first line, plus the line number its excerpt points at, never the excerpt itself. */
export function describeTomlError(err: unknown): string {
  const lines = String((err as Error)?.message ?? err).split('\n');
  const first = (lines[0] ?? 'syntax error').replace(/^Invalid TOML document:\s*/, '');
  const caret = lines.findIndex((l) => /^\s*\^\s*$/.test(l));
  const numbered = caret > 0 ? /^(\d+):/.exec(lines[caret - 1] ?? '') : null;
  return numbered ? `${first} (line ${numbered[1]})` : first;
}
