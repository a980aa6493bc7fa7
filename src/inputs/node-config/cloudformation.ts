// CloudFormation templates and CDK synth output (YAML with short tags, or JSON): the user data of launch templates,
// launch configurations and instances that run Bottlerocket, and EKS node groups with a Bottlerocket AMI type.
// Intrinsic functions (!Sub, Fn::Join, !Ref, !GetAtt) that decide a value leave it unknown until deploy time.
import type { LineCounter } from 'yaml';
import { UnknownValue } from '../../settings/unknown.js';
import {
  mentionsSettings,
  newDefinition,
  readUserData,
  toolSets,
  variantInText,
  type NodeDefinition,
  type ReaderContext,
} from './definition.js';
import { at, entries, field, isMap, isScalar, isSeq, lineOf, scalar, str, textLineMapper, type Node } from './yaml-nodes.js';
import type { TemplateSyntax } from './template.js';

/** Whether a document is a CloudFormation template: a Resources mapping of typed resources. */
export function isCloudFormation(doc: Node): boolean {
  const resources = field(doc, 'Resources');
  if (!isMap(resources)) return false;
  return entries(resources).some(([, , r]) => str(field(r, 'Type'))?.startsWith('AWS::') ?? false);
}

/** An intrinsic function node as its name (`Sub`, `Ref`…) and argument, in short (!Sub) or long (Fn::Sub) form. */
function intrinsic(node: Node): { name: string; arg: Node } | null {
  if (node?.tag?.startsWith('!') && node.tag.length > 1) {
    // A short-tag scalar's argument is the scalar itself.
    return { name: node.tag.slice(1), arg: node };
  }
  const pairs = entries(node);
  if (pairs.length !== 1) return null;
  const [key, , value] = pairs[0]!;
  if (key === 'Ref') return { name: 'Ref', arg: value };
  return key.startsWith('Fn::') ? { name: key.slice(4), arg: value } : null;
}

/** An intrinsic's argument as text: a short tag's own scalar, or a plain scalar. */
function argText(arg: Node): string | undefined {
  if (isScalar(arg)) return typeof arg.value === 'string' ? arg.value : arg.value === null ? undefined : String(arg.value);
  return undefined;
}

/** How an intrinsic reads in an expression: `!Ref ClusterName`, `!GetAtt Cluster.Endpoint`. */
function describe(node: Node): string {
  const fn = intrinsic(node);
  if (!fn) return str(node) ?? 'a value';
  const arg = isScalar(fn.arg) ? String(fn.arg.value) : isSeq(fn.arg) ? (fn.arg.items as Node[]).map((n) => str(n) ?? '…').join('.') : '…';
  return `!${fn.name} ${arg}`;
}

interface UserDataText {
  text: string;
  syntax: TemplateSyntax;
  fileLine: (line: number) => number;
  known?: Record<string, string | number | boolean>;
}

/** User data as template text, or the expression that makes it unknown as a whole. */
function userDataText(node: Node, lineCounter: LineCounter, depth = 0): UserDataText | UnknownValue {
  const constant = () => lineOf(lineCounter, node) ?? 1;
  if (depth > 8) return new UnknownValue(describe(node));
  const fn = intrinsic(node);
  if (!fn) {
    const text = str(node);
    if (text === undefined) return new UnknownValue('user data that is not text');
    // UserData is base64 in CloudFormation; a template may hold it encoded already.
    const decoded = /^[A-Za-z0-9+/=\s]+$/.test(text) && text.length % 4 === 0 ? Buffer.from(text, 'base64').toString('utf8') : undefined;
    if (decoded?.includes('[settings')) return { text: decoded, syntax: 'none', fileLine: constant };
    return { text, syntax: 'none', fileLine: textLineMapper(lineCounter, node) };
  }
  if (fn.name === 'Base64') {
    if (fn.arg !== node) return userDataText(fn.arg, lineCounter, depth + 1);
    const text = argText(node);
    return text === undefined ? new UnknownValue(describe(node)) : { text, syntax: 'none', fileLine: textLineMapper(lineCounter, node) };
  }
  if (fn.name === 'Sub') {
    const [template, vars] = isSeq(fn.arg) ? (fn.arg.items as Node[]) : [fn.arg, undefined];
    const text = argText(template);
    if (text === undefined) return new UnknownValue(describe(node));
    const known: Record<string, string | number | boolean> = {};
    for (const [k, , v] of entries(vars)) {
      const value = scalar(v);
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') known[k] = value;
    }
    return { text, syntax: 'cloudformation', fileLine: textLineMapper(lineCounter, template), known };
  }
  if (fn.name === 'Join' && isSeq(fn.arg)) {
    const [delimiter, parts] = fn.arg.items as Node[];
    if (!isSeq(parts)) return new UnknownValue(describe(node));
    const pieces = (parts.items as Node[]).map((p) => {
      const literal = str(p);
      // A literal `${` would read as an expression; CloudFormation's own escape keeps it literal.
      return literal !== undefined ? literal.replaceAll('${', '${!') : '${' + describe(p) + '}';
    });
    return { text: pieces.join(str(delimiter) ?? ''), syntax: 'cloudformation', fileLine: constant };
  }
  return new UnknownValue(describe(node));
}

const LAUNCHERS: Record<string, { data: string[]; image: string }> = {
  'AWS::EC2::LaunchTemplate': { data: ['Properties', 'LaunchTemplateData'], image: 'ImageId' },
  'AWS::AutoScaling::LaunchConfiguration': { data: ['Properties'], image: 'ImageId' },
  'AWS::EC2::Instance': { data: ['Properties'], image: 'ImageId' },
};

/** The variant an image id names: an SSM parameter path, in place or as a parameter's default. */
function imageVariant(doc: Node, image: Node): NodeDefinition['variant'] | undefined {
  const parameters = field(doc, 'Parameters');
  const direct = str(image);
  const fn = intrinsic(image);
  const referenced = fn?.name === 'Ref' ? str(at(parameters, argText(fn.arg) ?? '', 'Default')) : undefined;
  for (const text of [direct, referenced]) {
    const id = text ? variantInText(text) : undefined;
    if (id) return { id, why: `ImageId from ${text}` };
  }
  return undefined;
}

export function readCloudFormation(options: { doc: Node; lineCounter: LineCounter; context: ReaderContext }): NodeDefinition[] {
  const { doc, lineCounter, context } = options;
  const resources = field(doc, 'Resources');
  const out: NodeDefinition[] = [];
  const consumed = new Set<string>();
  const launchers = new Map<string, NodeDefinition>();
  for (const [name, keyAt, resource] of entries(resources)) {
    const type = str(field(resource, 'Type')) ?? '';
    const shape = LAUNCHERS[type];
    if (!shape) continue;
    const data = at(resource, ...shape.data);
    const userData = field(data, 'UserData');
    const image = field(data, shape.image);
    const variant = imageVariant(doc, image);
    const def = newDefinition('CloudFormation', `${name} (${type})`, lineOf(lineCounter, keyAt) ?? 1);
    if (variant) def.variant = variant;
    let bottlerocket = variant !== undefined;
    if (userData !== undefined) {
      const text = userDataText(userData, lineCounter);
      if (text instanceof UnknownValue) def.unknown = text.expression;
      else if (mentionsSettings(text.text)) {
        bottlerocket = true;
        readUserData(def, text.text, {
          context,
          syntax: text.syntax,
          fileLine: text.fileLine,
          ...(text.known ? { known: text.known } : {}),
        });
      }
    }
    if (!bottlerocket) continue;
    readMetadata(def, field(data, 'MetadataOptions'), lineCounter);
    launchers.set(name, def);
  }
  for (const [name, keyAt, resource] of entries(resources)) {
    if (str(field(resource, 'Type')) !== 'AWS::EKS::Nodegroup') continue;
    const properties = field(resource, 'Properties');
    const amiType = str(field(properties, 'AmiType'));
    if (!amiType?.startsWith('BOTTLEROCKET_')) continue;
    const template = field(field(properties, 'LaunchTemplate'), 'Id');
    const fn = intrinsic(template);
    const launcherName = fn?.name === 'Ref' ? (argText(fn.arg) ?? '') : '';
    const launcher = launchers.get(launcherName);
    const def = launcher ?? newDefinition('CloudFormation', '', 1);
    if (launcher) consumed.add(launcherName);
    def.definition = `${name} (AWS::EKS::Nodegroup)`;
    def.line = lineOf(lineCounter, keyAt) ?? 1;
    def.variant = amiTypeVariant(amiType);
    managedNodeGroupRules(def, { remoteAccess: field(properties, 'RemoteAccess'), lineCounter, by: 'EKS (RemoteAccess)' });
    out.push(def);
  }
  for (const [name, def] of launchers) if (!consumed.has(name)) out.push(def);
  return out.sort((a, b) => a.line - b.line);
}

function readMetadata(def: NodeDefinition, options: Node, lineCounter: LineCounter): void {
  if (options === undefined) return;
  const tokens = field(options, 'HttpTokens');
  const hops = field(options, 'HttpPutResponseHopLimit');
  def.metadata = {
    httpTokens: scalar(tokens) ?? unknownIfTagged(tokens),
    hopLimit: scalar(hops) ?? unknownIfTagged(hops),
    source: 'MetadataOptions',
  };
  def.itemLines['metadataOptions.httpTokens'] = lineOf(lineCounter, tokens) ?? lineOf(lineCounter, options) ?? def.line;
  def.itemLines['metadataOptions.httpPutResponseHopLimit'] = lineOf(lineCounter, hops) ?? lineOf(lineCounter, options) ?? def.line;
}

const unknownIfTagged = (node: Node): unknown => (node === undefined || node === null ? undefined : new UnknownValue(describe(node)));

/** The variant an EKS AMI type names: BOTTLEROCKET_x86_64_FIPS, BOTTLEROCKET_ARM_64_NVIDIA… */
export function amiTypeVariant(amiType: string): NonNullable<NodeDefinition['variant']> {
  const nvidia = amiType.includes('NVIDIA');
  const fips = amiType.includes('FIPS');
  return { family: nvidia ? 'aws-k8s-nvidia' : 'aws-k8s', ...(fips ? { fips: true } : {}), why: `AMI type ${amiType}` };
}

/** What EKS adds to a managed node group's user data: the cluster's keys, and the admin container for remote access. */
export function managedNodeGroupRules(
  def: NodeDefinition,
  options: { remoteAccess: Node | boolean; lineCounter?: LineCounter; by: string; line?: number },
): void {
  for (const key of ['cluster-certificate', 'api-server', 'cluster-name'])
    toolSets(def, ['kubernetes', key], new UnknownValue(`the cluster's ${key}, which EKS writes`), 'EKS (from the cluster)');
  const { remoteAccess } = options;
  if (remoteAccess === undefined || remoteAccess === null || remoteAccess === false) return;
  const line = typeof remoteAccess === 'object' && options.lineCounter ? lineOf(options.lineCounter, remoteAccess) : options.line;
  toolSets(
    def,
    ['host-containers', 'admin', 'enabled'],
    true,
    `${options.by}: remote access to a Bottlerocket node group turns on the admin container`,
    line,
  );
}
