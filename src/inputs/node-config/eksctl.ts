// eksctl's ClusterConfig (eksctl.io/v1alpha5): each Bottlerocket node group as the nodes it launches. eksctl turns
// `bottlerocket.settings` into user data TOML and adds to it (pkg/nodebootstrap/bottlerocket.go, managed_bottlerocket.go):
// the cluster's keys, labels, taints, max pods and cluster DNS from the node group, and the admin container from
// `bottlerocket.enableAdminContainer`, which defaults to `ssh.allow` (pkg/apis/eksctl.io/v1alpha5 defaults).
import type { LineCounter } from 'yaml';
import { UnknownValue } from '../../settings/unknown.js';
import { isObject } from '../../values.js';
import {
  newDefinition,
  normaliseBootAliases,
  pathKey,
  readUserData,
  toolSets,
  type NodeDefinition,
  type ReaderContext,
} from './definition.js';
import { at, entries, field, isSeq, keyLines, lineOf, plain, scalar, str, textLineMapper, type Node } from './yaml-nodes.js';
import { InputError } from '../../errors.js';
import { settingsProblem } from '../../limits.js';

export const isEksctlConfig = (apiVersion: string, kind: string): boolean =>
  apiVersion === 'eksctl.io/v1alpha5' && kind === 'ClusterConfig';

export function readEksctl(options: { doc: Node; lineCounter: LineCounter; context: ReaderContext }): NodeDefinition[] {
  const { doc, lineCounter, context } = options;
  const version = scalar(at(doc, 'metadata', 'version'));
  const out: NodeDefinition[] = [];
  for (const list of ['nodeGroups', 'managedNodeGroups'] as const) {
    const groups = field(doc, list);
    for (const group of isSeq(groups) ? (groups.items as Node[]) : []) {
      if (str(field(group, 'amiFamily'))?.toLowerCase() !== 'bottlerocket') continue;
      const name = str(field(group, 'name')) ?? '(unnamed)';
      const def = newDefinition('eksctl', `${list}/${name}`, lineOf(lineCounter, group) ?? 1);
      def.variant =
        version === undefined || version === null
          ? { family: 'aws-k8s', why: 'amiFamily Bottlerocket is an aws-k8s variant' }
          : { id: `aws-k8s-${String(version)}`, why: `amiFamily Bottlerocket on metadata.version ${String(version)}` };
      readSettings(def, group, lineCounter, context);
      applyMergeRules(def, { group, managed: list === 'managedNodeGroups', lineCounter });
      out.push(def);
    }
  }
  return out;
}

function readSettings(def: NodeDefinition, group: Node, lineCounter: LineCounter, context: ReaderContext): void {
  const override = field(group, 'overrideBootstrapCommand');
  const text = str(override);
  if (text !== undefined) {
    readUserData(def, text, { context, syntax: 'none', fileLine: textLineMapper(lineCounter, override) });
    return;
  }
  const settingsNode = at(group, 'bottlerocket', 'settings');
  const settings = plain(settingsNode);
  if (settings === undefined) return;
  if (!isObject(settings)) throw new InputError(`${context.source} (${def.definition})`, 'bottlerocket.settings is not a mapping');
  const problem = settingsProblem(settings);
  if (problem) throw new InputError(`${context.source} (${def.definition})`, problem);
  def.settings = normaliseBootAliases(settings);
  if (context.locate) keyLines(lineCounter, settingsNode, [], def.lines);
}

function applyMergeRules(def: NodeDefinition, options: { group: Node; managed: boolean; lineCounter: LineCounter }): void {
  const { group, managed, lineCounter } = options;
  const line = (node: Node) => lineOf(lineCounter, node);
  const by = (f: string) => `eksctl (${f})`;
  for (const key of ['cluster-certificate', 'api-server', 'cluster-name'])
    toolSets(
      def,
      ['kubernetes', key],
      new UnknownValue(`the cluster's ${key}, which ${managed ? 'EKS' : 'eksctl'} writes`),
      managed ? 'EKS (from the cluster)' : 'eksctl (from the cluster)',
    );
  if (!managed) {
    const labels = field(group, 'labels');
    if (entries(labels).length > 0) toolSets(def, ['kubernetes', 'node-labels'], plain(labels), by('labels'), line(labels));
    const taints = field(group, 'taints');
    if (isSeq(taints) && taints.items.length > 0) {
      const mapped: Record<string, string> = {};
      for (const t of taints.items as Node[])
        mapped[String(scalar(field(t, 'key')))] = `${String(scalar(field(t, 'value')) ?? '')}:${String(scalar(field(t, 'effect')))}`;
      toolSets(def, ['kubernetes', 'node-taints'], mapped, by('taints'), line(taints));
    }
    const dns = field(group, 'clusterDNS');
    if (str(dns)) toolSets(def, ['kubernetes', 'cluster-dns-ip'], str(dns), by('clusterDNS'), line(dns));
  }
  const maxPods = field(group, 'maxPodsPerNode');
  if (typeof scalar(maxPods) === 'number' && scalar(maxPods) !== 0)
    toolSets(def, ['kubernetes', 'max-pods'], scalar(maxPods), by('maxPodsPerNode'), line(maxPods));
  // The admin container: settings win; else bottlerocket.enableAdminContainer; else ssh.allow, or a key given.
  const containers = def.settings['host-containers'];
  if (isObject(containers) && isObject(containers.admin) && 'enabled' in containers.admin) return;
  const enable = field(field(group, 'bottlerocket'), 'enableAdminContainer');
  const ssh = field(group, 'ssh');
  const allow = field(ssh, 'allow');
  // eksctl turns SSH on when a key is given and ssh.allow is not false (its setSSHDefaults).
  const key = ['publicKeyName', 'publicKeyPath', 'publicKey'].find((k) => str(field(ssh, k)));
  const admin = ['host-containers', 'admin', 'enabled'];
  const through = 'turns on the admin container, through which SSH reaches the node';
  if (typeof scalar(enable) === 'boolean') toolSets(def, admin, scalar(enable), by('bottlerocket.enableAdminContainer'), line(enable));
  else if (typeof scalar(allow) === 'boolean') toolSets(def, admin, scalar(allow), by(`ssh.allow ${through}`), line(allow));
  else if (key) toolSets(def, admin, true, by(`ssh.${key}: a key allows SSH, which ${through}`), line(field(ssh, key)));
  if (def.written[pathKey(admin)] && def.lines[pathKey(admin)] === undefined) def.lines[pathKey(admin)] = def.line;
}
