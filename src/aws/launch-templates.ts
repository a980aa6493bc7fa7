// EC2 launch templates in an account: the versions in use (each template's default and latest) whose image is
// Bottlerocket or whose user data is Bottlerocket's, read with DescribeLaunchTemplates, DescribeLaunchTemplateVersions
// and DescribeImages. Each comes back in the shape `aws ec2 describe-launch-template-versions` prints, with the image
// names beside it, so `brsec collect --launch-templates` writes files that `brsec scan` reads as the AWS CLI's would.
import type { EC2ClientConfig } from '@aws-sdk/client-ec2';
import { retrySettings } from './retry.js';
import { mentionsSettings } from '../inputs/node-config/definition.js';

export interface LaunchTemplateOptions {
  region: string;
  profile?: string;
  /** Templates by id (lt-…) or name; by default every template of the region. */
  templates?: string[];
  /** For tests: extra client settings (endpoint, credentials, retry strategy). */
  clientConfig?: Partial<EC2ClientConfig>;
}

/** One launch template version as `describe-launch-template-versions` prints it, with its image's name. */
export interface LaunchTemplateRecord {
  LaunchTemplateVersions: Record<string, unknown>[];
  Images: { ImageId: string; Name?: string }[];
}

const isBottlerocketImage = (name: string | undefined): boolean => name?.startsWith('bottlerocket-') ?? false;

/** Whether base64 user data reads as Bottlerocket's TOML (a `[settings…]` table). */
function isBottlerocketUserData(userData: unknown): boolean {
  return typeof userData === 'string' && mentionsSettings(Buffer.from(userData, 'base64').toString('utf8'));
}

/** The EC2 SDK, loaded on first use, and a client for the region. */
async function openEc2(options: Omit<LaunchTemplateOptions, 'templates'>) {
  const ec2 = await import('@aws-sdk/client-ec2');
  const client = new ec2.EC2Client({
    region: options.region,
    ...(options.profile ? { profile: options.profile } : {}),
    ...retrySettings(),
    ...options.clientConfig,
  });
  return { ec2, client };
}

/** The versions in use of every (or each named) launch template that runs Bottlerocket, one record per version. */
export async function* readLaunchTemplates(options: LaunchTemplateOptions): AsyncGenerator<LaunchTemplateRecord> {
  const { ec2, client } = await openEc2(options);
  try {
    const ids = options.templates?.filter((t) => /^lt-[0-9a-f]+$/.test(t));
    const names = options.templates?.filter((t) => !/^lt-[0-9a-f]+$/.test(t));
    const templates: { id: string }[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(
        new ec2.DescribeLaunchTemplatesCommand({
          ...(ids?.length ? { LaunchTemplateIds: ids } : {}),
          ...(names?.length ? { LaunchTemplateNames: names } : {}),
          ...(options.templates ? {} : { MaxResults: 200 }),
          ...(token ? { NextToken: token } : {}),
        }),
      );
      for (const t of page.LaunchTemplates ?? []) if (t.LaunchTemplateId) templates.push({ id: t.LaunchTemplateId });
      token = page.NextToken;
    } while (token);
    for (const { id } of templates) {
      const page = await client.send(
        new ec2.DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: id, Versions: ['$Default', '$Latest'] }),
      );
      const seen = new Set<number>();
      const versions = (page.LaunchTemplateVersions ?? []).filter((v) => {
        const n = v.VersionNumber ?? 0;
        if (seen.has(n)) return false;
        seen.add(n);
        return true;
      });
      const imageIds = [...new Set(versions.flatMap((v) => (v.LaunchTemplateData?.ImageId ? [v.LaunchTemplateData.ImageId] : [])))];
      const images = await imageNames(client, ec2, imageIds);
      for (const v of versions) {
        const imageId = v.LaunchTemplateData?.ImageId;
        const name = imageId ? images.get(imageId) : undefined;
        if (!isBottlerocketImage(name) && !isBottlerocketUserData(v.LaunchTemplateData?.UserData)) continue;
        yield {
          LaunchTemplateVersions: [JSON.parse(JSON.stringify(v)) as Record<string, unknown>],
          Images: imageId ? [{ ImageId: imageId, ...(name ? { Name: name } : {}) }] : [],
        };
      }
    }
  } finally {
    client.destroy();
  }
}

/** Image names by id; an image that is gone (deregistered, or shared no more) has none. */
async function imageNames(
  client: import('@aws-sdk/client-ec2').EC2Client,
  ec2: typeof import('@aws-sdk/client-ec2'),
  ids: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (ids.length === 0) return out;
  const describe = async (batch: readonly string[]) => {
    const page = await client.send(new ec2.DescribeImagesCommand({ ImageIds: [...batch] }));
    for (const image of page.Images ?? []) if (image.ImageId && image.Name) out.set(image.ImageId, image.Name);
  };
  try {
    await describe(ids);
  } catch (err) {
    // One missing image fails the whole call: ask for each on its own, and leave the missing ones nameless.
    if (!/^InvalidAMIID\./.test((err as { name?: string }).name ?? '')) throw err;
    for (const id of ids)
      await describe([id]).catch((e: unknown) => {
        if (!/^InvalidAMIID\./.test((e as { name?: string }).name ?? '')) throw e;
      });
  }
  return out;
}

/** The launch template version an EC2 instance was launched from, read from the tags EC2 gives it. */
export class LaunchTemplateResolver {
  private readonly versions = new Map<string, Promise<LaunchTemplateRecord | null>>();

  private constructor(
    private readonly client: import('@aws-sdk/client-ec2').EC2Client,
    private readonly ec2: typeof import('@aws-sdk/client-ec2'),
  ) {}

  static async open(options: Omit<LaunchTemplateOptions, 'templates'>): Promise<LaunchTemplateResolver> {
    const { ec2, client } = await openEc2(options);
    return new LaunchTemplateResolver(client, ec2);
  }

  close(): void {
    this.client.destroy();
  }

  /**
   * The version an instance was launched from (its aws:ec2launchtemplate:id and :version tags), or why there is none.
   * Versions are read once per scan, as many hosts share one.
   */
  async launchedFrom(instanceId: string): Promise<LaunchTemplateRecord | { why: string }> {
    if (!/^i-[0-9a-f]{8,17}$/.test(instanceId)) return { why: `${instanceId} is not an EC2 instance id` };
    let page;
    try {
      page = await this.client.send(new this.ec2.DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    } catch (err) {
      if (/^InvalidInstanceID\./.test((err as { name?: string }).name ?? '')) return { why: `EC2 does not know ${instanceId}` };
      throw err;
    }
    const instance = page.Reservations?.[0]?.Instances?.[0];
    if (!instance) return { why: `EC2 does not know ${instanceId}` };
    const tag = (key: string) => instance.Tags?.find((t) => t.Key === key)?.Value;
    const id = tag('aws:ec2launchtemplate:id');
    const version = tag('aws:ec2launchtemplate:version');
    if (!id || !version) return { why: `${instanceId} was not launched from a launch template (it has no aws:ec2launchtemplate tags)` };
    const key = `${id}\u0000${version}`;
    let record = this.versions.get(key);
    if (!record) this.versions.set(key, (record = this.readVersion(id, version)));
    return (await record) ?? { why: `launch template ${id} version ${version} is gone` };
  }

  private async readVersion(id: string, version: string): Promise<LaunchTemplateRecord | null> {
    try {
      const page = await this.client.send(
        new this.ec2.DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: id, Versions: [version] }),
      );
      const found = page.LaunchTemplateVersions?.[0];
      return found ? { LaunchTemplateVersions: [JSON.parse(JSON.stringify(found)) as Record<string, unknown>], Images: [] } : null;
    } catch (err) {
      if (/^InvalidLaunchTemplate/.test((err as { name?: string }).name ?? '')) return null;
      throw err;
    }
  }
}
