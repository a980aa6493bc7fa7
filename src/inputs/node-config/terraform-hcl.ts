// Terraform HCL (.tf) with tree-sitter's HCL grammar, which keeps positions: launch templates, instances and EKS node
// groups, and the terraform-aws-eks module's node groups (`bootstrap_extra_args`). User data written in a heredoc,
// base64encode(), file() or templatefile() is read with the file's line numbers; `${…}` and `%{ if }` are unknown values.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import type { Node as SyntaxNode, Parser as TreeParser } from 'web-tree-sitter';
import { UnknownValue } from '../../settings/unknown.js';
import {
  mentionsSettings,
  newDefinition,
  readUserData,
  variantInText,
  type HclParser,
  type NodeDefinition,
  type ReaderContext,
} from './definition.js';
import { amiTypeVariant, managedNodeGroupRules } from './cloudformation.js';
import type { TemplateSyntax } from './template.js';

let loading: Promise<HclParser> | undefined;

/** tree-sitter's HCL grammar (WebAssembly), loaded on first use: only scans of .tf files need it. */
export function loadHclParser(): Promise<HclParser> {
  loading ??= (async () => {
    const require = createRequire(import.meta.url);
    const { Parser, Language } = require('web-tree-sitter') as typeof import('web-tree-sitter');
    await Parser.init();
    const language = await Language.load(require.resolve('@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-hcl.wasm'));
    const parser: TreeParser = new Parser();
    parser.setLanguage(language);
    return (text: string) => {
      const tree = parser.parse(text);
      if (!tree) throw new Error('the HCL parser gave no tree');
      return tree.rootNode;
    };
  })();
  return loading;
}

/** Whether a text reads as Terraform HCL: a top-level resource, module, locals or variable block. */
export const looksLikeHcl = (text: string): boolean =>
  /^[ \t]*(resource|module|data|locals|variable|provider|terraform|output)[ \t]+("[^"\n]*"[ \t]*)*\{/m.test(text);

const named = (node: SyntaxNode | null | undefined): SyntaxNode[] => (node ? (node.namedChildren.filter(Boolean) as SyntaxNode[]) : []);
const line = (node: SyntaxNode): number => node.startPosition.row + 1;

/** A block's type and labels: resource "aws_launch_template" "nodes" → ['resource', 'aws_launch_template', 'nodes']. */
function blockHead(block: SyntaxNode): string[] {
  return named(block).flatMap((c) => (c.type === 'identifier' ? [c.text] : c.type === 'string_lit' ? [stringText(c) ?? ''] : []));
}

const bodyOf = (block: SyntaxNode): SyntaxNode | undefined => named(block).find((c) => c.type === 'body');

/** The attributes (name → expression) and nested blocks of a body. */
function attributes(body: SyntaxNode | undefined): Map<string, SyntaxNode> {
  const out = new Map<string, SyntaxNode>();
  for (const c of named(body)) {
    if (c.type !== 'attribute') continue;
    const [name, expression] = named(c);
    if (name && expression) out.set(name.text, expression);
  }
  return out;
}

// Only the first child (the block type) is read: crossing into the parser's WebAssembly memory costs.
const blocks = (body: SyntaxNode | undefined, type: string): SyntaxNode[] =>
  named(body).filter((c) => c.type === 'block' && c.firstNamedChild?.text === type);

/** The innermost node of an expression wrapper (expression → literal_value → string_lit). */
function unwrap(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (
    (n.type === 'expression' || n.type === 'literal_value' || n.type === 'collection_value' || n.type === 'template_expr') &&
    named(n).length === 1
  )
    n = named(n)[0]!;
  return n;
}

/** A string literal without interpolations, as text; undefined otherwise. */
function stringText(node: SyntaxNode): string | undefined {
  const n = unwrap(node);
  if (n.type !== 'string_lit') return undefined;
  const parts = named(n).filter((c) => c.type !== 'quoted_template_start' && c.type !== 'quoted_template_end');
  if (parts.some((p) => p.type !== 'template_literal')) return undefined;
  return decodeEscapes(parts.map((p) => p.text).join(''));
}

const decodeEscapes = (text: string): string =>
  text.replace(/\\(n|t|r|"|\\|u[0-9a-fA-F]{4})/g, (_m, e: string) =>
    e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e.startsWith('u') ? String.fromCharCode(parseInt(e.slice(1), 16)) : e,
  );

/** A literal value: string, number or boolean; undefined for anything computed. */
function literal(node: SyntaxNode | undefined): string | number | boolean | undefined {
  if (!node) return undefined;
  const n = unwrap(node);
  if (n.type === 'numeric_lit') return Number(n.text);
  if (n.type === 'bool_lit') return n.text === 'true';
  return stringText(n);
}

/** The elements of an object expression, by key. */
function objectElements(node: SyntaxNode | undefined): Map<string, { key: SyntaxNode; value: SyntaxNode }> {
  const out = new Map<string, { key: SyntaxNode; value: SyntaxNode }>();
  if (!node) return out;
  const object = unwrap(node);
  if (object.type !== 'object') return out;
  for (const elem of named(object)) {
    if (elem.type !== 'object_elem') continue;
    const [key, value] = named(elem);
    if (!key || !value) continue;
    out.set(stringText(key) ?? unwrap(key).text, { key, value });
  }
  return out;
}

interface UserDataText {
  text: string;
  syntax: TemplateSyntax;
  fileLine: (line: number) => number;
  known?: Record<string, string | number | boolean>;
}

export interface HclContext extends ReaderContext {
  /** The folder `path.module` stands for: the .tf file's own. */
  moduleDir: string;
  /** Reads a file a template names; undefined when it cannot. */
  readFile: (path: string) => string | undefined;
}

/** The user data an expression gives, as template text with its lines, or what leaves it unknown. */
function userDataOf(expression: SyntaxNode, context: HclContext, depth = 0): UserDataText | UnknownValue {
  const n = unwrap(expression);
  if (depth > 8) return new UnknownValue(n.text);
  if (n.type === 'function_call') {
    const [name, args] = named(n);
    const argList = named(args).filter((a) => a.type === 'expression');
    switch (name?.text) {
      case 'base64encode':
      case 'trimspace':
      case 'chomp':
        return argList[0] ? userDataOf(argList[0], context, depth + 1) : new UnknownValue(n.text);
      case 'file':
      case 'filebase64':
      case 'templatefile': {
        const path = pathOf(argList[0], context);
        const text = path === undefined ? undefined : context.readFile(path);
        if (text === undefined) return new UnknownValue(`${n.text.slice(0, 200)} (the file it names is not readable from here)`);
        const known: Record<string, string | number | boolean> = {};
        for (const [key, { value }] of objectElements(argList[1])) {
          const v = literal(value);
          if (v !== undefined) known[key] = v;
        }
        return { text, syntax: name.text === 'templatefile' ? 'terraform' : 'none', fileLine: () => line(n), known };
      }
      default:
        return new UnknownValue(n.text.slice(0, 200));
    }
  }
  if (n.type === 'heredoc_template') return heredoc(n, context);
  if (n.type === 'string_lit') {
    const parts = named(n).filter((c) => c.type !== 'quoted_template_start' && c.type !== 'quoted_template_end');
    const raw = n.text.slice(1, -1);
    return { text: parts.length === 0 ? '' : decodeEscapes(raw), syntax: 'terraform', fileLine: () => line(n) };
  }
  return new UnknownValue(n.text.slice(0, 200));
}

/** A heredoc's body with its lines: the line after `<<EOT` is its first; `<<-` strips the common indentation. */
function heredoc(node: SyntaxNode, context: HclContext): UserDataText {
  const children = named(node);
  const start = children.find((c) => c.type === 'heredoc_start');
  const identifiers = children.filter((c) => c.type === 'heredoc_identifier');
  const open = identifiers[0];
  const close = identifiers[1];
  const source = node.tree.rootNode.text;
  const from = source.indexOf('\n', open?.endIndex ?? node.startIndex) + 1;
  const to = close ? source.lastIndexOf('\n', close.startIndex) + 1 : node.endIndex;
  let lines = source.slice(from, to).split('\n');
  if (lines.at(-1) === '') lines = lines.slice(0, -1);
  if (start?.text.startsWith('<<-')) {
    const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length));
    if (Number.isFinite(indent)) lines = lines.map((l) => l.slice(indent));
  }
  const first = (open ?? node).startPosition.row + 1;
  void context;
  return { text: lines.join('\n'), syntax: 'terraform', fileLine: (l) => first + l };
}

/** A template path: a literal, or one that starts with `${path.module}` or `${path.root}`. */
function pathOf(node: SyntaxNode | undefined, context: HclContext): string | undefined {
  if (!node) return undefined;
  const raw = unwrap(node).text.replace(/^"|"$/g, '');
  const relative = raw.replace(/^\$\{path\.(module|root|cwd)\}\/?/, '');
  if (relative.includes('${')) return undefined;
  return resolve(context.moduleDir, relative);
}

const LAUNCHERS = new Set(['aws_launch_template', 'aws_instance', 'aws_launch_configuration']);

export function readTerraformHcl(options: { root: unknown; context: HclContext }): NodeDefinition[] {
  const { context } = options;
  const root = options.root as SyntaxNode;
  const body = named(root).find((c) => c.type === 'body');
  // SSM parameters the file reads, by data source address: an image id read from one names its variant.
  const parameters = new Map<string, string>();
  for (const block of blocks(body, 'data')) {
    const [, dataType, name] = blockHead(block);
    const path = literal(attributes(bodyOf(block)).get('name'));
    if (dataType === 'aws_ssm_parameter' && name && typeof path === 'string') parameters.set(`data.aws_ssm_parameter.${name}`, path);
  }
  const launchers = new Map<string, NodeDefinition>();
  const out: NodeDefinition[] = [];
  const groups: { block: SyntaxNode; address: string }[] = [];
  for (const block of named(body)) {
    if (block.type !== 'block') continue;
    const [type, resourceType, name] = blockHead(block);
    if (type === 'module') out.push(...moduleNodeGroups(block, resourceType ?? '', context));
    if (type !== 'resource' || !resourceType || !name) continue;
    const address = `${resourceType}.${name}`;
    if (resourceType === 'aws_eks_node_group') {
      const amiType = literal(attributes(bodyOf(block)).get('ami_type'));
      if (typeof amiType === 'string' && amiType.startsWith('BOTTLEROCKET_')) groups.push({ block, address });
      continue;
    }
    if (!LAUNCHERS.has(resourceType)) continue;
    const def = launcherOf(block, address, { ...context, parameters });
    if (def) launchers.set(address, def);
  }
  const consumed = new Set<string>();
  for (const { block, address } of groups) {
    const attrs = attributes(bodyOf(block));
    const templateBlock = blocks(bodyOf(block), 'launch_template')[0];
    const ref = templateBlock ? /\b(aws_launch_template\.[A-Za-z0-9_-]+)/.exec(templateBlock.text)?.[1] : undefined;
    const def = (ref ? launchers.get(ref) : undefined) ?? newDefinition('Terraform', address, line(block));
    if (ref && launchers.has(ref)) consumed.add(ref);
    def.definition = address;
    def.line = line(block);
    def.variant = amiTypeVariant(literal(attrs.get('ami_type')) as string);
    const remote = blocks(bodyOf(block), 'remote_access')[0];
    managedNodeGroupRules(def, { remoteAccess: remote !== undefined, by: 'EKS (remote_access)', line: remote ? line(remote) : def.line });
    out.push(def);
  }
  for (const [address, def] of launchers) if (!consumed.has(address) && (def.unknown === undefined || def.variant)) out.push(def);
  return out.sort((a, b) => a.line - b.line);
}

function launcherOf(block: SyntaxNode, address: string, context: HclContext & { parameters: Map<string, string> }): NodeDefinition | null {
  const attrs = attributes(bodyOf(block));
  const def = newDefinition('Terraform', address, line(block));
  const image = attrs.get('image_id') ?? attrs.get('ami');
  const imageText = image ? unwrap(image).text : '';
  const parameter = context.parameters.get(imageText.replace(/\.(value|insecure_value)$/, ''));
  const named = variantInText(parameter ?? imageText);
  if (named) def.variant = { id: named, why: `image from ${parameter ? `the SSM parameter ${parameter}` : imageText.slice(0, 120)}` };
  let bottlerocket = named !== undefined;
  const expression = attrs.get('user_data') ?? attrs.get('user_data_base64');
  if (expression) {
    const text = userDataOf(expression, context);
    if (text instanceof UnknownValue) def.unknown = text.expression;
    else if (mentionsSettings(text.text)) {
      bottlerocket = true;
      readUserData(def, text.text, { context, syntax: text.syntax, fileLine: text.fileLine, ...(text.known ? { known: text.known } : {}) });
    }
  }
  const metadata = blocks(bodyOf(block), 'metadata_options')[0];
  if (metadata) {
    const m = attributes(bodyOf(metadata));
    const value = (key: string) => {
      const node = m.get(key);
      if (!node) return undefined;
      return literal(node) ?? new UnknownValue(unwrap(node).text);
    };
    def.metadata = { httpTokens: value('http_tokens'), hopLimit: value('http_put_response_hop_limit'), source: 'metadata_options' };
    def.itemLines['metadataOptions.httpTokens'] = m.get('http_tokens') ? line(m.get('http_tokens')!) : line(metadata);
    def.itemLines['metadataOptions.httpPutResponseHopLimit'] = m.get('http_put_response_hop_limit')
      ? line(m.get('http_put_response_hop_limit')!)
      : line(metadata);
  }
  return bottlerocket || def.unknown !== undefined ? def : null;
}

/** The terraform-aws-eks module's Bottlerocket node groups: `ami_type = "BOTTLEROCKET_…"` with `bootstrap_extra_args`. */
function moduleNodeGroups(block: SyntaxNode, moduleName: string, context: HclContext): NodeDefinition[] {
  const attrs = attributes(bodyOf(block));
  const source = literal(attrs.get('source'));
  if (typeof source !== 'string' || !/eks/.test(source)) return [];
  const out: NodeDefinition[] = [];
  const groupSets: [string, SyntaxNode | undefined, boolean][] = [
    ['eks_managed_node_groups', attrs.get('eks_managed_node_groups'), true],
    ['self_managed_node_groups', attrs.get('self_managed_node_groups'), false],
  ];
  // A node group module used on its own holds the fields at the top.
  if (attrs.has('ami_type') || attrs.has('bootstrap_extra_args')) groupSets.push(['', undefined, /eks-managed/.test(source)]);
  for (const [set, expression, managed] of groupSets) {
    const groups = set === '' ? new Map([[moduleName, { key: block, value: block }]]) : objectElements(expression);
    for (const [name, { key, value }] of groups) {
      const fields = set === '' ? attrs : new Map([...objectElements(value)].map(([k, v]) => [k, v.value]));
      const amiType = literal(fields.get('ami_type'));
      const platform = literal(fields.get('platform')) ?? literal(fields.get('ami_family'));
      const isBottlerocket =
        (typeof amiType === 'string' && amiType.startsWith('BOTTLEROCKET_')) ||
        (typeof platform === 'string' && /bottlerocket/i.test(platform));
      if (!isBottlerocket) continue;
      const address = set === '' ? `module.${moduleName}` : `module.${moduleName}.${set}.${name}`;
      const def = newDefinition('Terraform', address, line(key));
      def.variant = typeof amiType === 'string' ? amiTypeVariant(amiType) : { family: 'aws-k8s', why: `platform ${String(platform)}` };
      const extra = fields.get('bootstrap_extra_args');
      if (extra) {
        const text = userDataOf(extra, context);
        if (text instanceof UnknownValue) def.unknown = text.expression;
        else
          readUserData(def, text.text, {
            context,
            syntax: text.syntax,
            fileLine: text.fileLine,
            ...(text.known ? { known: text.known } : {}),
          });
      }
      const remote = fields.get('remote_access');
      if (managed)
        managedNodeGroupRules(def, {
          remoteAccess: remote !== undefined,
          by: 'EKS (remote_access)',
          line: remote ? line(remote) : def.line,
        });
      out.push(def);
    }
  }
  return out;
}

/** Reads a file a .tf names, relative to its folder; undefined when it is not readable. */
export function templateReader(file: string): { moduleDir: string; readFile: (path: string) => string | undefined } {
  return {
    moduleDir: file === '-' ? process.cwd() : dirname(resolve(file)),
    readFile: (path) => {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}
