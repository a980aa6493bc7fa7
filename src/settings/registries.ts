// Bottlerocket's own registries and update repositories per region and partition (data/bottlerocket-endpoints.json),
// rendered as its ecr-prefix and tuf-prefix template helpers render them, so defaults that Bottlerocket generates at
// boot from the region (the admin and control container sources) read as the node will have them.
import { readPackageFile } from '../paths.js';

interface EndpointsData {
  ecrAccounts: Record<string, string>;
  ecrFipsRegions: string[];
  partitions: Record<string, string>;
  tufEndpoints: Record<string, string>;
  fallback: { region: string; account: string };
}

let data: EndpointsData | undefined;
function endpoints(): EndpointsData {
  data ??= JSON.parse(readPackageFile('data/bottlerocket-endpoints.json')) as EndpointsData;
  return data;
}

const DOMAINS: Record<string, string> = { 'aws-cn': 'amazonaws.com.cn', 'aws-iso-e': 'cloud.adc-e.uk' };

/** The partition of a region, as Bottlerocket maps it: `aws` unless the region is in another. */
export function partitionOf(region: string): string {
  return Object.hasOwn(endpoints().partitions, region) ? (endpoints().partitions[region] as string) : 'aws';
}

/**
 * The registry Bottlerocket pulls its own host containers from in a region: the account mapped to the region (or the
 * fallback region and account for one it does not map), on the FIPS endpoint where a FIPS variant runs in a region
 * that has one.
 */
export function bottlerocketRegistry(region: string, fips: boolean): string {
  const e = endpoints();
  const known = Object.hasOwn(e.ecrAccounts, region);
  const r = known ? region : e.fallback.region;
  const account = known ? (e.ecrAccounts[region] as string) : e.fallback.account;
  const partition = partitionOf(r);
  if (partition in DOMAINS) return `${account}.dkr.ecr.${r}.${DOMAINS[partition]}`;
  const suffix = fips && e.ecrFipsRegions.includes(r) ? '-fips' : '';
  return `${account}.dkr.ecr${suffix}.${r}.amazonaws.com`;
}

/** Every registry Bottlerocket may pull its own images from, FIPS endpoints included. */
export function bottlerocketRegistries(): string[] {
  const e = endpoints();
  return Object.keys(e.ecrAccounts).flatMap((region) => {
    const plain = bottlerocketRegistry(region, false);
    const fips = bottlerocketRegistry(region, true);
    return fips === plain ? [plain] : [plain, fips];
  });
}

/** The update repository base Bottlerocket uses in a region (tuf-prefix). */
export function bottlerocketUpdateRepository(region: string): string {
  const e = endpoints();
  if (!Object.hasOwn(e.tufEndpoints, region)) return 'https://updates.bottlerocket.aws';
  const domain = DOMAINS[partitionOf(region)] ?? 'amazonaws.com';
  return `https://${e.tufEndpoints[region]}.${region}.${domain}/latest`;
}

/** Every update repository base Bottlerocket uses. */
export function bottlerocketUpdateRepositories(): string[] {
  return ['https://updates.bottlerocket.aws', ...Object.keys(endpoints().tufEndpoints).map(bottlerocketUpdateRepository)];
}

/** `/metadata` where the region's update repository keeps its metadata below a prefix (metadata-prefix). */
export function bottlerocketMetadataPrefix(region: string): string {
  return Object.hasOwn(endpoints().tufEndpoints, region) ? '/metadata' : '';
}

/** The region Bottlerocket renders for when it has none: its fallback for an unmapped region. */
export function fallbackRegion(): string {
  return endpoints().fallback.region;
}

const PLACEHOLDER = /\{(ecr-registry|tuf-prefix|metadata-prefix)\}/g;

/** A default that Bottlerocket generates at boot from the region, rendered for a region and FIPS mode. */
export function renderGenerated(value: string, region: string, fips: boolean): string {
  return value.replace(PLACEHOLDER, (_, helper: string) =>
    helper === 'ecr-registry'
      ? bottlerocketRegistry(region, fips)
      : helper === 'tuf-prefix'
        ? bottlerocketUpdateRepository(region)
        : bottlerocketMetadataPrefix(region),
  );
}

export function isGenerated(value: unknown): value is string {
  return typeof value === 'string' && value.includes('{') && /\{(ecr-registry|tuf-prefix|metadata-prefix)\}/.test(value);
}
