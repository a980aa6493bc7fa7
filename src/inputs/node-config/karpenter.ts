// Karpenter's EC2NodeClass (karpenter.k8s.aws/v1, v1beta1) and AWSNodeTemplate (v1alpha1) as the nodes they launch.
// Karpenter re-renders Bottlerocket user data (karpenter-provider-aws, pkg/providers/amifamily/bootstrap/bottlerocket.go
// and bottlerocketsettings.go): it keeps only the settings.kubernetes keys its struct models, overwrites the cluster's
// own keys, writes spec.kubelet's fields, replaces node-taints with the NodePool's, and passes other tables through.
import { UnknownValue } from '../../settings/unknown.js';
import { isObject } from '../../values.js';
import {
  newDefinition,
  readUserData,
  toolDrops,
  toolSets,
  variantInText,
  where,
  type NodeDefinition,
  type ReaderContext,
} from './definition.js';
import { InputError } from '../../errors.js';
import { at, entries, field, isSeq, lineOf, scalar, str, textLineMapper, type Node } from './yaml-nodes.js';
import type { LineCounter } from 'yaml';

/**
 * The settings.kubernetes keys Karpenter's BottlerocketKubernetes struct models (as of karpenter-provider-aws
 * 004db03, 2025); any other key is dropped. Releases before it dropped more (pod-pids-limit until issue 6350).
 */
const MODELED_KUBERNETES = new Set([
  'api-server',
  'cloud-provider',
  'cluster-certificate',
  'cluster-name',
  'cluster-dns-ip',
  'credential-providers',
  'node-labels',
  'node-taints',
  'max-pods',
  'static-pods',
  'eviction-hard',
  'eviction-soft',
  'eviction-soft-grace-period',
  'eviction-max-pod-grace-period',
  'kube-reserved',
  'system-reserved',
  'allowed-unsafe-sysctls',
  'server-tls-bootstrap',
  'registry-qps',
  'registry-burst',
  'event-qps',
  'event-burst',
  'kube-api-qps',
  'kube-api-burst',
  'container-log-max-size',
  'container-log-max-files',
  'cpu-manager-policy',
  'cpu-manager-policy-options',
  'cpu-manager-reconcile-period',
  'topology-manager-scope',
  'topology-manager-policy',
  'image-gc-high-threshold-percent',
  'image-gc-low-threshold-percent',
  'ids-per-pod',
  'cpu-cfs-quota-enforced',
  'shutdown-grace-period',
  'shutdown-grace-period-for-critical-pods',
  'cluster-domain',
  'seccomp-default',
  'pod-pids-limit',
  'device-ownership-from-security-context',
  'single-process-oom-kill',
  'container-log-max-workers',
  'container-log-monitor-interval',
  'hostname-override-source',
  'log-level',
]);
/** Fields Karpenter models inside entries of these tables; others are dropped. */
const MODELED_ENTRIES: Record<string, Set<string>> = {
  'credential-providers': new Set(['enabled', 'cache-duration', 'image-patterns', 'environment']),
  'static-pods': new Set(['enabled', 'manifest']),
};
const MODELED_BOOTSTRAP_COMMAND = new Set(['commands', 'mode', 'essential']);

/** spec.kubelet fields and the settings.kubernetes key each becomes. */
const KUBELET_FIELDS: [string, string, (v: unknown) => unknown][] = [
  ['maxPods', 'max-pods', (v) => v],
  ['systemReserved', 'system-reserved', (v) => v],
  ['kubeReserved', 'kube-reserved', (v) => v],
  ['evictionHard', 'eviction-hard', (v) => v],
  ['evictionSoft', 'eviction-soft', (v) => v],
  ['evictionSoftGracePeriod', 'eviction-soft-grace-period', (v) => v],
  ['evictionMaxPodGracePeriod', 'eviction-max-pod-grace-period', (v) => v],
  ['imageGCHighThresholdPercent', 'image-gc-high-threshold-percent', (v) => String(v)],
  ['imageGCLowThresholdPercent', 'image-gc-low-threshold-percent', (v) => String(v)],
  ['cpuCFSQuota', 'cpu-cfs-quota-enforced', (v) => v],
];

const KINDS = new Set([
  'karpenter.k8s.aws/v1 EC2NodeClass',
  'karpenter.k8s.aws/v1beta1 EC2NodeClass',
  'karpenter.k8s.aws/v1alpha1 AWSNodeTemplate',
]);

export const isKarpenterNodeClass = (apiVersion: string, kind: string): boolean => KINDS.has(`${apiVersion} ${kind}`);

/** Whether the node class launches Bottlerocket, and which variant it names. */
function bottlerocketOf(spec: Node): { custom: boolean; variant?: NodeDefinition['variant'] } | null {
  const family = str(field(spec, 'amiFamily'));
  const terms = field(spec, 'amiSelectorTerms');
  for (const term of isSeq(terms) ? (terms.items as Node[]) : []) {
    const alias = str(field(term, 'alias'));
    if (alias?.startsWith('bottlerocket@'))
      return {
        custom: false,
        variant: { family: 'aws-k8s', why: `amiSelectorTerms alias ${alias} is an aws-k8s variant for the cluster's Kubernetes version` },
      };
    const parameter = str(field(term, 'ssmParameter'));
    const named = parameter ? variantInText(parameter) : undefined;
    if (named) return { custom: family === 'Custom', variant: { id: named, why: `amiSelectorTerms ssmParameter ${parameter}` } };
  }
  if (family === 'Bottlerocket')
    return { custom: false, variant: { family: 'aws-k8s', why: 'amiFamily Bottlerocket is an aws-k8s variant' } };
  return null;
}

export function readKarpenter(options: {
  doc: Node;
  kind: string;
  apiVersion: string;
  lineCounter: LineCounter;
  context: ReaderContext;
}): NodeDefinition | null {
  const { doc, kind, apiVersion, lineCounter, context } = options;
  const spec = field(doc, 'spec');
  const image = bottlerocketOf(spec);
  if (!image) return null;
  const name = str(at(doc, 'metadata', 'name')) ?? '(unnamed)';
  const def = newDefinition('Karpenter', `${kind}/${name}`, lineOf(lineCounter, doc) ?? 1);
  if (image.variant) def.variant = image.variant;
  const userData = field(spec, 'userData');
  const text = str(userData);
  if (text !== undefined) readUserData(def, text, { context, syntax: 'none', fileLine: textLineMapper(lineCounter, userData) });
  else if (userData !== undefined && scalar(userData) !== null) throw new InputError(where(context, def), 'spec.userData is not text');
  // amiFamily Custom: Karpenter passes user data through as written.
  if (!image.custom) applyMergeRules(def, spec, lineCounter);
  readMetadataOptions(def, spec, apiVersion, lineCounter);
  return def;
}

function applyMergeRules(def: NodeDefinition, spec: Node, lineCounter: LineCounter): void {
  const k8s = def.settings.kubernetes;
  // Karpenter reads settings.kubernetes into its struct; anything else there fails that read.
  if (k8s !== undefined && (!isObject(k8s) || k8s instanceof UnknownValue)) {
    def.mergeProblem = 'settings.kubernetes in spec.userData is not a table, which Karpenter cannot read';
    return;
  }
  if (isObject(k8s) && !(k8s instanceof UnknownValue)) {
    for (const key of Object.keys(k8s)) {
      if (!MODELED_KUBERNETES.has(key)) {
        toolDrops(
          def,
          ['kubernetes', key],
          'Karpenter keeps only the settings.kubernetes keys it models; karpenter-provider-aws issue 8126',
        );
        continue;
      }
      const modeled = MODELED_ENTRIES[key];
      const table = k8s[key];
      if (modeled && isObject(table))
        for (const [entry, fields] of Object.entries(table))
          if (isObject(fields))
            for (const f of Object.keys(fields))
              if (!modeled.has(f))
                toolDrops(
                  def,
                  ['kubernetes', key, entry, f],
                  `Karpenter models only ${[...modeled].join(', ')} in settings.kubernetes.${key} entries`,
                );
    }
    if ('node-taints' in k8s)
      toolDrops(
        def,
        ['kubernetes', 'node-taints'],
        'Karpenter replaces settings.kubernetes.node-taints with the taints of the NodePool that launches the node',
      );
  }
  const commands = def.settings['bootstrap-commands'];
  if (isObject(commands))
    for (const [name, command] of Object.entries(commands))
      if (isObject(command))
        for (const f of Object.keys(command))
          if (!MODELED_BOOTSTRAP_COMMAND.has(f))
            toolDrops(def, ['bootstrap-commands', name, f], 'Karpenter models only commands, mode and essential in bootstrap commands');
  for (const key of ['cluster-name', 'api-server', 'cluster-certificate'])
    toolSets(def, ['kubernetes', key], new UnknownValue(`the cluster's ${key}, which Karpenter writes`), 'Karpenter (from the cluster)');
  const autoscaling = def.settings.autoscaling;
  if (isObject(autoscaling) && 'should-wait' in autoscaling)
    toolSets(def, ['autoscaling', 'should-wait'], false, 'Karpenter (it sets autoscaling.should-wait to false)');
  const kubelet = field(spec, 'kubelet');
  for (const [from, to, convert] of KUBELET_FIELDS) {
    const node = field(kubelet, from);
    if (node === undefined || node === null) continue;
    const value = scalar(node) ?? plainMap(node);
    if (value !== undefined)
      toolSets(def, ['kubernetes', to], convert(value), `Karpenter (spec.kubelet.${from})`, lineOf(lineCounter, node));
  }
  const dns = field(kubelet, 'clusterDNS');
  const first = isSeq(dns) ? str(dns.items[0] as Node) : undefined;
  if (first) toolSets(def, ['kubernetes', 'cluster-dns-ip'], first, 'Karpenter (spec.kubelet.clusterDNS)', lineOf(lineCounter, dns));
}

function plainMap(node: Node): Record<string, unknown> | undefined {
  const pairs = entries(node);
  if (pairs.length === 0) return undefined;
  return Object.fromEntries(pairs.map(([k, , v]) => [k, scalar(v)]));
}

/** IMDS options: what the node class sets, else Karpenter's defaults (hop limit 1 from v1, 2 before). */
function readMetadataOptions(def: NodeDefinition, spec: Node, apiVersion: string, lineCounter: LineCounter): void {
  const options = field(spec, 'metadataOptions');
  const hopDefault = apiVersion === 'karpenter.k8s.aws/v1' ? 1 : 2;
  const tokens = field(options, 'httpTokens');
  const hops = field(options, 'httpPutResponseHopLimit');
  def.metadata = {
    httpTokens: scalar(tokens) ?? 'required',
    hopLimit: scalar(hops) ?? hopDefault,
    source: options === undefined ? `Karpenter's defaults for ${apiVersion}` : 'spec.metadataOptions',
  };
  const line = lineOf(lineCounter, options);
  def.itemLines['metadataOptions.httpTokens'] = lineOf(lineCounter, tokens) ?? line ?? def.line;
  def.itemLines['metadataOptions.httpPutResponseHopLimit'] = lineOf(lineCounter, hops) ?? line ?? def.line;
}
