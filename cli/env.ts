// BRSEC_<OPTION> environment variables as options: BRSEC_FAIL_ON=high is `--fail-on high`, BRSEC_PROFILE=a,b is
// `--profile a --profile b`, BRSEC_STRICT=true is `--strict`. The command line wins over the environment, and the
// environment over the configuration file (which only fills what neither gave).
import yargs, { type Argv } from 'yargs';
import { UsageError } from '../src/index.js';

/** brsec's own switches for debugging, builds and bundles: not options. */
const NOT_OPTIONS = new Set(['BRSEC_DEBUG', 'BRSEC_WRITE_CODE_CACHE', 'BRSEC_TEST_NO_CHROOT', 'BRSEC_DATA_DIR']);

type Builder = (y: Argv) => Argv<unknown>;

interface DeclaredOptions {
  keys: string[];
  aliases: Record<string, string[]>;
  booleans: Set<string>;
  arrays: Set<string>;
}

function declaredOptions(builder: Builder): DeclaredOptions {
  // getOptions is yargs' own (its types leave it out): the keys, aliases and types the builder declared.
  const options = (
    builder(yargs([])) as unknown as {
      getOptions(): { key: Record<string, unknown>; alias: Record<string, string[]>; boolean: string[]; array: string[] };
    }
  ).getOptions();
  const keys = Object.keys(options.key).filter((k) => !['help', 'version'].includes(k) && !k.includes('_'));
  return { keys, aliases: options.alias, booleans: new Set(options.boolean), arrays: new Set(options.array) };
}

export const envName = (key: string): string => `BRSEC_${key.toUpperCase().replace(/-/g, '_')}`;

/** A long option (`fail-on`) as yargs names its argument (`failOn`). */
export const argName = (key: string): string => key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Whether the command line gives the option, under any of its names. */
function given(argv: readonly string[], key: string, aliases: readonly string[]): boolean {
  const end = argv.indexOf('--');
  const tokens = end === -1 ? argv : argv.slice(0, end);
  const long = [key, argName(key), ...aliases.filter((a) => a.length > 1)];
  const short = aliases.filter((a) => a.length === 1);
  return tokens.some(
    (t) =>
      long.some((n) => t === `--${n}` || t.startsWith(`--${n}=`) || t === `--no-${n}`) ||
      short.some((s) => t === `-${s}` || t.startsWith(`-${s}=`)),
  );
}

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off', '']);

/**
 * The arguments the environment adds to a command line: for each option of the command (as its builder declares
 * it) that the command line does not give and BRSEC_<OPTION> sets. `builders` are every command's, to tell a
 * variable meant for another command from a mistyped one, which is reported through `warn`.
 */
export function environmentArguments({
  argv,
  env,
  command,
  builders,
  warn,
}: {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  command: string | undefined;
  builders: Readonly<Record<string, Builder>>;
  warn: (line: string) => void;
}): string[] {
  const set = Object.keys(env).filter((name) => name.startsWith('BRSEC_') && !NOT_OPTIONS.has(name) && env[name] !== undefined);
  if (set.length === 0) return [];
  const declared = Object.fromEntries(Object.entries(builders).map(([name, builder]) => [name, declaredOptions(builder)]));
  const anyCommand = new Set(Object.values(declared).flatMap((d) => d.keys.map(envName)));
  for (const name of set) if (!anyCommand.has(name)) warn(`brsec: ${name} is not an option of any command; ignored`);
  const options = command ? declared[command] : undefined;
  if (!options) return [];
  const added: string[] = [];
  for (const key of options.keys) {
    const name = envName(key);
    const value = env[name];
    if (value === undefined || given(argv, key, options.aliases[key] ?? [])) continue;
    if (options.booleans.has(key)) {
      const word = value.trim().toLowerCase();
      if (TRUE.has(word)) added.push(`--${key}`);
      else if (FALSE.has(word)) added.push(`--no-${key}`);
      else throw new UsageError(`${name}=${value}: expected true or false`);
    } else if (options.arrays.has(key)) {
      for (const item of value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean))
        added.push(`--${key}=${item}`);
    } else added.push(`--${key}=${value}`);
  }
  return added;
}
