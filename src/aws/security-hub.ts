// Imports findings into Security Hub with BatchImportFindings and keeps them correct run after run: batches of at
// most 100 findings and 6 MB (no finding over 240 KB), paced to the quota (10 requests per second, burst 30) with
// adaptive retries on top; failed findings retried and then reported; findings of other accounts skipped and
// reported; findings brsec imported before whose host or check is gone from this audit's scope archived. The AWS
// SDK is loaded only here.
import { retrySettings } from './retry.js';
import type { SecurityHubClient, SecurityHubClientConfig } from '@aws-sdk/client-securityhub';
import type { STSClientConfig } from '@aws-sdk/client-sts';
import { loadCatalog, type Catalog } from '../checks/loader.js';
import { asffFindings, productArn, type AwsContext } from '../report/asff.js';
import type { HostResult } from '../types.js';

export const MAX_FINDINGS_PER_CALL = 100;
export const MAX_BATCH_BYTES = 6 * 1024 * 1024;
export const MAX_FINDING_BYTES = 240 * 1024;

export interface SecurityHubOptions {
  region: string;
  profile?: string;
  /** Archival happens within a scope: findings of earlier audits of the same scope whose host or check is gone. */
  scope?: string;
  /** Requests per second and burst, as the account's quota allows. */
  rate?: { perSecond: number; burst: number };
  clientConfig?: Partial<SecurityHubClientConfig>;
  stsClientConfig?: Partial<STSClientConfig>;
  /** The importing account, when known (otherwise asked of STS). */
  accountId?: string;
  now?: () => Date;
  /** The scanned catalogue, whose checks findings name; the packaged one when not given. */
  catalog?: Catalog;
}

export interface ImportSummary {
  imported: number;
  archived: number;
  /** Findings Security Hub did not take; `permanent` when resending could not help (an invalid finding, access). */
  failed: { id: string; code: string; message: string; permanent: boolean }[];
  /** Hosts whose account is not the caller's: Security Hub takes findings only for the caller's own account. */
  otherAccounts: { host: string; accountId: string }[];
  oversize: string[];
  requests: number;
}

/** Failure codes of a finding that a later attempt may get past; any other is the finding's own fault. */
const RETRYABLE = /Internal|Throttl|ServiceUnavailable|TooManyRequests|LimitExceeded|Timeout/i;
/** The first pause before failed findings are sent again; each later pause is twice the one before. */
const RETRY_PAUSE_MS = 200;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A token bucket: at most `perSecond` requests a second after a burst of `burst`. */
class Pace {
  private tokens: number;
  private last = Date.now();
  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }
  async take(): Promise<void> {
    for (;;) {
      const now = Date.now();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.ceil(((1 - this.tokens) / this.perSecond) * 1000)));
    }
  }
}

/** `brsec/<benchmark>@<version>/<check>/<host>` → check and host. */
function parseId(id: string): { check: string; host: string } | null {
  const m = /^brsec\/[^/]+\/([^/]+)\/(.+)$/.exec(id);
  return m ? { check: m[1] as string, host: m[2] as string } : null;
}

export class SecurityHubImporter {
  private client!: SecurityHubClient;
  private sh!: typeof import('@aws-sdk/client-securityhub');
  private aws!: AwsContext;
  private pace: Pace;
  private batch: Record<string, unknown>[] = [];
  private batchBytes = 0;
  /** Per host, which checks were imported this audit: one bit per catalogue check, so memory stays small. */
  private seen = new Map<string, Uint8Array>();
  private readonly catalog: Catalog;
  private readonly checkIndex: Map<string, number>;
  readonly summary: ImportSummary = { imported: 0, archived: 0, failed: [], otherAccounts: [], oversize: [], requests: 0 };
  readonly scope: string;
  private updatedAt = '';

  private constructor(options: SecurityHubOptions) {
    this.pace = new Pace(options.rate?.perSecond ?? 10, options.rate?.burst ?? 30);
    this.scope = options.scope ?? 'default';
    this.catalog = options.catalog ?? loadCatalog();
    this.checkIndex = new Map(this.catalog.checks.map((c, i) => [c.id, i]));
  }

  static async open(options: SecurityHubOptions): Promise<SecurityHubImporter> {
    const importer = new SecurityHubImporter(options);
    importer.sh = await import('@aws-sdk/client-securityhub');
    importer.client = new importer.sh.SecurityHubClient({
      region: options.region,
      ...(options.profile ? { profile: options.profile } : {}),
      ...retrySettings(),
      ...options.clientConfig,
    });
    let accountId = options.accountId;
    if (!accountId) {
      const sts = await import('@aws-sdk/client-sts');
      const client = new sts.STSClient({
        region: options.region,
        ...(options.profile ? { profile: options.profile } : {}),
        ...options.stsClientConfig,
      });
      try {
        accountId = (await client.send(new sts.GetCallerIdentityCommand({}))).Account;
      } finally {
        client.destroy();
      }
      if (!accountId) throw new Error('STS returned no account for the caller');
    }
    importer.aws = { accountId, region: options.region };
    importer.updatedAt = (options.now ?? (() => new Date()))().toISOString();
    return importer;
  }

  get productArn(): string {
    return productArn(this.aws);
  }

  get context(): AwsContext {
    return this.aws;
  }

  private mark(host: string, check: string): void {
    const index = this.checkIndex.get(check);
    if (index === undefined) return;
    let bits = this.seen.get(host);
    if (!bits) this.seen.set(host, (bits = new Uint8Array(Math.ceil(this.checkIndex.size / 8))));
    bits[index >> 3]! |= 1 << (index & 7);
  }

  /** Set when an input could not be read and its host cannot be told: then no unseen host's findings are archived. */
  private keepUnseenHosts = false;

  private wasSeen(host: string, check: string): boolean {
    const bits = this.seen.get(host);
    if (!bits) return this.keepUnseenHosts;
    if (bits.length === 0) return true;
    const index = this.checkIndex.get(check);
    return index === undefined ? false : ((bits[index >> 3] ?? 0) & (1 << (index & 7))) !== 0;
  }

  /** A host that could not be scanned this time: its findings stay as they are rather than being archived. */
  keep(hostId: string): void {
    this.seen.set(hostId, new Uint8Array(0));
  }

  /**
   * An input could not be read and brsec cannot tell whose it was: every host this audit did not see keeps its
   * findings, as the unreadable input may have been any of them. (Hosts that were seen still lose the findings of
   * checks that are gone.)
   */
  keepUnseen(): void {
    this.keepUnseenHosts = true;
  }

  /** Queues one host's findings, sending full batches as they fill. */
  async addHost(host: HostResult): Promise<void> {
    if (host.host.accountId && host.host.accountId !== this.aws.accountId) {
      this.summary.otherAccounts.push({ host: host.host.id, accountId: host.host.accountId });
      this.keep(host.host.id);
      return;
    }
    const findings = asffFindings(host, { aws: this.aws, updatedAt: this.updatedAt, catalog: this.catalog });
    for (const f of findings) {
      (f.ProductFields as Record<string, string>)['brsec/scope'] = this.scope;
      const parsed = parseId(f.Id as string);
      if (parsed) this.mark(parsed.host, parsed.check);
      await this.queue(f);
    }
  }

  private async queue(finding: Record<string, unknown>): Promise<void> {
    const bytes = Buffer.byteLength(JSON.stringify(finding));
    if (bytes > MAX_FINDING_BYTES) {
      this.summary.oversize.push(finding.Id as string);
      return;
    }
    if (this.batch.length >= MAX_FINDINGS_PER_CALL || this.batchBytes + bytes > MAX_BATCH_BYTES - 1024) await this.flush();
    this.batch.push(finding);
    this.batchBytes += bytes;
  }

  /**
   * Sends the queued findings. Those Security Hub reports as failed for a passing reason (an internal failure,
   * throttling) are sent again, up to three times with a growing pause; those it refused (invalid input, access) are
   * reported at once as permanent, as sending them again cannot help.
   */
  async flush(kind: 'imported' | 'archived' = 'imported'): Promise<void> {
    let findings = this.batch;
    this.batch = [];
    this.batchBytes = 0;
    for (let attempt = 1; findings.length > 0; attempt++) {
      await this.pace.take();
      this.summary.requests++;
      const out = await this.client.send(new this.sh.BatchImportFindingsCommand({ Findings: findings as never }));
      const failed = out.FailedFindings ?? [];
      const failedIds = new Set(failed.map((f) => f.Id));
      this.summary[kind] += findings.length - failedIds.size;
      const again = new Set<string>();
      for (const f of failed) {
        const permanent = !RETRYABLE.test(f.ErrorCode ?? '');
        if (permanent || attempt >= 3)
          this.summary.failed.push({ id: f.Id ?? '?', code: f.ErrorCode ?? '?', message: f.ErrorMessage ?? '', permanent });
        else again.add(f.Id as string);
      }
      if (again.size === 0) return;
      await sleep(RETRY_PAUSE_MS * 2 ** (attempt - 1));
      findings = findings.filter((f) => again.has(f.Id as string));
    }
  }

  /**
   * Ends the audit: sends what is queued, then archives brsec's active findings of this scope whose host or check
   * was not part of it: GetFindings lists the ones this audit did not update, and those are re-sent with RecordState
   * ARCHIVED and a newer UpdatedAt. Findings this audit did import are never archived, even if Security Hub still
   * lists an older copy (it is eventually consistent), and hosts that could not be reached keep theirs.
   */
  async finish(): Promise<ImportSummary> {
    await this.flush();
    // Listed first, archived after: archiving while paging would change the pages being read.
    const gone: Record<string, unknown>[] = [];
    let token: string | undefined;
    do {
      await this.pace.take();
      this.summary.requests++;
      const page = await this.client.send(
        new this.sh.GetFindingsCommand({
          Filters: {
            ProductArn: [{ Value: this.productArn, Comparison: 'EQUALS' }],
            RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
            GeneratorId: [{ Value: 'brsec/', Comparison: 'PREFIX' }],
            ProductFields: [{ Key: 'brsec/scope', Value: this.scope, Comparison: 'EQUALS' }],
            // Only what this audit did not update: a handful of pages, not every finding of the fleet.
            UpdatedAt: [{ End: new Date(Date.parse(this.updatedAt) - 1).toISOString() }],
          },
          MaxResults: 100,
          ...(token ? { NextToken: token } : {}),
        }),
      );
      for (const finding of page.Findings ?? []) {
        const parsed = finding.Id ? parseId(finding.Id) : null;
        if (!parsed || this.wasSeen(parsed.host, parsed.check)) continue;
        const archived = { ...finding, RecordState: 'ARCHIVED', UpdatedAt: this.updatedAt } as Record<string, unknown>;
        // Fields Security Hub sets itself, or that a provider must not send, are left out.
        for (const key of ['Workflow', 'WorkflowState', 'Note', 'UserDefinedFields', 'VerificationState', 'ProcessedAt', 'Sample'])
          delete archived[key];
        gone.push(archived);
      }
      token = page.NextToken;
    } while (token);
    for (const finding of gone) await this.queueArchive(finding);
    await this.flush('archived');
    this.client.destroy();
    return this.summary;
  }

  private async queueArchive(finding: Record<string, unknown>): Promise<void> {
    if (this.batch.length >= MAX_FINDINGS_PER_CALL) await this.flush('archived');
    this.batch.push(finding);
  }
}
