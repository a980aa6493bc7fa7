// The configuration file: .brsec.yaml (or .brsec.yml, brsec.config.json), found from the working directory up.
// Its keys are `brsec scan`'s long options (schemas/config.schema.json); paths in it are made absolute here,
// relative to the file. The CLI lays the command line over it.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import { InputError } from './errors.js';
import { describeJsonError } from './parse-errors.js';
import { validateConfig } from './generated/validators.js';

export const CONFIG_NAMES = ['.brsec.yaml', '.brsec.yml', 'brsec.config.json'];

export interface ConfigFile {
  file: string;
  values: Record<string, unknown>;
}

/**
 * The nearest configuration file from `start` up to the repository's root (the folder holding `.git`), or null: a
 * file above the repository (in a home folder, or a CI runner's work folder) is someone else's.
 */
export function findConfig(start: string): string | null {
  let dir = resolve(start);
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    if (existsSync(join(dir, '.git'))) return null;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

const PATH_KEYS = ['waivers', 'baseline'];

export function readConfig(file: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(
      file,
      `cannot read: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`,
    );
  }
  let doc: unknown;
  try {
    doc = file.endsWith('.json') ? JSON.parse(text) : (loadYaml(text, { schema: CORE_SCHEMA }) ?? {});
  } catch (err) {
    const message = file.endsWith('.json') ? describeJsonError(err) : (String((err as Error).message).split('\n', 1)[0] ?? 'syntax error');
    throw new InputError(file, `${file.endsWith('.json') ? 'malformed JSON' : 'not YAML'}: ${message}`);
  }
  if (!validateConfig(doc)) {
    const error = validateConfig.errors?.[0];
    const key = error?.instancePath ? error.instancePath.slice(1).split('/')[0] : '';
    if (error?.keyword === 'additionalProperties') throw new InputError(file, `unknown key "${String(error.params.additionalProperty)}"`);
    const message =
      error?.keyword === 'enum' ? `must be one of ${(error.params.allowedValues as unknown[]).join(', ')}` : (error?.message ?? 'invalid');
    throw new InputError(file, key ? `"${key}": ${message}` : message);
  }
  const values = { ...(doc as Record<string, unknown>) };
  delete values.$schema;
  const base = dirname(file);
  for (const key of PATH_KEYS) if (typeof values[key] === 'string') values[key] = resolve(base, values[key] as string);
  if (values.output !== undefined) {
    const outputs = Array.isArray(values.output) ? (values.output as string[]) : [values.output as string];
    // `-` (standard output) is no path.
    const place = (target: string) => (target === '-' ? target : resolve(base, target));
    values.output = outputs.map((o) => {
      const m = /^([a-z]+)=(.+)$/.exec(o);
      return m ? `${m[1]}=${place(m[2] as string)}` : place(o);
    });
  }
  return { file, values };
}
