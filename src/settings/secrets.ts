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

const SCHEME_END = '://';
/** A URL scheme, read backwards from its `://`: letters, digits, `+`, `-`, `.`, starting with a letter. */
const isSchemeChar = (c: string): boolean => /[a-z0-9+.-]/i.test(c);

/**
 * Drops the credentials of every URL in a text (`https://user:pass@proxy:3128` → `https://***@proxy:3128`). The
 * userinfo is everything up to the last `@` before the next URL: a host writes passwords unencoded, with `/`, `@`,
 * `#` or spaces in them, so the first `/` or `@` does not end it. A path holding an `@` is redacted too, as what
 * stands before that `@` cannot be told from a password. Linear in the text.
 */
export function redactUrlCredentials(text: string): string {
  let at = text.indexOf(SCHEME_END);
  if (at === -1) return text;
  let out = '';
  let copied = 0;
  while (at !== -1) {
    const next = text.indexOf(SCHEME_END, at + SCHEME_END.length);
    const start = at + SCHEME_END.length;
    // The part this URL owns: up to the next URL's scheme, so a list of URLs keeps every host.
    let end = next === -1 ? text.length : next;
    if (next !== -1) while (end > start && isSchemeChar(text[end - 1] as string)) end--;
    const lastAt = text.lastIndexOf('@', end - 1);
    // Whatever stands before `://` (a scheme, or what a host mangled into one), the userinfo after it is redacted.
    if (lastAt >= start) {
      out += text.slice(copied, start) + '***';
      copied = lastAt;
    }
    at = next;
  }
  return out + text.slice(copied);
}
