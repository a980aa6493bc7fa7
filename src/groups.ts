// Roll-ups by group (`--group-by`): which node groups, Bottlerocket versions, variants or tag values fail what. A
// host's group is read from what the scan already has: its variant, its OS version, or its tags (the node group and
// NodePool tags EKS, eksctl and Karpenter put on instances).
import { UsageError } from './errors.js';
import type { HostResult } from './types.js';

export type GroupBy = 'variant' | 'version' | 'nodegroup' | `tag:${string}`;

/** The tags that name a node's group, most specific first: EKS managed node groups, Karpenter, eksctl. */
export const NODEGROUP_TAGS = ['eks:nodegroup-name', 'karpenter.sh/nodepool', 'alpha.eksctl.io/nodegroup-name'] as const;

/** A host whose input says nothing of the grouping. */
export const UNGROUPED = '(none)';

export function parseGroupBy(value: string): GroupBy {
  if (value === 'variant' || value === 'version' || value === 'nodegroup') return value;
  if (/^tag:.+/.test(value)) return value as GroupBy;
  throw new UsageError(`groupBy "${value}": expected variant, version, nodegroup or tag:<key>`, 'groupBy');
}

export function groupOf(host: Pick<HostResult, 'host' | 'variant' | 'osVersion'>, by: GroupBy): string {
  const tags = host.host.tags ?? {};
  switch (by) {
    case 'variant':
      return host.variant.id ?? host.variant.family ?? UNGROUPED;
    case 'version':
      return host.osVersion ?? UNGROUPED;
    case 'nodegroup':
      for (const tag of NODEGROUP_TAGS) if (tags[tag]) return tags[tag];
      return UNGROUPED;
    default:
      return tags[by.slice(4)] ?? UNGROUPED;
  }
}
