// Parsers for kernel-level captures: sysctl, /proc/cmdline, lockdown, modules, modprobe.
import { ParseError, lines } from './parse-error.js';
import { memoSlot, type ScanMemo } from '../memo.js';

/*
 * Keys looked up in earlier dumps of the scan. Checks read the same few dozen keys on every host, and one pass of
 * one expression over a new dump finds them all, where a search per key would cross most of a sorted dump each
 * time (about 2% of a fleet scan).
 */
interface SweepMemo {
  keys: Set<string>;
  /** The expression that finds every key, made again when a key is added. */
  pattern: RegExp | null;
}
const SWEEP = memoSlot<SweepMemo>('sysctl keys looked up in earlier dumps, and one expression that finds them all', () => ({
  keys: new Set(),
  pattern: null,
}));
const MAX_SWEPT_KEYS = 256;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `sysctl -a`: `key = value` lines. A full dump has about a thousand keys and checks read a few dozen, so keys
 * are looked up in the text when first asked for rather than all split up front. A key's value is that of the
 * first line that begins with `key =`.
 */
export class SysctlValues {
  private readonly cache = new Map<string, string | undefined>();
  private swept = false;
  private readonly sweep: SweepMemo;

  constructor(
    private readonly text: string,
    memo: ScanMemo,
  ) {
    this.sweep = memo.get(SWEEP);
    const firstLine = text.slice(0, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n'));
    if (!/^\S+ = ?/.test(firstLine) && !/^\S+ =$/.test(firstLine)) throw new ParseError(`not "key = value": "${firstLine.slice(0, 60)}"`);
  }

  get(key: string): string | undefined {
    const known = this.cache.get(key);
    if (known !== undefined || this.cache.has(key)) return known;
    if (!this.swept && this.sweep.keys.has(key)) {
      this.sweepAll();
      return this.cache.get(key);
    }
    const needle = `${key} =`;
    let at = this.text.startsWith(needle) ? 0 : -1;
    if (at === -1) {
      const found = this.text.indexOf(`\n${needle}`);
      at = found === -1 ? -1 : found + 1;
    }
    const value = at === -1 ? undefined : this.valueAt(at + needle.length);
    this.cache.set(key, value);
    if (!this.sweep.keys.has(key) && this.sweep.keys.size < MAX_SWEPT_KEYS) {
      this.sweep.keys.add(key);
      this.sweep.pattern = null;
    }
    return value;
  }

  /** The rest of the line from `from`, trimmed. */
  private valueAt(from: number): string {
    let end = this.text.indexOf('\n', from);
    if (end === -1) end = this.text.length;
    return this.text.slice(from, end).trim();
  }

  /** Looks up every key of earlier dumps in one pass: the first line of each, as a search per key would find. */
  private sweepAll(): void {
    this.swept = true;
    const sweptKeys = this.sweep.keys;
    const pattern = (this.sweep.pattern ??= new RegExp(`^(${[...sweptKeys].map(escapeRegExp).join('|')}) =`, 'gm'));
    const text = this.text;
    let remaining = 0;
    for (const key of sweptKeys) if (!this.cache.has(key)) remaining++;
    pattern.lastIndex = 0;
    // The pass stops once every key is found: the rest of the dump cannot change a first line.
    for (let match = remaining > 0 ? pattern.exec(text) : null; match !== null; match = remaining > 0 ? pattern.exec(text) : null) {
      // `^` also matches after a carriage return or a Unicode line break; only a newline starts a line here.
      if (match.index > 0 && text.charCodeAt(match.index - 1) !== 10) {
        pattern.lastIndex = match.index + 1;
        continue;
      }
      const key = match[1] as string;
      if (!this.cache.has(key)) {
        this.cache.set(key, this.valueAt(match.index + match[0].length));
        remaining--;
      }
    }
    for (const key of sweptKeys) if (!this.cache.has(key)) this.cache.set(key, undefined);
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Every key and value; for reports and tests, not for checks. */
  entries(): Map<string, string> {
    const map = new Map<string, string>();
    for (const line of lines(this.text)) {
      const sep = line.indexOf(' =');
      if (sep > 0) map.set(line.slice(0, sep).trim(), line.slice(sep + 2).trim());
    }
    return map;
  }
}

export function parseSysctl(text: string, memo: ScanMemo): SysctlValues {
  return new SysctlValues(text, memo);
}

export interface VerityTable {
  /** Device name (Bottlerocket: `root`). */
  name: string;
  readOnly: boolean;
  target: string;
  dataDevice: string;
  hashDevice: string;
  hashAlgorithm: string;
  rootHash: string;
  options: string[];
}

export interface KernelCmdline {
  /** Every token before `--`, quotes removed. */
  tokens: string[];
  /** Kernel parameters by name; a parameter may repeat, bare flags have the value "". */
  params: Map<string, string[]>;
  /** Parameters after `--`, passed to init. */
  initTokens: string[];
  /** The `dm-mod.create` table when it describes a dm-verity target. */
  verity: VerityTable | null;
}

/** Tokenises a kernel command line as the kernel does: spaces separate, double quotes group. */
export function tokenizeCmdline(text: string): string[] {
  const tokens: string[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n')) i++;
    if (i >= n) break;
    let token = '';
    let start = i;
    let inQuotes = false;
    for (; i < n; i++) {
      const ch = text[i];
      if (ch === '"') {
        token += text.slice(start, i);
        start = i + 1;
        inQuotes = !inQuotes;
      } else if (!inQuotes && (ch === ' ' || ch === '\t' || ch === '\n')) {
        break;
      }
    }
    if (inQuotes) throw new ParseError('unbalanced double quote');
    tokens.push(token + text.slice(start, i));
  }
  return tokens;
}

/** `dm-mod.create=<name>,<uuid>,<minor>,<flags>,<table>`; table = `<start> <size> verity <args…>`. */
export function parseVerityTable(value: string): VerityTable | null {
  const parts = value.split(',');
  if (parts.length < 5) return null;
  const [name = '', , , flags = ''] = parts;
  const table = parts.slice(4).join(',').trim().split(/\s+/);
  const target = table[2] ?? '';
  if (target !== 'verity') return null;
  // verity args: version data_dev hash_dev data_bs hash_bs num_blocks hash_start alg digest salt [n opt…]
  const args = table.slice(3);
  if (args.length < 10) return null;
  const optCount = Number(args[10] ?? '0');
  const options = Number.isInteger(optCount) ? args.slice(11, 11 + optCount) : [];
  return {
    name,
    readOnly: flags.split(/\s+/).includes('ro'),
    target,
    dataDevice: args[1] ?? '',
    hashDevice: args[2] ?? '',
    hashAlgorithm: args[7] ?? '',
    rootHash: args[8] ?? '',
    options,
  };
}

export function parseCmdline(text: string): KernelCmdline {
  const all = tokenizeCmdline(text);
  if (all.length === 0) throw new ParseError('no parameters');
  const dashes = all.indexOf('--');
  const tokens = dashes === -1 ? all : all.slice(0, dashes);
  const initTokens = dashes === -1 ? [] : all.slice(dashes + 1);
  const params = new Map<string, string[]>();
  let verity: VerityTable | null = null;
  for (const token of tokens) {
    const eq = token.indexOf('=');
    const name = eq === -1 ? token : token.slice(0, eq);
    const value = eq === -1 ? '' : token.slice(eq + 1);
    const list = params.get(name);
    if (list) list.push(value);
    else params.set(name, [value]);
    if (name === 'dm-mod.create') verity = parseVerityTable(value) ?? verity;
  }
  return { tokens, params, initTokens, verity };
}

export type LockdownMode = 'none' | 'integrity' | 'confidentiality';
export const LOCKDOWN_ORDER: readonly LockdownMode[] = ['none', 'integrity', 'confidentiality'];

export interface Lockdown {
  active: LockdownMode;
  available: string[];
}

/** `/sys/kernel/security/lockdown`: `none [integrity] confidentiality`, brackets mark the active mode. */
export function parseLockdown(text: string): Lockdown {
  const words = text.trim().split(/\s+/);
  const activeWord = words.find((w) => w.startsWith('[') && w.endsWith(']'));
  if (!activeWord) throw new ParseError('no [bracketed] active mode');
  const active = activeWord.slice(1, -1);
  if (!(LOCKDOWN_ORDER as readonly string[]).includes(active)) {
    throw new ParseError(`unknown lockdown mode "${active}"`);
  }
  return { active: active as LockdownMode, available: words.map((w) => w.replace(/[[\]]/g, '')) };
}

/** `/proc/modules`: the first word of each line is a loaded module. */
export function parseModules(text: string): Set<string> {
  const loaded = new Set<string>();
  for (const line of lines(text)) {
    const name = line.split(' ', 1)[0]?.trim();
    if (!name) continue;
    if (!/^[\w-]+$/.test(name)) throw new ParseError(`unexpected line "${line.slice(0, 60)}"`);
    loaded.add(name);
  }
  return loaded;
}

export type ModprobeDisposition = 'disabled' | 'loadable' | 'nothing-to-load';

export interface ModprobeDryRun {
  disposition: ModprobeDisposition;
  /** The `install …` or `insmod …` lines modprobe printed. */
  actions: string[];
}

/** `modprobe -n -v <mod>`: `install /bin/true` (or /bin/false) means loading is disallowed. */
export function parseModprobe(text: string): ModprobeDryRun {
  const actions = lines(text)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  for (const action of actions) {
    if (!/^(install|insmod|rmmod)\s/.test(action)) throw new ParseError(`unexpected line "${action.slice(0, 60)}"`);
  }
  const disabled = actions.some((a) => /^install\s+(\/usr)?\/bin\/(true|false)\b/.test(a));
  const disposition: ModprobeDisposition = disabled ? 'disabled' : actions.length > 0 ? 'loadable' : 'nothing-to-load';
  return { disposition, actions };
}
