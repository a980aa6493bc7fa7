// A loopback stand-in for the AWS operations brsec uses, for tests and benchmarks only: SSM Run Command on the
// awsJson1_1 wire (POST /ssm, X-Amz-Target), S3 GetObject (GET /s3/<bucket>/<key>), Inspector2 and Security Hub
// on the restJson1 wire (POST /inspector2/..., /securityhub/...), STS GetCallerIdentity (POST /sts) and EC2's launch
// template and image reads on the ec2 query wire (POST /ec2), on 127.0.0.1. It keeps
// state (managed nodes, commands, per-host invocations that "run" the capture script against each node's
// snapshot), enforces the documented limits, and injects faults on demand. Nothing here reaches the network.
import { createServer } from 'node:http';
import { gzipSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';

const MARKER = '--output truncated--';
const STDOUT_LIMIT = 24_000;
const STDERR_LIMIT = 8_000;

/**
 * @typedef {'ok' | 'undeliverable' | 'never' | 'failed' | 'not-bottlerocket' | 'delayed' | 'delivery-timeout' | 'terminated'
 *   | 'cut'} Behavior
 * @typedef {{ id: string, name?: string, platform?: string, ping?: string, tags?: Record<string,string>, behavior?: Behavior,
 *   snapshot?: object, managed?: boolean }} FakeNode
 */

function truncate(text, limit) {
  return text.length <= limit ? text : text.slice(0, limit - MARKER.length) + MARKER;
}

class ServiceError extends Error {
  constructor(status, type, message) {
    super(message);
    this.status = status;
    this.type = type;
  }
}

export class FakeAws {
  /**
   * @param {{ latencyMs?: number, throttleRate?: number, serverErrorRate?: number, requestsPerSecond?: number,
   *   notYetVisibleMs?: number, seed?: number }} options
   */
  constructor(options = {}) {
    this.options = { latencyMs: 30, throttleRate: 0, serverErrorRate: 0, requestsPerSecond: 0, notYetVisibleMs: 0, ...options };
    /** @type {Map<string, FakeNode>} */
    this.nodes = new Map();
    this.commands = new Map();
    /** S3 objects by "bucket/key". */
    this.objects = new Map();
    this.calls = [];
    /** SSM operations that answer 500 on every call, as an outage would. */
    this.down = new Set();
    /** Every SendCommand's instances and commands, as sent. */
    this.commandsSent = [];
    /** Requests answered with ThrottlingException. */
    this.throttled = 0;
    this.maxInstanceIdsPerCall = 0;
    this.seed = options.seed ?? 7;
    this.tokens = this.options.requestsPerSecond;
    this.lastRefill = Date.now();
    this.server = createServer((req, res) => this.handle(req, res));
    this.accountId = options.accountId ?? '123456789012';
    /** Security Hub's findings by Id, as imported. */
    this.findings = new Map();
    this.securityHub = {
      failRate: options.importFailRate ?? 0,
      /** (finding, attempt) → { ErrorCode, ErrorMessage } or undefined: failures a test scripts for chosen findings. */
      failures: options.importFailures,
      throttleRate: options.importThrottleRate ?? 0,
      perSecond: options.importPerSecond ?? 0,
      burst: options.importBurst ?? 30,
    };
    /** How many times each finding Id has been sent. */
    this.importAttempts = new Map();
    this.shTokens = this.securityHub.burst;
    this.shLast = Date.now();
    this.shThrottled = 0;
    this.importCalls = 0;
    this.maxFindingsPerImport = 0;
    /** EC2 launch templates: { id, name, versions: [{ number, isDefault, data: { imageId, userData, httpTokens, hopLimit } }] }. */
    this.launchTemplates = [];
    /** EC2 image names by id. */
    this.images = new Map();
    /** EC2 instance tags by instance id. */
    this.instanceTags = new Map();
  }

  random() {
    this.seed = (this.seed * 1103515245 + 12345) % 2147483648;
    return this.seed / 2147483648;
  }

  /** @param {FakeNode} node */
  addNode(node) {
    this.nodes.set(node.id, { platform: 'Bottlerocket', ping: 'Online', behavior: 'ok', managed: true, ...node });
  }

  async start() {
    await new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address();
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }

  async stop() {
    this.server.closeAllConnections?.();
    await new Promise((resolve) => this.server.close(resolve));
  }

  count(op) {
    return this.calls.filter((c) => c === op).length;
  }

  /** A rate limit like the service's: a token bucket refilled every second, throttling when empty. */
  takeToken() {
    const rps = this.options.requestsPerSecond;
    if (!rps) return true;
    const now = Date.now();
    this.tokens = Math.min(rps, this.tokens + ((now - this.lastRefill) / 1000) * rps);
    this.lastRefill = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  handle(req, res) {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      try {
        if (req.method === 'GET' && req.url.startsWith('/s3/')) return this.s3(req, res);
        if (req.url.startsWith('/sts')) return this.sts(body, res);
        if (req.url.startsWith('/ec2')) return this.ec2(body, res);
        if (req.url.startsWith('/inspector2/') || req.url.startsWith('/securityhub/')) return this.rest(req, body, res);
        if (!req.url.startsWith('/ssm')) throw new ServiceError(404, 'UnknownOperationException', `no service at ${req.url}`);
        const op = String(req.headers['x-amz-target'] ?? '').replace(/^AmazonSSM\./, '');
        this.calls.push(op);
        if (!this.takeToken() || this.random() < this.options.throttleRate) {
          this.throttled++;
          throw new ServiceError(400, 'ThrottlingException', 'Rate exceeded');
        }
        if (this.down.has(op) || this.random() < this.options.serverErrorRate)
          throw new ServiceError(500, 'InternalServerError', 'internal error');
        const input = body ? JSON.parse(body) : {};
        const handler = this[`op${op}`];
        if (typeof handler !== 'function') throw new ServiceError(400, 'UnknownOperationException', `unknown operation ${op}`);
        const output = handler.call(this, input);
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() });
        res.end(JSON.stringify(output));
      } catch (err) {
        const status = err instanceof ServiceError ? err.status : 500;
        const type = err instanceof ServiceError ? err.type : 'InternalServerError';
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() });
        res.end(JSON.stringify({ __type: type, message: err.message }));
      }
    });
  }

  sts(body, res) {
    const params = new URLSearchParams(body);
    if (params.get('Action') !== 'GetCallerIdentity') {
      res.writeHead(400, { 'content-type': 'text/xml' });
      res.end(
        '<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>unknown action</Message></Error></ErrorResponse>',
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/xml' });
    res.end(
      `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::${this.accountId}:role/brsec-audit</Arn><UserId>AROAEXAMPLE</UserId><Account>${this.accountId}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
    );
  }

  /** EC2's query protocol: form-encoded Action and parameters in, XML out; errors as <Response><Errors>. */
  ec2(body, res) {
    const params = new URLSearchParams(body);
    const action = params.get('Action');
    this.calls.push(`ec2:${action}`);
    const list = (prefix) => [...params.keys()].filter((k) => k.startsWith(`${prefix}.`)).map((k) => params.get(k));
    const xml = (name, inner) => {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(
        `<${name}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>${randomUUID()}</requestId>${inner}</${name}Response>`,
      );
    };
    const error = (code, message) => {
      res.writeHead(400, { 'content-type': 'text/xml' });
      res.end(
        `<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>${randomUUID()}</RequestID></Response>`,
      );
    };
    const esc = (t) => String(t).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    if (action === 'DescribeLaunchTemplates') {
      const ids = list('LaunchTemplateId');
      const names = list('LaunchTemplateName');
      const all = this.launchTemplates.filter(
        (t) => (ids.length === 0 && names.length === 0) || ids.includes(t.id) || names.includes(t.name),
      );
      // Two per page, so callers must follow NextToken.
      const start = Number(params.get('NextToken') ?? 0);
      const page = all.slice(start, start + 2);
      const next = start + 2 < all.length ? `<nextToken>${start + 2}</nextToken>` : '';
      const items = page
        .map((t) => `<item><launchTemplateId>${t.id}</launchTemplateId><launchTemplateName>${esc(t.name)}</launchTemplateName></item>`)
        .join('');
      return xml('DescribeLaunchTemplates', `<launchTemplates>${items}</launchTemplates>${next}`);
    }
    if (action === 'DescribeLaunchTemplateVersions') {
      const t = this.launchTemplates.find((x) => x.id === params.get('LaunchTemplateId'));
      if (!t) return error('InvalidLaunchTemplateId.NotFound', 'no such launch template');
      const wanted = list('LaunchTemplateVersion');
      const latest = Math.max(...t.versions.map((v) => v.number));
      const picked = wanted.flatMap((w) =>
        t.versions.filter((v) => (w === '$Default' ? v.isDefault : w === '$Latest' ? v.number === latest : String(v.number) === w)),
      );
      const items = picked
        .map((v) => {
          const d = v.data;
          const metadata =
            d.httpTokens || d.hopLimit
              ? `<metadataOptions>${d.httpTokens ? `<httpTokens>${d.httpTokens}</httpTokens>` : ''}${d.hopLimit ? `<httpPutResponseHopLimit>${d.hopLimit}</httpPutResponseHopLimit>` : ''}</metadataOptions>`
              : '';
          return `<item><launchTemplateId>${t.id}</launchTemplateId><launchTemplateName>${esc(t.name)}</launchTemplateName><versionNumber>${v.number}</versionNumber><defaultVersion>${v.isDefault ? 'true' : 'false'}</defaultVersion><launchTemplateData>${d.imageId ? `<imageId>${d.imageId}</imageId>` : ''}${d.userData ? `<userData>${d.userData}</userData>` : ''}${metadata}</launchTemplateData></item>`;
        })
        .join('');
      return xml('DescribeLaunchTemplateVersions', `<launchTemplateVersionSet>${items}</launchTemplateVersionSet>`);
    }
    if (action === 'DescribeInstances') {
      const ids = list('InstanceId');
      const known = ids.filter((id) => this.instanceTags.has(id));
      if (known.length < ids.length)
        return error('InvalidInstanceID.NotFound', `The instance ID '${ids.find((id) => !known.includes(id))}' does not exist`);
      const items = known
        .map((id) => {
          const tags = Object.entries(this.instanceTags.get(id))
            .map(([k, v]) => `<item><key>${esc(k)}</key><value>${esc(v)}</value></item>`)
            .join('');
          return `<item><instancesSet><item><instanceId>${id}</instanceId><tagSet>${tags}</tagSet></item></instancesSet></item>`;
        })
        .join('');
      return xml('DescribeInstances', `<reservationSet>${items}</reservationSet>`);
    }
    if (action === 'DescribeImages') {
      const ids = list('ImageId');
      const missing = ids.find((id) => !this.images.has(id));
      if (missing) return error('InvalidAMIID.NotFound', `The image id '[${missing}]' does not exist`);
      const items = ids.map((id) => `<item><imageId>${id}</imageId><name>${esc(this.images.get(id))}</name></item>`).join('');
      return xml('DescribeImages', `<imagesSet>${items}</imagesSet>`);
    }
    return error('InvalidAction', `unknown action ${action}`);
  }

  /**
   * restJson1: errors carry x-amzn-errortype; Inspector throttles with 429 ThrottlingException, Security Hub with 429
   * LimitExceededException.
   */
  rest(req, body, res) {
    const path = req.url.split('?')[0];
    this.calls.push(path);
    const fail = (status, type, message) => {
      res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type, 'x-amzn-requestid': randomUUID() });
      res.end(JSON.stringify({ message, Message: message, Code: type }));
    };
    let input;
    try {
      input = body ? JSON.parse(body) : {};
    } catch {
      return fail(400, 'ValidationException', 'body is not JSON');
    }
    try {
      let output;
      if (path === '/inspector2/coverage/list') output = this.listCoverage(input);
      else if (path === '/inspector2/findings/list') output = this.listFindings(input);
      else if (path === '/securityhub/findings/import') {
        if (!this.takeShToken() || this.random() < this.securityHub.throttleRate) {
          this.shThrottled++;
          return fail(429, 'LimitExceededException', 'Rate exceeded');
        }
        output = this.importFindings(input);
      } else if (path === '/securityhub/findings' && req.method === 'POST') output = this.getFindings(input);
      else return fail(404, 'ResourceNotFoundException', `no operation at ${path}`);
      res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID() });
      res.end(JSON.stringify(output));
    } catch (err) {
      if (err instanceof ServiceError) return fail(err.status, err.type, err.message);
      return fail(500, 'InternalServerException', err.message);
    }
  }

  takeShToken() {
    const rps = this.securityHub.perSecond;
    if (!rps) return true;
    const now = Date.now();
    this.shTokens = Math.min(this.securityHub.burst, this.shTokens + ((now - this.shLast) / 1000) * rps);
    this.shLast = now;
    if (this.shTokens < 1) return false;
    this.shTokens -= 1;
    return true;
  }

  ids(filter, name) {
    if (!filter) return null;
    if (filter.length < 1 || filter.length > 10) throw new ServiceError(400, 'ValidationException', `${name}: 1 to 10 filters`);
    return filter.map((f) => f.value);
  }

  listCoverage(input) {
    FakeAws.range(input.maxResults, 1, 200, 'maxResults');
    const ids = this.ids(input.filterCriteria?.resourceId, 'resourceId');
    const all = [...this.nodes.values()]
      .filter((n) => (!ids || ids.includes(n.id)) && n.inspector)
      .flatMap((n) =>
        n.inspector.coverage.map((c) => ({ resourceId: n.id, resourceType: 'AWS_EC2_INSTANCE', accountId: this.accountId, ...c })),
      );
    const { slice, next } = this.page(all, { MaxResults: input.maxResults, NextToken: input.nextToken }, 1, 200, 100);
    return { coveredResources: slice, ...(next ? { nextToken: next } : {}) };
  }

  listFindings(input) {
    FakeAws.range(input.maxResults, 1, 100, 'maxResults');
    const ids = this.ids(input.filterCriteria?.resourceId, 'resourceId');
    const status = input.filterCriteria?.findingStatus?.map((f) => f.value);
    const all = [...this.nodes.values()]
      .filter((n) => (!ids || ids.includes(n.id)) && n.inspector)
      .flatMap((n) =>
        n.inspector.findings
          .filter((f) => !status || status.includes(f.status))
          .map((f) => ({ awsAccountId: this.accountId, resources: [{ type: 'AWS_EC2_INSTANCE', id: n.id }], ...f })),
      );
    // The model's list of findings holds at most 25: pages are never full.
    const { slice, next } = this.page(all, { MaxResults: Math.min(input.maxResults ?? 25, 25), NextToken: input.nextToken }, 1, 100, 25);
    return { findings: slice, ...(next ? { nextToken: next } : {}) };
  }

  importFindings(input) {
    const findings = input.Findings ?? [];
    this.importCalls++;
    if (findings.length < 1 || findings.length > 100)
      throw new ServiceError(400, 'InvalidInputException', `Findings: 1 to 100 findings, not ${findings.length}`);
    if (Buffer.byteLength(JSON.stringify(input)) > 6 * 1024 * 1024)
      throw new ServiceError(400, 'InvalidInputException', 'request over 6 MB');
    this.maxFindingsPerImport = Math.max(this.maxFindingsPerImport, findings.length);
    const failed = [];
    for (const f of findings) {
      const attempt = (this.importAttempts.get(f.Id) ?? 0) + 1;
      this.importAttempts.set(f.Id, attempt);
      const scripted = this.securityHub.failures?.(f, attempt);
      if (scripted) {
        failed.push({ Id: f.Id, ...scripted });
        continue;
      }
      const missing = [
        'SchemaVersion',
        'Id',
        'ProductArn',
        'GeneratorId',
        'AwsAccountId',
        'CreatedAt',
        'UpdatedAt',
        'Title',
        'Description',
        'Resources',
      ].find((k) => f[k] === undefined || f[k] === '');
      if (missing) {
        failed.push({ Id: f.Id, ErrorCode: 'InvalidInput', ErrorMessage: `missing ${missing}` });
        continue;
      }
      if (f.AwsAccountId !== this.accountId) {
        failed.push({ Id: f.Id, ErrorCode: 'AccessDeniedException', ErrorMessage: 'account is not the caller' });
        continue;
      }
      if (Buffer.byteLength(JSON.stringify(f)) > 240 * 1024) {
        failed.push({ Id: f.Id, ErrorCode: 'InvalidInput', ErrorMessage: 'finding over 240 KB' });
        continue;
      }
      if (this.random() < this.securityHub.failRate) {
        failed.push({ Id: f.Id, ErrorCode: 'InternalFailure', ErrorMessage: 'try again' });
        continue;
      }
      const stored = this.findings.get(f.Id);
      // Security Hub ignores an update whose UpdatedAt is not newer than the one it holds.
      if (stored && Date.parse(f.UpdatedAt) <= Date.parse(stored.UpdatedAt)) continue;
      this.findings.set(f.Id, f);
    }
    return { FailedCount: failed.length, SuccessCount: findings.length - failed.length, FailedFindings: failed };
  }

  getFindings(input) {
    FakeAws.range(input.MaxResults, 1, 100, 'MaxResults');
    const matches = (value, filters) =>
      !filters ||
      filters.some((f) =>
        f.Comparison === 'PREFIX'
          ? String(value ?? '').startsWith(f.Value)
          : f.Comparison === 'NOT_EQUALS'
            ? value !== f.Value
            : value === f.Value,
      );
    const filters = input.Filters ?? {};
    const all = [...this.findings.values()].filter(
      (f) =>
        matches(f.ProductArn, filters.ProductArn) &&
        matches(f.RecordState ?? 'ACTIVE', filters.RecordState) &&
        matches(f.GeneratorId, filters.GeneratorId) &&
        (!filters.UpdatedAt ||
          filters.UpdatedAt.every(
            (d) => (!d.End || Date.parse(f.UpdatedAt) <= Date.parse(d.End)) && (!d.Start || Date.parse(f.UpdatedAt) >= Date.parse(d.Start)),
          )) &&
        (!filters.ProductFields || filters.ProductFields.every((m) => f.ProductFields?.[m.Key] === m.Value)),
    );
    const { slice, next } = this.page(all, { MaxResults: input.MaxResults, NextToken: input.NextToken }, 1, 100, 100);
    return { Findings: slice, ...(next ? { NextToken: next } : {}) };
  }

  s3(req, res) {
    const key = decodeURIComponent(req.url.slice('/s3/'.length).split('?')[0]);
    const object = this.objects.get(key);
    if (object === undefined) {
      res.writeHead(404, { 'content-type': 'application/xml' });
      res.end(
        '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>',
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(object) });
    res.end(object);
  }

  static range(value, min, max, name) {
    if (value === undefined) return;
    if (value < min || value > max) throw new ServiceError(400, 'ValidationException', `${name} must be between ${min} and ${max}`);
  }

  page(items, input, min, max, defaultSize) {
    FakeAws.range(input.MaxResults, min, max, 'MaxResults');
    const size = input.MaxResults ?? defaultSize;
    const start = input.NextToken ? Number(input.NextToken) : 0;
    const slice = items.slice(start, start + size);
    const next = start + size < items.length ? String(start + size) : undefined;
    return { slice, next };
  }

  opDescribeInstanceInformation(input) {
    let nodes = [...this.nodes.values()].filter((n) => n.managed);
    for (const f of input.Filters ?? []) {
      if (f.Key === 'InstanceIds') nodes = nodes.filter((n) => f.Values.includes(n.id));
      else if (f.Key === 'PingStatus') nodes = nodes.filter((n) => f.Values.includes(n.ping));
      else if (f.Key.startsWith('tag:')) nodes = nodes.filter((n) => f.Values.includes(n.tags?.[f.Key.slice(4)]));
      else throw new ServiceError(400, 'InvalidInstanceInformationFilterValue', `filter ${f.Key} is not supported here`);
    }
    const { slice, next } = this.page(nodes, input, 5, 50, 10);
    return {
      InstanceInformationList: slice.map((n) => ({
        InstanceId: n.id,
        PingStatus: n.ping,
        PlatformType: 'Linux',
        PlatformName: n.platform,
        PlatformVersion: '1.26.1',
        ResourceType: 'EC2Instance',
        ComputerName: n.name,
      })),
      ...(next ? { NextToken: next } : {}),
    };
  }

  opSendCommand(input) {
    if (input.DocumentName !== 'AWS-RunShellScript')
      throw new ServiceError(400, 'InvalidDocument', `unknown document ${input.DocumentName}`);
    if (input.InstanceIds && input.InstanceIds.length > 50) throw new ServiceError(400, 'ValidationException', 'InstanceIds: at most 50');
    if (input.Targets && input.Targets.length > 5) throw new ServiceError(400, 'ValidationException', 'Targets: at most 5');
    if (!input.InstanceIds && !input.Targets) throw new ServiceError(400, 'ValidationException', 'InstanceIds or Targets is required');
    this.maxInstanceIdsPerCall = Math.max(this.maxInstanceIdsPerCall, input.InstanceIds?.length ?? 0);
    let ids;
    if (input.InstanceIds) {
      for (const id of input.InstanceIds)
        if (!this.nodes.get(id)?.managed) throw new ServiceError(400, 'InvalidInstanceId', `${id} is not a valid managed node`);
      ids = input.InstanceIds;
    } else {
      ids = [...this.nodes.values()]
        .filter(
          (n) =>
            n.managed &&
            input.Targets.every((t) =>
              t.Key === 'InstanceIds' ? t.Values.includes(n.id) : t.Key.startsWith('tag:') && t.Values.includes(n.tags?.[t.Key.slice(4)]),
            ),
        )
        .map((n) => n.id);
    }
    const commandId = randomUUID();
    const commands = input.Parameters?.commands ?? [];
    this.commandsSent.push({ ids, text: commands.join('\n') });
    const now = Date.now();
    const invocations = new Map(ids.map((id) => [id, { id, startedAt: now, result: this.run(this.nodes.get(id), commands) }]));
    this.commands.set(commandId, { id: commandId, input, invocations, createdAt: now });
    return { Command: { CommandId: commandId, Status: 'Pending', TargetCount: ids.length, DocumentName: input.DocumentName } };
  }

  /** What the capture script (or a chunk command) prints on this node. */
  run(node, commands) {
    const text = commands.join('\n');
    if (node.behavior === 'failed') return { code: 1, stdout: '', stderr: 'brsec capture: something broke\n' };
    if (node.behavior === 'not-bottlerocket' || node.platform !== 'Bottlerocket')
      return { code: 3, stdout: '', stderr: 'brsec capture: not a Bottlerocket host (no ID=bottlerocket in os-release, no apiclient)\n' };
    const chunkMatch = /echo "brsec-chunk\/1 (\d+)"; cut -c (\d+)-(\d+) \/tmp\/brsec-(\w+)\.b64/.exec(text);
    if (chunkMatch) {
      const kept = node.kept?.get(chunkMatch[4]);
      if (kept === undefined) return { code: 4, stdout: '', stderr: `brsec: /tmp/brsec-${chunkMatch[4]}.b64 is gone\n` };
      // The command for a host's last chunk removes the kept payload, as the real one does.
      if (text.includes(`; rm -f /tmp/brsec-${chunkMatch[4]}.b64`)) node.kept.delete(chunkMatch[4]);
      return {
        code: 0,
        stdout: `brsec-chunk/1 ${chunkMatch[1]}\n${kept.slice(Number(chunkMatch[2]) - 1, Number(chunkMatch[3]))}\n`,
        stderr: '',
      };
    }
    const capture = /--payload gzip-base64 --run (\w+) --chunk-size (\d+)/.exec(text);
    if (!capture || !text.includes('brsec capture script')) return { code: 127, stdout: '', stderr: 'unexpected command\n' };
    const [, run, size] = capture;
    const b64 = gzipSync(JSON.stringify(node.snapshot)).toString('base64');
    node.kept ??= new Map();
    node.kept.set(run, b64);
    const chunkSize = Number(size);
    const chunks = Math.ceil(b64.length / chunkSize);
    // A compromised host may print anything, e.g. a run id made to be a shell command in brsec's follow-ups.
    if (node.behavior === 'forged-header') {
      return {
        code: 0,
        stdout: `brsec-payload/1 gzip+base64 length=${b64.length} chunks=${chunks} chunk-size=${chunkSize} run=x;touch\${IFS}/tmp/pwned;#\n${b64.slice(0, chunkSize)}\n`,
        stderr: '',
      };
    }
    return {
      code: 0,
      stdout: `brsec-payload/1 gzip+base64 length=${b64.length} chunks=${chunks} chunk-size=${chunkSize} run=${run}\n${b64.slice(0, chunkSize)}\n`,
      stderr: '',
    };
  }

  /** An invocation's state now: it runs for the latency, and its node's behaviour decides how it ends. */
  state(command, inv) {
    const node = this.nodes.get(inv.id);
    const age = Date.now() - inv.startedAt;
    const latency = this.options.latencyMs;
    const behavior = node.behavior;
    if (behavior === 'never') return { Status: 'InProgress', StatusDetails: 'In Progress', ResponseCode: -1 };
    if (behavior === 'undeliverable')
      return age < latency
        ? { Status: 'Pending', StatusDetails: 'Pending', ResponseCode: -1 }
        : { Status: 'Failed', StatusDetails: 'Undeliverable', ResponseCode: -1 };
    if (behavior === 'delivery-timeout')
      return age < latency
        ? { Status: 'Pending', StatusDetails: 'Pending', ResponseCode: -1 }
        : { Status: 'TimedOut', StatusDetails: 'Delivery Timed Out', ResponseCode: -1 };
    if (behavior === 'terminated')
      return age < latency
        ? { Status: 'Pending', StatusDetails: 'Pending', ResponseCode: -1 }
        : { Status: 'Cancelled', StatusDetails: 'Terminated', ResponseCode: -1 };
    const delay = behavior === 'delayed' ? latency * 3 : latency;
    if (age < delay)
      return behavior === 'delayed' && age > latency
        ? { Status: 'Delayed', StatusDetails: 'Delayed', ResponseCode: -1 }
        : { Status: 'InProgress', StatusDetails: 'In Progress', ResponseCode: -1 };
    const { code } = inv.result;
    if (code === 0) return { Status: 'Success', StatusDetails: 'Success', ResponseCode: 0 };
    return { Status: 'Failed', StatusDetails: 'Failed', ResponseCode: code };
  }

  output(node, result) {
    let stdout = result.stdout;
    if (node.behavior === 'cut' && stdout.length > 100) stdout = stdout.slice(0, Math.min(stdout.length, 200)) + MARKER;
    return { stdout: truncate(stdout, STDOUT_LIMIT), stderr: truncate(result.stderr, STDERR_LIMIT) };
  }

  command(id) {
    const command = this.commands.get(id);
    if (!command) throw new ServiceError(400, 'InvalidCommandId', `no command ${id}`);
    return command;
  }

  /** Just after SendCommand, invocations are not visible yet (eventual consistency). */
  visible(command) {
    return Date.now() - command.createdAt >= this.options.notYetVisibleMs;
  }

  opListCommandInvocations(input) {
    const command = this.command(input.CommandId);
    const all = this.visible(command) ? [...command.invocations.values()] : [];
    const { slice, next } = this.page(all, input, 1, 50, 50);
    return {
      CommandInvocations: slice.map((inv) => {
        const node = this.nodes.get(inv.id);
        return {
          CommandId: command.id,
          InstanceId: inv.id,
          InstanceName: node.name,
          DocumentName: 'AWS-RunShellScript',
          ...this.state(command, inv),
        };
      }),
      ...(next ? { NextToken: next } : {}),
    };
  }

  opListCommands(input) {
    const command = this.command(input.CommandId);
    const states = [...command.invocations.values()].map((inv) => this.state(command, inv));
    const open = states.some((s) => ['Pending', 'InProgress', 'Delayed'].includes(s.Status));
    const errors = states.filter((s) => s.Status !== 'Success' && !['Pending', 'InProgress', 'Delayed'].includes(s.Status)).length;
    return {
      Commands: [
        {
          CommandId: command.id,
          Status: open ? 'InProgress' : errors ? 'Failed' : 'Success',
          TargetCount: command.invocations.size,
          CompletedCount: states.length - states.filter((s) => ['Pending', 'InProgress', 'Delayed'].includes(s.Status)).length,
          ErrorCount: errors,
        },
      ],
    };
  }

  opGetCommandInvocation(input) {
    const command = this.command(input.CommandId);
    const inv = command.invocations.get(input.InstanceId);
    if (!inv || !this.visible(command)) throw new ServiceError(400, 'InvocationDoesNotExist', 'no such invocation');
    const node = this.nodes.get(inv.id);
    const state = this.state(command, inv);
    const done = !['Pending', 'InProgress', 'Delayed'].includes(state.Status);
    const { stdout, stderr } = done ? this.output(node, inv.result) : { stdout: '', stderr: '' };
    if (done && state.Status === 'Success' && command.input.OutputS3BucketName) {
      const key = [command.input.OutputS3KeyPrefix, command.id, inv.id, 'awsrunShellScript', '0.awsrunShellScript', 'stdout']
        .filter(Boolean)
        .join('/');
      this.objects.set(`${command.input.OutputS3BucketName}/${key}`, inv.result.stdout);
    }
    return { CommandId: command.id, InstanceId: inv.id, ...state, StandardOutputContent: stdout, StandardErrorContent: stderr };
  }
}
