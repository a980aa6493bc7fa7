// Seeded mutations of an input's text: byte-level ones that break its syntax, and structural ones that keep it
// valid JSON or TOML but put values where a host should not (objects whose toString is not a function,
// __proto__ keys, deep nesting, huge strings, control characters).
import { parse as parseToml, stringify as stringifyToml } from 'smol-toml';

/** A small, fast, seeded generator (mulberry32): the same seed gives the same inputs on every machine. */
export function random(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  return { next, int, pick: (list) => list[int(list.length)] };
}

const INTERESTING = [
  '\ufeff',
  '\u2028',
  '\u2029',
  '\u0000',
  '\u001b[31m',
  '\u001b]8;;http://x\u0007',
  '"',
  '\\',
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '\n',
  '\r\n',
  '\r',
  '#',
  '=',
  '\ud800',
  '💥',
  '%',
  '*',
  '@',
  '/',
  ' ',
  '\t',
  'a',
  '0',
  '-',
];
const RUN_CHARS = [' ', 'a', '*', '\\', '[', '{', '"', '\n', '0', '@'];

function nestedArray(depth) {
  let value = [];
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

/** Values a host could put anywhere in JSON or TOML that a careless reader would trip over. */
function weirdValue(rng) {
  switch (rng.int(14)) {
    case 0:
      return { toString: 1 };
    case 1:
      return { valueOf: {}, toString: {} };
    case 2:
      return [];
    case 3:
      return {};
    case 4:
      return null;
    case 5:
      return rng.pick([true, false]);
    case 6:
      return rng.pick([0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1]);
    case 7:
      return 'x'.repeat(rng.pick([1_000, 100_000, 1_000_000]));
    case 8:
      return rng.pick(['\u001b[2J\u001b[31mred', 'a\u2028b\u0000c', '\ud800', '', ' ', '*'.repeat(50), '%00%ff', 'https://u:p/@q@host/x']);
    case 9:
      return nestedArray(rng.pick([10, 200, 2_000]));
    case 10:
      return [{ toString: 1 }, 'a', 1];
    case 11:
      return withOwnKey({}, '__proto__', { polluted: true });
    case 12:
      return { constructor: { prototype: { polluted: true } } };
    default:
      return rng.pick(['1', 'true', 'null', '0x10', '-0', '1e999']);
  }
}

/** An object with `key` as an own, enumerable property, even for `__proto__` (as JSON.parse makes it). */
function withOwnKey(object, key, value) {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  return object;
}

/** Every object and array below root with the key leading to it, at most `limit` of them. */
function containers(root, limit = 5_000) {
  const found = [];
  const stack = [root];
  while (stack.length > 0 && found.length < limit) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    found.push(node);
    for (const key of Object.keys(node)) stack.push(node[key]);
  }
  return found;
}

const ODD_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '', 'a.b', 'a/b', ' ', '\u0000', '*'];

/** One structural change somewhere in a parsed document (in place); its name. */
function mutateTree(root, rng) {
  const nodes = containers(root);
  const node = rng.pick(nodes);
  const keys = Object.keys(node);
  const key = keys.length > 0 ? rng.pick(keys) : '0';
  switch (rng.int(5)) {
    case 0: {
      node[key] = weirdValue(rng);
      return 'value';
    }
    case 1: {
      if (Array.isArray(node) || keys.length === 0) return 'none';
      const value = node[key];
      delete node[key];
      withOwnKey(node, rng.pick(ODD_KEYS), value);
      return 'rename-key';
    }
    case 2: {
      if (Array.isArray(node)) node.splice(Number(key), 1);
      else delete node[key];
      return 'delete';
    }
    case 3: {
      if (Array.isArray(node)) node.push(weirdValue(rng));
      else withOwnKey(node, rng.pick(ODD_KEYS), weirdValue(rng));
      return 'add-key';
    }
    default: {
      // A container swapped for a scalar or the other way round.
      node[key] = typeof node[key] === 'object' && node[key] !== null ? rng.pick(['', 'x', 0, null]) : { [key]: node[key] };
      return 'retype';
    }
  }
}

function stripBom(text) {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The text parsed as JSON or TOML (what the mutation and the secret check work on), or undefined. */
export function parseDocument(text) {
  const body = stripBom(text);
  try {
    return { format: 'json', value: JSON.parse(body) };
  } catch {
    // not JSON
  }
  try {
    return { format: 'toml', value: parseToml(body) };
  } catch {
    return undefined;
  }
}

/** A structural change: to the document, or, in a snapshot, to the JSON of one capture's output. */
function structural(text, rng) {
  const document = parseDocument(text);
  if (!document) return null;
  let target = document.value;
  let inner = null;
  const captures = target && typeof target === 'object' ? target.captures : undefined;
  if (captures && typeof captures === 'object' && rng.int(2) === 0) {
    const entry = captures[rng.pick(Object.keys(captures))];
    try {
      const parsed = JSON.parse(entry?.stdout);
      if (parsed && typeof parsed === 'object') {
        inner = entry;
        target = parsed;
      }
    } catch {
      // Not JSON output: the outer document is changed instead.
    }
  }
  const name = mutateTree(target, rng);
  if (inner) inner.stdout = JSON.stringify(target, null, 2);
  try {
    return {
      name: `tree:${name}`,
      text: document.format === 'json' ? JSON.stringify(document.value, null, 2) : stringifyToml(document.value),
    };
  } catch {
    // TOML cannot hold every value (null): the change is dropped.
    return null;
  }
}

const TEXT_MUTATIONS = {
  flip: (text, rng) => {
    const at = rng.int(text.length);
    return text.slice(0, at) + rng.pick(INTERESTING) + text.slice(at + 1);
  },
  insert: (text, rng) => {
    const at = rng.int(text.length + 1);
    return text.slice(0, at) + rng.pick(INTERESTING) + text.slice(at);
  },
  bom: (text) => `\ufeff${text}`,
  truncate: (text, rng) => text.slice(0, rng.int(text.length)),
  duplicate: (text, rng) => {
    const from = rng.int(text.length);
    const span = text.slice(from, from + 1 + rng.int(400));
    const at = rng.int(text.length + 1);
    return text.slice(0, at) + span + text.slice(at);
  },
  delete: (text, rng) => {
    const from = rng.int(text.length);
    return text.slice(0, from) + text.slice(from + 1 + rng.int(200));
  },
  run: (text, rng) => {
    const at = rng.int(text.length + 1);
    const length = rng.pick([100, 1_000, 10_000, 10_000, 100_000]);
    return text.slice(0, at) + rng.pick(RUN_CHARS).repeat(length) + text.slice(at);
  },
  nest: (text, rng) => {
    const at = rng.int(text.length + 1);
    return text.slice(0, at) + rng.pick(['[', '{"a":', '[[', '{"x":[']).repeat(rng.pick([100, 1_000, 10_000])) + text.slice(at);
  },
  crlf: (text) => text.replaceAll('\n', '\r\n'),
  number: (text, rng) => {
    const digits = [...text.matchAll(/\d+/g)];
    if (digits.length === 0) return text;
    const hit = rng.pick(digits);
    return (
      text.slice(0, hit.index) +
      rng.pick(['1e999', '-0', '99999999999999999999999', 'NaN', '0x1F', '-1']) +
      text.slice(hit.index + hit[0].length)
    );
  },
};

/** One to three mutations of a seed's text; the result and what was done, for a failure's description. */
export function mutate(text, rng) {
  const applied = [];
  let result = text;
  const rounds = 1 + rng.int(3);
  for (let i = 0; i < rounds; i++) {
    const change = rng.int(3) === 0 ? structural(result, rng) : null;
    if (change) {
      result = change.text;
      applied.push(change.name);
      continue;
    }
    const name = rng.pick(Object.keys(TEXT_MUTATIONS));
    result = TEXT_MUTATIONS[name](result, rng);
    applied.push(name);
  }
  return { text: result, applied };
}
