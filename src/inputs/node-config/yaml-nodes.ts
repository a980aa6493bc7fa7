// YAML documents with positions (the `yaml` package's syntax tree and line counter), and the few ways readers take
// values and lines out of them. CloudFormation's short tags (!Sub, !Ref, !Base64…) are kept on their nodes.
import { requireOnFirstUse } from '../../on-first-use.js';
import type { Document, LineCounter, Node as YamlNode, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';

type YamlModule = typeof import('yaml');
let yamlModule: YamlModule | undefined;

/** The `yaml` package, loaded on first use: scans of snapshots never need it. */
function yaml(): YamlModule {
  yamlModule ??= requireOnFirstUse<YamlModule>('yaml');
  return yamlModule;
}

export type Node = YamlNode | null | undefined;

export interface YamlDocuments {
  documents: Document.Parsed[];
  lineCounter: LineCounter;
  /** The first syntax error, if any document has one. */
  error?: { message: string; line: number };
}

/** Parses every document of a YAML stream (`---` separated), keeping positions. */
export function parseYamlDocuments(text: string): YamlDocuments {
  const Y = yaml();
  const lineCounter = new Y.LineCounter();
  const documents = Y.parseAllDocuments(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const list = Array.isArray(documents) ? documents : [];
  const result: YamlDocuments = { documents: list, lineCounter };
  for (const doc of list) {
    const first = doc.errors[0];
    if (first) {
      result.error = { message: first.message.split('\n')[0] ?? 'invalid YAML', line: lineCounter.linePos(first.pos[0]).line };
      break;
    }
  }
  return result;
}

/** Whether a node's collections nest deeper than `max` levels; recurses at most max + 1 levels. */
export function nodeDeeperThan(node: Node, max: number, depth = 0): boolean {
  if (!isMap(node) && !isSeq(node)) return false;
  if (depth >= max) return true;
  for (const item of node.items as unknown[]) {
    const child = isMap(node) ? (item as Pair<Node, Node>).value : (item as Node);
    if (nodeDeeperThan(child, max, depth + 1)) return true;
  }
  return false;
}

/** Nodes made from a value already parsed (JSON), without positions: for when no report needs lines. */
export function nodesOf(value: unknown): { contents: Node; lineCounter: LineCounter } {
  const Y = yaml();
  return { contents: new Y.Document(value).contents as Node, lineCounter: new Y.LineCounter() };
}

export const isMap = (node: Node): node is YAMLMap => yaml().isMap(node);
export const isSeq = (node: Node): node is YAMLSeq => yaml().isSeq(node);
export const isScalar = (node: Node): node is Scalar => yaml().isScalar(node);

/** A key's value node in a mapping, or undefined. */
export function field(node: Node, key: string): Node {
  if (!isMap(node)) return undefined;
  for (const pair of node.items as Pair<Node, Node>[]) {
    const k = pair.key;
    if (isScalar(k) && String(k.value) === key) return pair.value;
  }
  return undefined;
}

/** A key's node in a mapping (for its line), or undefined. */
export function keyNode(node: Node, key: string): Node {
  if (!isMap(node)) return undefined;
  for (const pair of node.items as Pair<Node, Node>[]) if (isScalar(pair.key) && String(pair.key.value) === key) return pair.key;
  return undefined;
}

/** The entries of a mapping as [key, key node, value node]. */
export function entries(node: Node): [string, Node, Node][] {
  if (!isMap(node)) return [];
  return (node.items as Pair<Node, Node>[]).flatMap((p) =>
    isScalar(p.key) ? [[String(p.key.value), p.key, p.value] as [string, Node, Node]] : [],
  );
}

/** A scalar's value (string, number, boolean or null), or undefined for anything else. */
export function scalar(node: Node): unknown {
  return isScalar(node) && !node.tag?.startsWith('!') ? node.value : undefined;
}

export const str = (node: Node): string | undefined => {
  const v = scalar(node);
  return typeof v === 'string' ? v : undefined;
};

/** Follows a path of keys. */
export function at(node: Node, ...path: string[]): Node {
  let current = node;
  for (const key of path) current = field(current, key);
  return current;
}

/** 1-based line where a node starts. */
export function lineOf(lineCounter: LineCounter, node: Node): number | undefined {
  const start = node?.range?.[0];
  return start === undefined ? undefined : lineCounter.linePos(start).line;
}

/**
 * How lines of a text held in a scalar map to lines of the file: a literal block (`|`) holds them line for line,
 * starting on the line after its indicator; any other scalar is anchored at its own line.
 */
export function textLineMapper(lineCounter: LineCounter, node: Node): (line: number) => number {
  const start = lineOf(lineCounter, node) ?? 1;
  if (isScalar(node) && node.type === 'BLOCK_LITERAL') return (line) => start + line;
  return () => start;
}

/** A node as plain data (tags dropped; a tagged node as `{tag: value}`), for settings written as YAML. */
export function plain(node: Node, depth = 0): unknown {
  if (node === null || node === undefined || depth > 64) return undefined;
  if (isScalar(node)) return node.tag?.startsWith('!') ? { [node.tag]: node.value } : node.value;
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const [k, , v] of entries(node))
      Object.defineProperty(out, k, { value: plain(v, depth + 1), enumerable: true, writable: true, configurable: true });
    return node.tag?.startsWith('!') ? { [node.tag]: out } : out;
  }
  if (isSeq(node)) {
    const list = (node.items as Node[]).map((v) => plain(v, depth + 1));
    return node.tag?.startsWith('!') ? { [node.tag]: list } : list;
  }
  return undefined;
}

/** Lines of every key below a mapping, by path joined with NUL (prefixed). */
export function keyLines(lineCounter: LineCounter, node: Node, prefix: readonly string[], out: Record<string, number>, depth = 0): void {
  if (depth > 32) return;
  for (const [k, keyAt, v] of entries(node)) {
    const path = [...prefix, k];
    const line = lineOf(lineCounter, keyAt);
    const key = path.join('\u0000');
    if (line !== undefined && !(key in out)) out[key] = line;
    if (isMap(v)) keyLines(lineCounter, v, path, out, depth + 1);
  }
}
