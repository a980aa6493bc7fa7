// A node definition as the readers build it: the settings the node will launch with (the file's user data with the
// tool's merge rules applied), where each came from and at which line, and what the tool drops. Becomes a HostInput.
import { longestPrefixLine } from '../locate.js';
import { InputError } from '../../errors.js';
import { settingsProblem } from '../../limits.js';
import { UnknownValue } from '../../settings/unknown.js';
import type { DroppedSetting, HostInput, NodeConfig } from '../../types.js';
import { isObject } from '../../values.js';
import { userDataLines } from '../userdata-lines.js';
import { NODE_CONFIG_ITEMS } from '../../facts/node-config-facts.js';
import { parseTemplatedToml, type TemplateSyntax } from './template.js';

export interface NodeDefinition {
  tool: string;
  /** Kind and name: `EC2NodeClass/default`. */
  definition: string;
  line: number;
  variant?: NodeConfig['variant'];
  /** Settings as the node will have them (without the `settings` wrapper). */
  settings: Record<string, unknown>;
  /** Line of each setting path (joined with NUL), where the file (or the field a tool reads) writes it. */
  lines: Record<string, number>;
  written: Record<string, string>;
  dropped: DroppedSetting[];
  /** Why the tool cannot read the user data, when it cannot. */
  mergeProblem?: string;
  /** The whole user data is not known until deploy time. */
  unknown?: string;
  metadata?: NodeConfig['metadata'];
  itemLines: Record<string, number>;
}

/**
 * Terraform HCL to its syntax tree (tree-sitter's, opaque here): public signatures name it without tree-sitter's
 * types, which need Emscripten's type package a consumer of brsec does not have.
 */
export type HclParser = (text: string) => unknown;

export interface ReaderContext {
  source: string;
  locate: boolean;
  parseToml: (text: string) => Record<string, unknown>;
}

export function newDefinition(tool: string, definition: string, line: number): NodeDefinition {
  return { tool, definition, line, settings: {}, lines: {}, written: {}, dropped: [], itemLines: {} };
}

export const pathKey = (path: readonly string[]): string => path.join('\u0000');

/** Where a definition is named in messages: `file (EC2NodeClass/default)`. */
export const where = (context: ReaderContext, def: { definition: string }): string => `${context.source} (${def.definition})`;

/**
 * Reads user data TOML (perhaps a template) into a definition's settings, with lines mapped into the file.
 * Throws InputError naming the definition when the text is not user data even as a template.
 */
export function readUserData(
  def: NodeDefinition,
  text: string,
  options: {
    context: ReaderContext;
    syntax: TemplateSyntax;
    fileLine: (tomlLine: number) => number;
    known?: Record<string, string | number | boolean>;
  },
): void {
  const { context } = options;
  const parsed = parseTemplatedToml(text, {
    syntax: options.syntax,
    source: where(context, def),
    parseToml: context.parseToml,
    ...(options.known ? { known: options.known } : {}),
  });
  const problem = settingsProblem(parsed.settings);
  if (problem) throw new InputError(where(context, def), problem);
  def.settings = normaliseBootAliases(parsed.settings);
  if (context.locate) {
    const lines = userDataLines(parsed.plainText);
    for (const [k, line] of Object.entries(lines)) def.lines[k] ??= options.fileLine(line);
  }
}

/** Bottlerocket accepts `kernel-parameters`/`init-parameters` in user data but reports them as `kernel`/`init`. */
export function normaliseBootAliases(settings: Record<string, unknown>): Record<string, unknown> {
  const boot = settings.boot;
  if (!isObject(boot)) return settings;
  const renamed: Record<string, unknown> = { ...boot };
  for (const [alias, name] of [
    ['kernel-parameters', 'kernel'],
    ['init-parameters', 'init'],
  ] as const) {
    if (alias in renamed) {
      renamed[name] = renamed[alias];
      delete renamed[alias];
    }
  }
  return { ...settings, boot: renamed };
}

/** The table at a path of the settings, made where it is missing (a table replaced by a value is replaced back). */
function tableAt(settings: Record<string, unknown>, path: readonly string[]): Record<string, unknown> {
  let table = settings;
  for (const part of path) {
    const next = table[part];
    if (isObject(next) && !(next instanceof UnknownValue)) table = next;
    else {
      const made: Record<string, unknown> = {};
      Object.defineProperty(table, part, { value: made, enumerable: true, writable: true, configurable: true });
      table = made;
    }
  }
  return table;
}

/** A setting the tool writes, replacing what the file says: recorded as the tool's, at the line of the field it reads. */
export function toolSets(def: NodeDefinition, path: readonly string[], value: unknown, by: string, line?: number): void {
  const table = tableAt(def.settings, path.slice(0, -1));
  Object.defineProperty(table, path.at(-1) as string, { value, enumerable: true, writable: true, configurable: true });
  def.written[pathKey(path)] = by;
  if (line !== undefined) def.lines[pathKey(path)] = line;
}

/** A setting the tool removes: the file writes it, the node will not have it. */
export function toolDrops(def: NodeDefinition, path: readonly string[], why: string): void {
  const table = tableAt(def.settings, path.slice(0, -1));
  delete table[path.at(-1) as string];
  def.dropped.push({ path: [...path], why });
}

/**
 * Whether text reads as Bottlerocket user data: a line that opens a `[settings…]` table or sets `settings.…`. Line
 * starts allow spaces and tabs only: `\s*` would run across lines, which is quadratic on a text of blank lines.
 */
export const mentionsSettings = (text: string): boolean => /^[ \t]*\[[ \t]*settings|^[ \t]*settings\./m.test(text);

/** The variant a Bottlerocket SSM parameter path or AMI name names: `/aws/service/bottlerocket/aws-k8s-1.31/…`. */
export function variantInText(text: string): string | undefined {
  return (
    /\/aws\/service\/bottlerocket\/([a-z0-9][a-z0-9.-]*[a-z0-9])\//.exec(text)?.[1] ??
    /\bbottlerocket-(aws-[a-z0-9.-]+?)-(?:x86_64|aarch64)-/.exec(text)?.[1]
  );
}

/** The HostInput a definition becomes: named `file#Kind/name`, its settings those the node will launch with. */
export function hostInputOf(def: NodeDefinition, options: { source: string; collectedAt: string; variant?: string }): HostInput {
  const nodeConfig: NodeConfig = {
    tool: def.tool,
    definition: def.definition,
    line: def.line,
    dropped: def.dropped,
    itemLines: def.itemLines,
  };
  // A finding about dropped settings points at the first of them.
  const firstDropped = def.dropped[0];
  if (firstDropped) nodeConfig.itemLines[NODE_CONFIG_ITEMS.dropped] = longestPrefixLine(def.lines, firstDropped.path) ?? def.line;
  if (def.variant) nodeConfig.variant = def.variant;
  if (def.metadata) nodeConfig.metadata = def.metadata;
  if (def.mergeProblem) nodeConfig.mergeProblem = def.mergeProblem;
  if (def.unknown !== undefined) nodeConfig.unknownUserData = def.unknown;
  const userData: HostInput['userData'] = { settings: def.settings, lines: def.lines, written: def.written, holdsUnknown: true };
  if (def.unknown !== undefined) userData.unknown = def.unknown;
  const input: HostInput = {
    source: options.source,
    kind: 'node-config',
    snapshot: {
      brsec: 'snapshot/1',
      host: { id: `${options.source}#${def.definition}`, name: def.definition },
      collectedAt: options.collectedAt,
      collector: { name: 'brsec', via: 'file' },
      captures: {},
    },
    userData,
    nodeConfig,
  };
  if (options.variant) input.variantOverride = options.variant;
  return input;
}
