// Glob matching for allow-lists, waivers and host selectors, in time linear in the value matched: `*` is any run of
// characters but `/`, `**` any run at all, everything else literal. Values come from hosts, so no regular expression
// is built from a glob: a glob with many stars made one backtrack for minutes on a long value.

export interface Glob {
  readonly source: string;
  test(value: string): boolean;
}

const STAR = -1;
const GLOBSTAR = -2;

/** The glob as tokens: a character code, STAR or GLOBSTAR; runs of stars collapse to the widest. */
function tokensOf(glob: string): number[] {
  const tokens: number[] = [];
  for (let i = 0; i < glob.length; i++) {
    if (glob[i] !== '*') {
      tokens.push(glob.charCodeAt(i));
      continue;
    }
    let run = 1;
    while (glob[i + 1] === '*') {
      run++;
      i++;
    }
    const token = run >= 2 ? GLOBSTAR : STAR;
    const previous = tokens[tokens.length - 1];
    // `*` next to `**` adds nothing, and two `*` in a row are one.
    if (previous === GLOBSTAR || (previous === STAR && token === STAR)) continue;
    if (previous === STAR && token === GLOBSTAR) tokens[tokens.length - 1] = GLOBSTAR;
    else tokens.push(token);
  }
  return tokens;
}

const SLASH = 47;

/**
 * Simulates the glob as a set of positions in it, one step per character of the value: O(value × glob) time and
 * O(glob) memory, whatever the value holds.
 */
function nfaTest(tokens: readonly number[], value: string): boolean {
  const m = tokens.length;
  let current = new Uint8Array(m + 1);
  let next = new Uint8Array(m + 1);
  const close = (states: Uint8Array): void => {
    // A star can match nothing: a position before a star also stands after it.
    for (let s = 0; s < m; s++) if (states[s] === 1 && tokens[s]! < 0) states[s + 1] = 1;
  };
  current[0] = 1;
  close(current);
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    next.fill(0);
    let any = false;
    for (let s = 0; s < m; s++) {
      if (current[s] !== 1) continue;
      const t = tokens[s]!;
      if (t === GLOBSTAR || (t === STAR && c !== SLASH)) {
        next[s] = 1;
        any = true;
      } else if (t === c) {
        next[s + 1] = 1;
        any = true;
      }
    }
    if (!any) return false;
    close(next);
    [current, next] = [next, current];
  }
  return current[m] === 1;
}

function compile(glob: string): Glob {
  const tokens = tokensOf(glob);
  const stars = tokens.filter((t) => t < 0).length;
  // The shapes allow-lists mostly have, without the general simulation.
  if (stars === 0) return { source: glob, test: (value) => value === glob };
  if (stars === 1 && tokens[tokens.length - 1] === GLOBSTAR) {
    const prefix = glob.slice(0, glob.indexOf('*'));
    return { source: glob, test: (value) => value.startsWith(prefix) };
  }
  return { source: glob, test: (value) => nfaTest(tokens, value) };
}

const compiled = new Map<string, Glob>();
/** Globs come from check data, options and waivers files: a bounded cache, as a library may be handed many. */
const MAX_COMPILED = 4096;

export function glob(pattern: string): Glob {
  let g = compiled.get(pattern);
  if (!g) {
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    compiled.set(pattern, (g = compile(pattern)));
  }
  return g;
}
