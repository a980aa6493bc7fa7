// Bootstrap commands (`settings.bootstrap-commands.<name>`): API commands Bottlerocket runs at boot, in the
// lexicographical order of their names, before bootstrap containers. One that runs `apiclient set` changes settings
// after user data is applied, so the node runs with settings its user data does not show; the configured state is
// the user data with those changes laid over it.
import { isObject } from '../values.js';

export interface BootstrapCommand {
  name: string;
  /** Each API command as its argument list: ["apiclient", "set", "kernel.lockdown=none"]. */
  commands: string[][];
}

/** The bootstrap commands that run at boot (mode `always` or `once`; a command without a mode is taken to run), by name. */
export function bootstrapCommands(settings: Record<string, unknown> | null | undefined): BootstrapCommand[] {
  const table = settings?.['bootstrap-commands'];
  if (!isObject(table)) return [];
  return Object.keys(table)
    .sort()
    .flatMap((name) => {
      const entry = table[name];
      if (!isObject(entry) || entry.mode === 'off') return [];
      const commands = Array.isArray(entry.commands)
        ? entry.commands.filter((c): c is unknown[] => Array.isArray(c)).map((c) => c.map((part) => String(part)))
        : [];
      return [{ name, commands }];
    });
}

/** A command's words, as the report shows them. */
export const commandText = (name: string, argv: readonly string[]): string => `${name}: ${argv.join(' ')}`;

/** Whether an API command changes settings: `apiclient set` or `apply`, or a `raw` request that writes. */
export function changesSettings(argv: readonly string[]): boolean {
  if (argv[0] !== 'apiclient') return false;
  if (argv[1] === 'set' || argv[1] === 'apply') return true;
  if (argv[1] !== 'raw') return false;
  const method = argv.findIndex((a) => a === '-m' || a === '--method');
  return method >= 0 && /^(PATCH|PUT|POST)$/i.test(argv[method + 1] ?? '');
}

/**
 * The settings an `apiclient set` sets: `key=value` pairs (with or without the `settings.` prefix) or `--json`/`-j`
 * with a settings object. The API takes `true` and `false` as booleans; other values stay text, as the API's
 * string-typed settings (sysctl values among them) hold them. Null for a form that cannot be read here.
 */
export function settingsOfSet(argv: readonly string[]): Record<string, unknown> | null {
  if (argv[0] !== 'apiclient' || argv[1] !== 'set') return null;
  const out: Record<string, unknown> = {};
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json' || arg === '-j') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(argv[i + 1] ?? '');
      } catch {
        return null;
      }
      if (!isObject(parsed)) return null;
      mergeInto(out, isObject(parsed.settings) ? parsed.settings : parsed);
      i++;
      continue;
    }
    const eq = arg.indexOf('=');
    if (eq <= 0) return null;
    const path = arg
      .slice(0, eq)
      .replace(/^settings\./, '')
      .split('.');
    const text = arg.slice(eq + 1);
    setPath(out, path, text === 'true' ? true : text === 'false' ? false : text);
  }
  return out;
}

function setPath(root: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = root;
  for (const part of path.slice(0, -1)) {
    if (!isObject(node[part])) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

/** A plain table (not a value of a class, such as a value known only at deploy time). */
const isTable = (value: unknown): value is Record<string, unknown> => isObject(value) && Object.getPrototypeOf(value) === Object.prototype;

/** A copy of the tables and lists; other values (unknown ones among them) are shared. */
function copyTree<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyTree) as T;
  if (!isTable(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copyTree(v)])) as T;
}

function mergeInto(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(source)) {
    if (isTable(value) && isTable(target[key])) mergeInto(target[key], value);
    else target[key] = copyTree(value);
  }
}

/**
 * User data with its bootstrap commands' `apiclient set` laid over it, in the order they run, and the paths they set
 * (for reports to name); the user data itself is not changed.
 */
export function withBootstrapSets(settings: Record<string, unknown>): { settings: Record<string, unknown>; set: string[][] } {
  const sets = bootstrapCommands(settings).flatMap((b) =>
    b.commands.map(settingsOfSet).filter((s): s is Record<string, unknown> => s !== null),
  );
  if (sets.length === 0) return { settings, set: [] };
  const out = copyTree(settings);
  const paths: string[][] = [];
  for (const s of sets) {
    mergeInto(out, s);
    collectPaths(s, [], paths);
  }
  return { settings: out, set: paths };
}

function collectPaths(node: Record<string, unknown>, prefix: string[], out: string[][]): void {
  for (const [key, value] of Object.entries(node)) {
    if (isTable(value)) collectPaths(value, [...prefix, key], out);
    else out.push([...prefix, key]);
  }
}
