// Facts a node definition holds beside its settings (read from a Karpenter, eksctl, Terraform, CloudFormation or EKS
// file): the settings the tool drops before the node sees them, and the instance metadata options it launches with.
import { settingPath } from '../settings/names.js';
import type { HostInput, NodeConfig } from '../types.js';
import type { Fact } from './captures.js';
import { define, found, missing, type Selection } from './definition.js';
import { UnknownValue } from '../settings/unknown.js';

/** How the items are named in evidence, and so in reports and their line anchors (NodeConfig.itemLines). */
export const NODE_CONFIG_ITEMS = {
  dropped: 'settings the file writes that the tool drops',
  'metadata.httpTokens': 'metadataOptions.httpTokens',
  'metadata.hopLimit': 'metadataOptions.httpPutResponseHopLimit',
} as const;

/** A metadata option: missing when the definition leaves it to the account; unusable when it is of the wrong type. */
function metadataValue(value: unknown, type: 'string' | 'number', name: string): Selection {
  if (value === undefined || value === null) return missing;
  if (value instanceof UnknownValue || typeof value === type) return found(value);
  return { found: false, incomplete: `${name} is ${JSON.stringify(value)}, not a ${type}` };
}

function nodeConfigOf(input: HostInput): Fact<NodeConfig> {
  const config = input.nodeConfig;
  if (!config)
    return {
      state: 'absent',
      sources: ['a node definition'],
      why: 'only node definitions (Karpenter, eksctl, Terraform, CloudFormation, EKS files) have this',
    };
  return { state: 'ok', source: `${config.tool} ${config.definition}`, value: config };
}

export const NODE_CONFIG = define({
  key: 'required',
  keyDoc: '`dropped`, `metadata.httpTokens` or `metadata.hopLimit`',
  valueDoc:
    'from node definitions only: the settings the file writes that its tool drops (as `settings.…: why`), and the IMDS options the node launches with (absent when the definition leaves them to the account)',
  captures: [],
  allowEmpty: false,
  parse: () => null,
  fromInput: nodeConfigOf,
  select: (config: NodeConfig, key) => {
    if (key === 'dropped') {
      if (config.mergeProblem) return { found: false, incomplete: config.mergeProblem };
      // What a tool drops is decided by the user data; unknown user data leaves that open.
      if (config.unknownUserData !== undefined) return found(new UnknownValue(config.unknownUserData));
      return found(config.dropped.map((d) => `${settingPath(d.path)} (${d.why})`));
    }
    const metadata = config.metadata;
    if (key === 'metadata.httpTokens') return metadataValue(metadata?.httpTokens, 'string', 'httpTokens');
    if (key === 'metadata.hopLimit') return metadataValue(metadata?.hopLimit, 'number', 'httpPutResponseHopLimit');
    return missing;
  },
  describe: (key) => NODE_CONFIG_ITEMS[key as keyof typeof NODE_CONFIG_ITEMS] ?? String(key),
});
