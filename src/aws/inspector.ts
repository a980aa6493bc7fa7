// Amazon Inspector evidence for the EC2 hosts scanned: their coverage (ListCoverage) and their active findings
// (ListFindings), at most 10 resource ids per filter and every page followed. What comes back is kept in the
// snapshot (`aws.inspector2`, docs/snapshot.md), so the scan stays reproducible offline.
import { retrySettings } from './retry.js';
import type { Inspector2ClientConfig } from '@aws-sdk/client-inspector2';
import type { Inspector2Evidence } from '../types.js';

export interface InspectorOptions {
  region: string;
  profile?: string;
  clientConfig?: Partial<Inspector2ClientConfig>;
  now?: () => Date;
}

/** Resource ids per filter, as Inspector allows. */
const IDS_PER_FILTER = 10;

const iso = (d: Date | undefined): string | undefined => (d instanceof Date && !Number.isNaN(d.getTime()) ? d.toISOString() : undefined);

export class InspectorReader {
  private constructor(
    private readonly client: import('@aws-sdk/client-inspector2').Inspector2Client,
    private readonly inspector: typeof import('@aws-sdk/client-inspector2'),
    private readonly options: InspectorOptions,
  ) {}

  static async open(options: InspectorOptions): Promise<InspectorReader> {
    const inspector = await import('@aws-sdk/client-inspector2');
    const client = new inspector.Inspector2Client({
      region: options.region,
      ...(options.profile ? { profile: options.profile } : {}),
      ...retrySettings(),
      ...options.clientConfig,
    });
    return new InspectorReader(client, inspector, options);
  }

  close(): void {
    this.client.destroy();
  }

  /** Evidence for up to 10 EC2 instances at a time; other ids are not Inspector resources and get none. */
  async read(instanceIds: readonly string[]): Promise<Map<string, Inspector2Evidence>> {
    const out = new Map<string, Inspector2Evidence>();
    const collectedAt = (this.options.now ?? (() => new Date()))().toISOString();
    const ids = instanceIds.filter((id) => /^i-[0-9a-f]{8,17}$/.test(id));
    for (let i = 0; i < ids.length; i += IDS_PER_FILTER) {
      const batch = ids.slice(i, i + IDS_PER_FILTER);
      for (const id of batch) out.set(id, { collectedAt, coverage: [], findings: [] });
      const resourceId = batch.map((value) => ({ comparison: 'EQUALS' as const, value }));
      let token: string | undefined;
      do {
        const page: import('@aws-sdk/client-inspector2').ListCoverageCommandOutput = await this.client.send(
          new this.inspector.ListCoverageCommand({
            filterCriteria: { resourceId, resourceType: [{ comparison: 'EQUALS', value: 'AWS_EC2_INSTANCE' }] },
            maxResults: 200,
            ...(token ? { nextToken: token } : {}),
          }),
        );
        for (const c of page.coveredResources ?? []) {
          const evidence = c.resourceId ? out.get(c.resourceId) : undefined;
          if (!evidence) continue;
          evidence.coverage.push({
            scanType: c.scanType ?? 'UNKNOWN',
            statusCode: c.scanStatus?.statusCode ?? 'UNKNOWN',
            ...(c.scanStatus?.reason ? { reason: c.scanStatus.reason } : {}),
            ...(iso(c.lastScannedAt) ? { lastScannedAt: iso(c.lastScannedAt) } : {}),
            ...(c.scanMode ? { scanMode: c.scanMode } : {}),
          });
        }
        token = page.nextToken;
      } while (token);
      token = undefined;
      do {
        const page: import('@aws-sdk/client-inspector2').ListFindingsCommandOutput = await this.client.send(
          new this.inspector.ListFindingsCommand({
            filterCriteria: { resourceId, findingStatus: [{ comparison: 'EQUALS', value: 'ACTIVE' }] },
            maxResults: 100,
            ...(token ? { nextToken: token } : {}),
          }),
        );
        for (const f of page.findings ?? []) {
          for (const resource of f.resources ?? []) {
            const evidence = resource.id ? out.get(resource.id) : undefined;
            if (!evidence) continue;
            const vuln = f.packageVulnerabilityDetails;
            evidence.findings.push({
              arn: f.findingArn ?? '',
              severity: f.severity ?? 'UNTRIAGED',
              status: f.status ?? 'ACTIVE',
              fixAvailable: f.fixAvailable ?? 'NO',
              firstObservedAt: iso(f.firstObservedAt) ?? collectedAt,
              title: f.title ?? '',
              ...(vuln?.vulnerabilityId ? { vulnerabilityId: vuln.vulnerabilityId } : {}),
              ...(vuln?.vulnerablePackages?.length
                ? {
                    packages: vuln.vulnerablePackages
                      .slice(0, 10)
                      .map((p) => `${p.name}@${p.version}${p.fixedInVersion ? ` → ${p.fixedInVersion}` : ''}`),
                  }
                : {}),
            });
          }
        }
        token = page.nextToken;
      } while (token);
    }
    return out;
  }
}
