// EKS Auto Mode's NodeClass (eks.amazonaws.com/v1) and EKS Anywhere's machine configs (anywhere.eks.amazonaws.com):
// no user data TOML, but fields that decide Bottlerocket settings.
import type { LineCounter } from 'yaml';
import { isObject } from '../../values.js';
import { newDefinition, toolSets, type NodeDefinition } from './definition.js';
import { at, entries, field, isSeq, lineOf, plain, scalar, str, type Node } from './yaml-nodes.js';

export const isAutoModeNodeClass = (apiVersion: string, kind: string): boolean =>
  apiVersion === 'eks.amazonaws.com/v1' && kind === 'NodeClass';

/**
 * An Auto Mode NodeClass: AWS's Bottlerocket-based image for the cluster's Kubernetes version, FIPS when
 * `advancedSecurity.fips` is true, and the kernel lockdown `advancedSecurity.kernelLockdown` names.
 */
export function readAutoMode(options: { doc: Node; lineCounter: LineCounter }): NodeDefinition {
  const { doc, lineCounter } = options;
  const name = str(at(doc, 'metadata', 'name')) ?? '(unnamed)';
  const def = newDefinition('EKS Auto Mode', `NodeClass/${name}`, lineOf(lineCounter, doc) ?? 1);
  const security = at(doc, 'spec', 'advancedSecurity');
  const fips = field(security, 'fips');
  def.variant = {
    family: 'aws-k8s',
    why: "EKS Auto Mode runs AWS's Bottlerocket-based aws-k8s image for the cluster's Kubernetes version",
    ...(scalar(fips) === true ? { fips: true } : {}),
  };
  if (scalar(fips) === true) def.variant.why += '; advancedSecurity.fips selects its FIPS image';
  const lockdown = field(security, 'kernelLockdown');
  const mode = str(lockdown);
  if (mode)
    toolSets(def, ['kernel', 'lockdown'], mode, 'EKS Auto Mode (spec.advancedSecurity.kernelLockdown)', lineOf(lineCounter, lockdown));
  return def;
}

const ANYWHERE_FAMILY: Record<string, string> = {
  VSphereMachineConfig: 'vmware-k8s',
  TinkerbellMachineConfig: 'metal-k8s',
};

export const isAnywhereMachineConfig = (apiVersion: string, kind: string): boolean =>
  apiVersion.startsWith('anywhere.eks.amazonaws.com/') && kind.endsWith('MachineConfig');

/** An EKS Anywhere machine config with osFamily bottlerocket: the settings its bottlerocketConfiguration renders. */
export function readAnywhere(options: { doc: Node; kind: string; lineCounter: LineCounter }): NodeDefinition | null {
  const { doc, kind, lineCounter } = options;
  const spec = field(doc, 'spec');
  if (str(field(spec, 'osFamily'))?.toLowerCase() !== 'bottlerocket') return null;
  const name = str(at(doc, 'metadata', 'name')) ?? '(unnamed)';
  const def = newDefinition('EKS Anywhere', `${kind}/${name}`, lineOf(lineCounter, doc) ?? 1);
  const family = ANYWHERE_FAMILY[kind];
  def.variant = family
    ? { family, why: `an EKS Anywhere ${kind} runs a ${family} variant` }
    : { family: 'aws-k8s', why: `an EKS Anywhere ${kind} is assumed to run a Kubernetes variant` };
  const config = at(spec, 'hostOSConfiguration', 'bottlerocketConfiguration');
  const by = (f: string) => `EKS Anywhere (bottlerocketConfiguration.${f})`;
  const set = (path: string[], node: Node, f: string, value: unknown = plain(node)) => {
    if (value !== undefined && value !== null) toolSets(def, path, value, by(f), lineOf(lineCounter, node));
  };
  const k8s = field(config, 'kubernetes');
  set(['kubernetes', 'allowed-unsafe-sysctls'], field(k8s, 'allowedUnsafeSysctls'), 'kubernetes.allowedUnsafeSysctls');
  set(['kubernetes', 'cluster-dns-ip'], field(k8s, 'clusterDNSIPs'), 'kubernetes.clusterDNSIPs');
  set(['kubernetes', 'max-pods'], field(k8s, 'maxPods'), 'kubernetes.maxPods');
  const sysctls = at(config, 'kernel', 'sysctlSettings');
  for (const [key, , value] of entries(sysctls))
    set(['kernel', 'sysctl', key], value, `kernel.sysctlSettings.${key}`, String(scalar(value)));
  const boot = at(config, 'boot', 'bootKernelParameters');
  for (const [key, , value] of entries(boot)) set(['boot', 'kernel', key], value, `boot.bootKernelParameters.${key}`);
  const ntp = at(spec, 'hostOSConfiguration', 'ntpConfiguration', 'servers');
  if (isSeq(ntp)) set(['ntp', 'time-servers'], ntp, 'ntpConfiguration.servers');
  // EKS Anywhere reaches Bottlerocket nodes over SSH through the admin container, enabled with the users' keys.
  const users = field(spec, 'users');
  const keys =
    isSeq(users) &&
    (users.items as Node[]).some(
      (u) => isSeq(field(u, 'sshAuthorizedKeys')) && (field(u, 'sshAuthorizedKeys') as { items: unknown[] }).items.length > 0,
    );
  if (keys) set(['host-containers', 'admin', 'enabled'], users, 'users', true);
  if (keys)
    def.written['host-containers\u0000admin\u0000enabled'] =
      'EKS Anywhere (spec.users[].sshAuthorizedKeys: SSH reaches the node through the admin container)';
  return isObject(def.settings) ? def : null;
}
