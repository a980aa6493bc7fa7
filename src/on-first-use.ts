// Packages brsec requires only when an input needs them (TOML, YAML with positions): most scans read JSON alone, and a
// start should not pay for parsers it never uses. A bundler cannot follow a require made at run time, so
// `brsec/bundle` imports them ahead and hands them over here.
import { createRequire } from 'node:module';

let provided: ReadonlyMap<string, unknown> = new Map();

/** Called by `brsec/bundle` with the packages it imported. */
export function provideModules(modules: Readonly<Record<string, unknown>>): void {
  provided = new Map([...provided, ...Object.entries(modules)]);
}

/** The package, as handed over by a bundle or required from node_modules. */
export function requireOnFirstUse<T>(name: string): T {
  if (provided.has(name)) return provided.get(name) as T;
  try {
    return createRequire(import.meta.url)(name) as T;
  } catch (err) {
    const why = (err as Error).message.split('\n')[0];
    throw new Error(`brsec: cannot load ${name} (${why}): in a bundle, import 'brsec/bundle' beside 'brsec'`, { cause: err });
  }
}
