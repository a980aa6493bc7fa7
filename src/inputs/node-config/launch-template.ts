// EC2 launch template versions as `aws ec2 describe-launch-template-versions` prints them (and as
// `brsec collect --launch-templates` writes them, with the image names beside): each version that runs Bottlerocket
// is a host, its user data the node's settings.
import { isObject } from '../../values.js';
import { mentionsSettings, newDefinition, readUserData, variantInText, type NodeDefinition, type ReaderContext } from './definition.js';
import { field, isSeq, lineOf, parseYamlDocuments, type Node } from './yaml-nodes.js';

export const isLaunchTemplateVersions = (doc: Record<string, unknown>): boolean =>
  Array.isArray(doc.LaunchTemplateVersions) && doc.LaunchTemplateVersions.every((v) => isObject(v) && isObject(v.LaunchTemplateData));

export function readLaunchTemplateVersions(options: {
  doc: Record<string, unknown>;
  text: string;
  context: ReaderContext;
}): NodeDefinition[] {
  const { doc, text, context } = options;
  const images = new Map<string, string>();
  for (const image of Array.isArray(doc.Images) ? doc.Images : [])
    if (isObject(image) && typeof image.ImageId === 'string' && typeof image.Name === 'string') images.set(image.ImageId, image.Name);
  // The line of each version, for reports: the file may list several.
  const { documents, lineCounter } = parseYamlDocuments(text);
  const items = field(documents[0]?.contents as Node, 'LaunchTemplateVersions');
  const lines = isSeq(items) ? (items.items as Node[]).map((n) => lineOf(lineCounter, n) ?? 1) : [];
  const out: NodeDefinition[] = [];
  (doc.LaunchTemplateVersions as Record<string, unknown>[]).forEach((version, i) => {
    const data = version.LaunchTemplateData as Record<string, unknown>;
    const imageId = typeof data.ImageId === 'string' ? data.ImageId : undefined;
    const imageName = imageId ? images.get(imageId) : undefined;
    const userData = typeof data.UserData === 'string' ? Buffer.from(data.UserData, 'base64').toString('utf8') : undefined;
    const bottlerocketData = userData !== undefined && mentionsSettings(userData);
    if (!imageName?.startsWith('bottlerocket-') && !bottlerocketData) return;
    const name = `${String(version.LaunchTemplateName ?? version.LaunchTemplateId)} (${String(version.LaunchTemplateId)}) version ${String(version.VersionNumber)}`;
    const line = lines[i] ?? 1;
    const def = newDefinition('EC2 launch template', name, line);
    const named = imageName ? variantInText(imageName) : undefined;
    if (named) def.variant = { id: named, why: `image ${imageName}` };
    if (bottlerocketData) readUserData(def, userData, { context, syntax: 'none', fileLine: () => line });
    const metadata = isObject(data.MetadataOptions) ? data.MetadataOptions : undefined;
    if (metadata) def.metadata = { httpTokens: metadata.HttpTokens, hopLimit: metadata.HttpPutResponseHopLimit, source: 'MetadataOptions' };
    out.push(def);
  });
  return out;
}
