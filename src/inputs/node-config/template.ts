// User data TOML written as a template: Terraform's `${var}` and `%{ if }` (templatefile, heredocs), CloudFormation's
// `!Sub` `${Param}`. Interpolations become unknown values and settings inside a directive are set only on some
// condition, so they are unknown too; never a parse error. Line numbers are kept, so findings point into the file.
import { InputError } from '../../errors.js';
import { describeTomlError } from '../../parse-errors.js';
import { UnknownValue } from '../../settings/unknown.js';
import { isObject } from '../../values.js';

export type TemplateSyntax = 'terraform' | 'cloudformation' | 'none';

export interface TemplateOptions {
  syntax: TemplateSyntax;
  /** Values the template's variables are known to have (a templatefile() map of literals), by name. */
  known?: Record<string, string | number | boolean>;
  /** Names the template's source in errors. */
  source: string;
  parseToml: (text: string) => Record<string, unknown>;
}

// Private-use characters mark where an expression stood: valid in TOML strings, never in real user data.
const OPEN = '\uE000';
const CLOSE = '\uE001';
const MARK = /\uE000(\d+)\uE001/g;

type StringState = 'none' | 'basic' | 'literal' | 'ml-basic' | 'ml-literal';

/** The TOML string state after a piece of a line, so an interpolation can be told inside a string or outside. */
function advance(state: StringState, text: string, lineEnds = true): StringState {
  let current = state;
  let i = 0;
  // Each step consumes one token: a quote that opens or closes a string, an escape, or one character.
  const step = (next: StringState, length: number) => {
    current = next;
    i += length;
  };
  while (i < text.length) {
    const c = text[i];
    if (current === 'none') {
      if (c === '#') break;
      if (text.startsWith('"""', i)) step('ml-basic', 3);
      else if (text.startsWith("'''", i)) step('ml-literal', 3);
      else if (c === '"') step('basic', 1);
      else if (c === "'") step('literal', 1);
      else step(current, 1);
    } else if (current === 'basic' || current === 'ml-basic') {
      if (c === '\\') step(current, 2);
      else if (current === 'ml-basic' && text.startsWith('"""', i)) step('none', 3);
      else if (current === 'basic' && c === '"') step('none', 1);
      else step(current, 1);
    } else if (current === 'ml-literal' && text.startsWith("'''", i)) step('none', 3);
    else if (current === 'literal' && c === "'") step('none', 1);
    else step(current, 1);
  }
  // A single-line string does not continue on the next line.
  return lineEnds && (current === 'basic' || current === 'literal') ? 'none' : current;
}

/** The end of an expression opened at `from` (just after `${` or `%{`): the matching `}`, or -1. */
function closingBrace(line: string, from: number): number {
  let depth = 1;
  let quote = false;
  for (let i = from; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === '"') quote = false;
    } else if (c === '"') quote = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

const DIRECTIVE = /^[ \t]*%\{~?[ \t]*(if|for|else|endif|endfor)\b([^}]*)\}[ \t]*$/;

/**
 * A line's table header name (`[settings.kernel]` → settings.kernel), or null. Read by hand, not by a pattern that
 * backtracks: template lines come from files anyone may write.
 */
function headerOf(line: string): string | null {
  const text = line.trim();
  if (!text.startsWith('[')) return null;
  const close = text.indexOf(']');
  if (close < 0) return null;
  return text.slice(text.startsWith('[[') ? 2 : 1, close).trim();
}

/** A `key = value` line as its indent, key and value, or null (split at the first `=`, as a bare key has none). */
function keyValueOf(line: string): { indent: string; key: string; value: string } | null {
  const eq = line.indexOf('=');
  if (eq <= 0) return null;
  const key = line.slice(0, eq).trim();
  if (key === '' || key.startsWith('#') || !/^[\w.\-"' ]+$/.test(key)) return null;
  return { indent: line.slice(0, line.length - line.trimStart().length), key, value: line.slice(eq + 1).trim() };
}

interface Prepared {
  text: string;
  expressions: string[];
}

/**
 * Rewrites a template into plain TOML: each interpolation becomes a marked string, each directive line a blank line,
 * and each value set inside a directive a marked string naming its condition.
 */
function prepare(template: string, options: TemplateOptions): Prepared {
  const expressions: string[] = [];
  const mark = (expression: string) => `${OPEN}${expressions.push(expression) - 1}${CLOSE}`;
  const conditions: string[] = [];
  const seenInBlock: Set<string>[] = [];
  let state: StringState = 'none';
  let table = '';
  const out: string[] = [];
  for (const raw of template.split('\n')) {
    let line = raw;
    if (options.syntax === 'terraform' && state === 'none') {
      const directive = DIRECTIVE.exec(line);
      if (directive) {
        const [, word, rest] = directive;
        if (word === 'if' || word === 'for') {
          conditions.push(`%{ ${word}${rest?.trimEnd() ?? ''} }`);
          seenInBlock.push(new Set());
        } else if (word === 'endif' || word === 'endfor') {
          conditions.pop();
          seenInBlock.pop();
        }
        out.push('');
        continue;
      }
    }
    line = substitute(line, state, options, mark);
    if (state === 'none') {
      const header = headerOf(line);
      if (header !== null) {
        table = header;
        const seen = seenInBlock.at(-1);
        // The same table in an if and an else branch: TOML allows it once, and its keys are unknown either way.
        if (seen && conditions.length > 0) {
          if (seen.has(`[${table}]`)) {
            out.push('');
            continue;
          }
          seen.add(`[${table}]`);
        }
      } else if (conditions.length > 0) {
        const kv = keyValueOf(line);
        if (kv) {
          const key = `${table}\u0000${kv.key}`;
          const seen = seenInBlock.at(-1)!;
          if (seen.has(key)) {
            out.push('');
            continue;
          }
          seen.add(key);
          const value = kv.value.replace(MARK, (_m, n: string) => expressions[Number(n)] ?? '');
          // A value that opens a multi-line string or array is kept whole; only single-line values are replaced.
          if (advance('none', kv.value) === 'none' && bracketsBalance(kv.value)) {
            const condition = conditions.join(' and ');
            line = `${kv.indent}${kv.key} = "${mark(`${value}, set only ${condition}`)}"`;
          }
        }
      }
    }
    state = advance(state, line);
    out.push(line);
  }
  return { text: out.join('\n'), expressions };
}

function bracketsBalance(text: string): boolean {
  let depth = 0;
  for (const c of text.replace(/"(?:[^"\\]|\\.)*"|'[^']*'/g, '')) {
    if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
  }
  return depth === 0;
}

/** Replaces the interpolations of one line with marks, quoted where they stand outside a string. */
function substitute(line: string, startState: StringState, options: TemplateOptions, mark: (e: string) => string): string {
  if (options.syntax === 'none' || !line.includes('${')) return line;
  let out = '';
  let state = startState;
  let at = 0;
  for (;;) {
    const open = line.indexOf('${', at);
    if (open < 0) break;
    // `$${` (Terraform) and `${!` (CloudFormation) write a literal `${`.
    if (options.syntax === 'terraform' && line[open - 1] === '$') {
      out += line.slice(at, open - 1) + '${';
      at = open + 2;
      continue;
    }
    if (options.syntax === 'cloudformation' && line[open + 2] === '!') {
      out += line.slice(at, open) + '${';
      at = open + 3;
      continue;
    }
    const close = closingBrace(line, open + 2);
    if (close < 0) break;
    const before = line.slice(at, open);
    state = advance(state, before, false);
    const expression = line.slice(open + 2, close).trim();
    const known = options.known?.[expression.replace(/^~|~$/g, '').trim()];
    const inside = state !== 'none';
    if (known !== undefined) out += before + (inside || typeof known !== 'string' ? String(known) : JSON.stringify(known));
    else out += before + (inside ? mark('${' + expression + '}') : `"${mark('${' + expression + '}')}"`);
    at = close + 1;
  }
  return out + line.slice(at);
}

/** Marked strings back to values: a string that is one mark is that expression; one with marks in it is unknown too. */
function restore(value: unknown, expressions: readonly string[], depth = 0): unknown {
  if (typeof value === 'string') {
    if (!value.includes(OPEN)) return value;
    const whole = /^\uE000(\d+)\uE001$/.exec(value);
    if (whole) return new UnknownValue(expressions[Number(whole[1])] ?? '');
    return new UnknownValue(`"${value.replace(MARK, (_m, n: string) => expressions[Number(n)] ?? '')}"`);
  }
  if (depth > 64 || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => restore(v, expressions, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const key = k.includes(OPEN) ? k.replace(MARK, (_m, n: string) => expressions[Number(n)] ?? '') : k;
    Object.defineProperty(out, key, { value: restore(v, expressions, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

export interface TemplatedSettings {
  /** The settings table (without the `settings` wrapper), with unknown values where the template leaves them open. */
  settings: Record<string, unknown>;
  /** The TOML as parsed (marks in place of expressions), for finding lines: same lines as the template. */
  plainText: string;
  /** Whether any value is unknown. */
  unknowns: number;
}

/** Parses user data TOML that may be a template. Throws InputError when it is not TOML even so. */
export function parseTemplatedToml(template: string, options: TemplateOptions): TemplatedSettings {
  const { text, expressions } = prepare(template, options);
  let doc: Record<string, unknown>;
  try {
    doc = options.parseToml(text);
  } catch (err) {
    throw new InputError(
      options.source,
      `user data that is not valid TOML even with its template expressions set aside: ${describeTomlError(err)}`,
    );
  }
  const restored = restore(doc, expressions) as Record<string, unknown>;
  const settings = restored.settings;
  if (settings instanceof UnknownValue) throw new InputError(options.source, 'user data whose [settings] is a single template expression');
  if (settings !== undefined && !isObject(settings)) throw new InputError(options.source, 'user data whose settings is not a table');
  return { settings: settings ?? {}, plainText: text, unknowns: expressions.length };
}
