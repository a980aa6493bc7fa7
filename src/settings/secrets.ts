// Settings that hold secrets. Checks may test them, but no report, message or error shows their values:
// evidence says that a secret is present, never what it is.

/** Setting paths (below `settings`) whose values are secrets; "*" matches any table key or list index. */
export const SECRET_SETTINGS: readonly (readonly string[])[] = [
  ['aws', 'credentials'],
  ['aws', 'config'],
  ['container-registry', 'credentials', '*', 'password'],
  ['container-registry', 'credentials', '*', 'auth'],
  ['container-registry', 'credentials', '*', 'identitytoken'],
  ['container-registry', 'creds', '*', 'password'],
  ['container-registry', 'creds', '*', 'auth'],
  ['container-registry', 'creds', '*', 'identitytoken'],
  ['kubernetes', 'bootstrap-token'],
  ['kubernetes', 'server-key'],
  ['kubernetes', 'credential-providers', '*', 'environment'],
  ['host-containers', '*', 'user-data'],
  ['bootstrap-containers', '*', 'user-data'],
  ['network', 'https-proxy'],
];

export const SECRET_PLACEHOLDER = '(a secret; not shown)';

function matches(pattern: readonly string[], path: readonly string[]): boolean {
  return pattern.length === path.length && pattern.every((seg, i) => seg === '*' || seg === path[i]);
}

export function holdsSecrets(path: readonly string[]): boolean {
  return SECRET_SETTINGS.some((p) => p.length > path.length && path.every((seg, i) => p[i] === '*' || p[i] === seg));
}

export function isSecretSetting(path: readonly string[]): boolean {
  return SECRET_SETTINGS.some((p) => matches(p, path));
}

/** The value with every secret below `path` replaced by a placeholder; the same object when nothing is secret. */
export function redactSetting(path: readonly string[], value: unknown): unknown {
  if (value === undefined || value === null) return value;
  if (isSecretSetting(path)) return SECRET_PLACEHOLDER;
  if (typeof value !== 'object' || !holdsSecrets(path)) return value;
  if (Array.isArray(value)) return value.map((v, i) => redactSetting([...path, String(i)], v));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactSetting([...path, k], v)]));
}

/** Drops the credentials of a URL (`https://user:pass@proxy:3128` → `https://***@proxy:3128`). */
export function redactUrlCredentials(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, '$1***@');
}
