// Node configuration files, recognised by content: Karpenter, EKS Auto Mode, eksctl and EKS Anywhere YAML (one
// document or many: rendered Helm charts, kustomize output, `kubectl get -o yaml` lists), CloudFormation and CDK
// templates (YAML or JSON), Terraform plans (JSON) and Terraform HCL. Every node definition becomes a host.
import { InputError } from '../../errors.js';
import { LIMITS, nestedDeeperThan } from '../../limits.js';
import type { InputProblem } from '../../types.js';
import { isObject } from '../../values.js';
import { isCloudFormation, readCloudFormation } from './cloudformation.js';
import type { HclParser, NodeDefinition, ReaderContext } from './definition.js';
import { isAnywhereMachineConfig, isAutoModeNodeClass, readAnywhere, readAutoMode } from './eks.js';
import { isEksctlConfig, readEksctl } from './eksctl.js';
import { isKarpenterNodeClass, readKarpenter } from './karpenter.js';
import { readTerraformHcl, type HclContext } from './terraform-hcl.js';
import { isTerraformPlan, readTerraformPlan } from './terraform-plan.js';
import { isLaunchTemplateVersions, readLaunchTemplateVersions } from './launch-template.js';
import { field, isMap, isSeq, nodeDeeperThan, nodesOf, parseYamlDocuments, str, type Node } from './yaml-nodes.js';
import type { LineCounter } from 'yaml';

/** What a node configuration file held: its node definitions, those that could not be read, or why it holds none. */
export interface NodeConfigRead {
  definitions: NodeDefinition[];
  problems: InputProblem[];
  /** Set when the file is of a known kind but defines no Bottlerocket node: why it was skipped. */
  skipped?: string;
}

/** Runs one reader, turning an unreadable definition into a problem of its own so the file's other definitions stand. */
function attempt(read: () => NodeDefinition | NodeDefinition[] | null, into: NodeConfigRead): void {
  try {
    const found = read();
    if (Array.isArray(found)) into.definitions.push(...found);
    else if (found) into.definitions.push(found);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    into.problems.push(err.toProblem());
  }
}

/** Reads one YAML document (or a List's items) into node definitions; returns what the document was. */
function readDocument(doc: Node, lineCounter: LineCounter, context: ReaderContext, into: NodeConfigRead, depth = 0): string | null {
  if (!isMap(doc) || depth > 2) return null;
  const apiVersion = str(field(doc, 'apiVersion')) ?? '';
  const kind = str(field(doc, 'kind')) ?? '';
  if (kind === 'List' || (kind.endsWith('List') && isSeq(field(doc, 'items')))) {
    const items = field(doc, 'items');
    for (const item of isSeq(items) ? (items.items as Node[]) : []) readDocument(item, lineCounter, context, into, depth + 1);
    return kind;
  }
  if (isKarpenterNodeClass(apiVersion, kind)) attempt(() => readKarpenter({ doc, kind, apiVersion, lineCounter, context }), into);
  else if (isAutoModeNodeClass(apiVersion, kind)) attempt(() => readAutoMode({ doc, lineCounter }), into);
  else if (isEksctlConfig(apiVersion, kind)) attempt(() => readEksctl({ doc, lineCounter, context }), into);
  else if (isAnywhereMachineConfig(apiVersion, kind)) attempt(() => readAnywhere({ doc, kind, lineCounter }), into);
  else if (isCloudFormation(doc)) {
    attempt(() => readCloudFormation({ doc, lineCounter, context }), into);
    return 'a CloudFormation template';
  } else if (!apiVersion || !kind) return null;
  return kind;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function skippedBecause(kinds: string[]): string {
  const shown = [...new Set(kinds)].slice(0, 5).join(', ');
  return `holds no Bottlerocket node definition (${plural(kinds.length, 'document')}: ${shown}${new Set(kinds).size > 5 ? ', …' : ''})`;
}

/** Whether a text reads as a Kubernetes manifest, an eksctl config or a CloudFormation template (YAML). */
export const looksLikeManifest = (text: string): boolean =>
  /^[ \t]*(apiVersion|kind|Resources|AWSTemplateFormatVersion)[ \t]*:/m.test(text);

/**
 * Reads YAML node configuration. Returns null when the text is not YAML of a kind brsec knows (no document has an
 * apiVersion and kind, nor is a CloudFormation template), so the caller can say what else it is not.
 */
export function readYamlNodeConfigs(text: string, context: ReaderContext): NodeConfigRead | null {
  // Cheap look first: most text that is not TOML is not one of these either.
  if (!looksLikeManifest(text) && !/"(Resources|apiVersion)"\s*:/.test(text)) return null;
  let parsed;
  try {
    parsed = parseYamlDocuments(text);
  } catch (err) {
    // The YAML parser recurses into nested collections; a document nested past any real one exhausts the stack.
    if (err instanceof RangeError) throw new InputError(context.source, `YAML nested too deeply to read`);
    throw err;
  }
  const { documents, lineCounter, error } = parsed;
  for (const document of documents)
    if (nodeDeeperThan(document.contents as Node, LIMITS.documentDepth))
      throw new InputError(context.source, `a document nested deeper than ${LIMITS.documentDepth} levels, brsec's limit`);
  if (error) throw new InputError(context.source, `malformed YAML: ${error.message} (line ${error.line})`);
  const read: NodeConfigRead = { definitions: [], problems: [] };
  const kinds: string[] = [];
  for (const document of documents) {
    const kind = readDocument(document.contents as Node, lineCounter, context, read);
    if (kind !== null) kinds.push(kind);
  }
  if (kinds.length === 0) return null;
  if (read.definitions.length === 0 && read.problems.length === 0) read.skipped = skippedBecause(kinds);
  return read;
}

/** Reads JSON node configuration: a Terraform plan, or a CloudFormation/CDK template. Null for other JSON. */
export function readJsonNodeConfigs(doc: unknown, text: string, context: ReaderContext): NodeConfigRead | null {
  if (!isObject(doc)) return null;
  const known = isTerraformPlan(doc) || isLaunchTemplateVersions(doc) || isObject(doc.Resources);
  // Readers walk what they are given; a document nested past any real one is refused before they do.
  if (known && nestedDeeperThan(doc, LIMITS.documentDepth))
    throw new InputError(context.source, `a document nested deeper than ${LIMITS.documentDepth} levels, brsec's limit`);
  const read: NodeConfigRead = { definitions: [], problems: [] };
  if (isTerraformPlan(doc)) {
    attempt(() => readTerraformPlan({ doc, context }), read);
    if (read.definitions.length === 0 && read.problems.length === 0)
      read.skipped = 'a Terraform plan with no Bottlerocket launch template, instance or EKS node group';
    return read;
  }
  if (isLaunchTemplateVersions(doc)) {
    attempt(() => readLaunchTemplateVersions({ doc, text, context }), read);
    if (read.definitions.length === 0 && read.problems.length === 0)
      read.skipped = 'launch template versions none of which runs Bottlerocket';
    return read;
  }
  if (
    isObject(doc.Resources) &&
    Object.values(doc.Resources).some((r) => isObject(r) && typeof r.Type === 'string' && r.Type.startsWith('AWS::'))
  ) {
    // Parsed again as YAML (JSON is YAML) when a report needs the line of each value.
    const { contents, lineCounter } = context.locate
      ? (({ documents, lineCounter }) => ({ contents: documents[0]?.contents as Node, lineCounter }))(parseYamlDocuments(text))
      : nodesOf(doc);
    attempt(() => readCloudFormation({ doc: contents, lineCounter, context }), read);
    if (read.definitions.length === 0 && read.problems.length === 0)
      read.skipped = 'a CloudFormation template with no Bottlerocket launch template, instance or EKS node group';
    return read;
  }
  return null;
}

/** Reads Terraform HCL with a parser loaded beforehand (loadHclParser). */
export function readHclNodeConfigs(text: string, parse: HclParser, context: HclContext): NodeConfigRead {
  const read: NodeConfigRead = { definitions: [], problems: [] };
  let root;
  try {
    root = parse(text);
  } catch (err) {
    throw new InputError(context.source, `Terraform HCL that cannot be parsed: ${(err as Error).message}`);
  }
  attempt(() => readTerraformHcl({ root, context }), read);
  if (read.definitions.length === 0 && read.problems.length === 0)
    read.skipped = 'Terraform with no Bottlerocket launch template, instance, EKS node group or terraform-aws-eks node group';
  return read;
}

export { hostInputOf } from './definition.js';
export { loadHclParser, looksLikeHcl, templateReader } from './terraform-hcl.js';
export type { HclParser } from './definition.js';
export { parseTemplatedToml } from './template.js';
