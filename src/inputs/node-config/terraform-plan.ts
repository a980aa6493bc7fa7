// Terraform plan JSON (`terraform show -json plan.out`): the launch templates, instances and EKS node groups a plan
// creates, as the nodes they launch. Values known only after apply stay unknown. A plan is one line of JSON, so every
// finding points at line 1.
import { UnknownValue } from '../../settings/unknown.js';
import { isObject } from '../../values.js';
import { mentionsSettings, newDefinition, readUserData, variantInText, type NodeDefinition, type ReaderContext } from './definition.js';
import { amiTypeVariant, managedNodeGroupRules } from './cloudformation.js';

/** Whether a JSON document is a Terraform plan (or state) as `terraform show -json` prints it. */
export const isTerraformPlan = (doc: Record<string, unknown>): boolean =>
  typeof doc.format_version === 'string' &&
  typeof doc.terraform_version === 'string' &&
  (isObject(doc.planned_values) || isObject(doc.values));

interface PlannedResource {
  address: string;
  type: string;
  values: Record<string, unknown>;
}

function* resourcesOf(module: unknown, depth = 0): Generator<PlannedResource> {
  if (!isObject(module) || depth > 32) return;
  for (const r of Array.isArray(module.resources) ? module.resources : []) {
    if (isObject(r) && r.mode !== 'data' && typeof r.address === 'string' && typeof r.type === 'string')
      yield { address: r.address, type: r.type, values: isObject(r.values) ? r.values : {} };
  }
  for (const child of Array.isArray(module.child_modules) ? module.child_modules : []) yield* resourcesOf(child, depth + 1);
}

/** Attributes known only after apply, by resource address. */
function unknownAttributes(doc: Record<string, unknown>): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const change of Array.isArray(doc.resource_changes) ? doc.resource_changes : []) {
    if (!isObject(change) || typeof change.address !== 'string' || !isObject(change.change)) continue;
    const after = change.change.after_unknown;
    if (isObject(after)) out.set(change.address, after);
  }
  return out;
}

/** What each resource's expressions reference, by configuration address (module path, no instance keys). */
function configurationReferences(doc: Record<string, unknown>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const walk = (module: unknown, prefix: string, depth: number) => {
    if (!isObject(module) || depth > 32) return;
    for (const r of Array.isArray(module.resources) ? module.resources : []) {
      if (!isObject(r) || typeof r.address !== 'string') continue;
      const refs: string[] = [];
      JSON.stringify(r.expressions ?? {}, (key, value: unknown) => {
        if (key === 'references' && Array.isArray(value)) for (const v of value) if (typeof v === 'string') refs.push(prefix + v);
        return value;
      });
      out.set(prefix + r.address, refs);
    }
    const calls = isObject(module.module_calls) ? module.module_calls : {};
    for (const [name, call] of Object.entries(calls)) if (isObject(call)) walk(call.module, `${prefix}module.${name}.`, depth + 1);
  };
  walk(isObject(doc.configuration) ? doc.configuration.root_module : undefined, '', 0);
  return out;
}

/** An instance address without its keys: module.eks.aws_launch_template.this["bottlerocket"] → module.eks.aws_launch_template.this. */
const configAddress = (address: string): string => address.replace(/\[[^\]]*\]/g, '');

/** User data as the plan holds it: base64 (launch templates), or plain text. */
function decodeUserData(value: string): string {
  if (/^[A-Za-z0-9+/=\s]+$/.test(value) && value.replace(/\s/g, '').length % 4 === 0) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    if (!decoded.includes('\uFFFD')) return decoded;
  }
  return value;
}

const LAUNCHERS = new Set(['aws_launch_template', 'aws_instance', 'aws_launch_configuration']);

export function readTerraformPlan(options: { doc: Record<string, unknown>; context: ReaderContext }): NodeDefinition[] {
  const { doc, context } = options;
  const root = isObject(doc.planned_values) ? doc.planned_values.root_module : isObject(doc.values) ? doc.values.root_module : undefined;
  const unknown = unknownAttributes(doc);
  const launchers = new Map<string, NodeDefinition>();
  const groups: PlannedResource[] = [];
  for (const r of resourcesOf(root)) {
    if (r.type === 'aws_eks_node_group') {
      if (typeof r.values.ami_type === 'string' && r.values.ami_type.startsWith('BOTTLEROCKET_')) groups.push(r);
      continue;
    }
    if (!LAUNCHERS.has(r.type)) continue;
    const def = newDefinition('Terraform', r.address, 1);
    const image = typeof r.values.image_id === 'string' ? r.values.image_id : typeof r.values.ami === 'string' ? r.values.ami : '';
    const named = variantInText(image);
    if (named) def.variant = { id: named, why: `image ${image}` };
    const userData = r.values.user_data ?? r.values.user_data_base64;
    let bottlerocket = named !== undefined;
    if (typeof userData === 'string') {
      const text = decodeUserData(userData);
      if (mentionsSettings(text)) {
        bottlerocket = true;
        readUserData(def, text, { context, syntax: 'none', fileLine: () => 1 });
      }
    } else if (unknown.get(r.address)?.user_data === true || unknown.get(r.address)?.user_data_base64 === true) {
      def.unknown = `${r.address}.user_data (known after apply)`;
    }
    readMetadata(def, r, unknown.get(r.address));
    if (bottlerocket || def.unknown !== undefined) launchers.set(configAddress(r.address), def);
  }
  const references = configurationReferences(doc);
  const consumed = new Set<string>();
  const out: NodeDefinition[] = [];
  for (const group of groups) {
    const refs = references.get(configAddress(group.address)) ?? [];
    const template = refs.map((ref) => ref.replace(/\.(id|name|latest_version|default_version)$/, '')).find((ref) => launchers.has(ref));
    const def = (template ? launchers.get(template) : undefined) ?? newDefinition('Terraform', group.address, 1);
    if (template) consumed.add(template);
    def.definition = group.address;
    def.variant = amiTypeVariant(group.values.ami_type as string);
    const remote = group.values.remote_access;
    managedNodeGroupRules(def, { remoteAccess: Array.isArray(remote) && remote.length > 0, by: 'EKS (remote_access)', line: 1 });
    out.push(def);
  }
  // A launch template a Bottlerocket node group uses is scanned as that group; one no group uses, as itself, when it is
  // known to be Bottlerocket's (user data of unknown content alone does not say).
  for (const [address, def] of launchers) if (!consumed.has(address) && (def.unknown === undefined || def.variant)) out.push(def);
  return out;
}

function readMetadata(def: NodeDefinition, r: PlannedResource, unknown: Record<string, unknown> | undefined): void {
  const options = Array.isArray(r.values.metadata_options) ? r.values.metadata_options[0] : undefined;
  if (!isObject(options)) return;
  const later = (key: string) => new UnknownValue(`${r.address}.metadata_options.${key} (known after apply)`);
  const unknownOptions =
    Array.isArray(unknown?.metadata_options) && isObject(unknown.metadata_options[0]) ? unknown.metadata_options[0] : {};
  def.metadata = {
    httpTokens: options.http_tokens ?? (unknownOptions.http_tokens ? later('http_tokens') : undefined),
    hopLimit:
      options.http_put_response_hop_limit ??
      (unknownOptions.http_put_response_hop_limit ? later('http_put_response_hop_limit') : undefined),
    source: 'metadata_options',
  };
}
