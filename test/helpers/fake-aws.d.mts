export type Behavior =
  | 'ok'
  | 'undeliverable'
  | 'never'
  | 'failed'
  | 'not-bottlerocket'
  | 'delayed'
  | 'delivery-timeout'
  | 'terminated'
  | 'cut'
  | 'forged-header';
export interface FakeNode {
  id: string;
  name?: string;
  platform?: string;
  ping?: string;
  tags?: Record<string, string>;
  behavior?: Behavior;
  snapshot?: object;
  managed?: boolean;
  /** Inspector's view of the node, in the wire shape (camelCase, times in epoch seconds). */
  inspector?: { coverage: Record<string, unknown>[]; findings: Record<string, unknown>[] };
}
export interface FakeAwsOptions {
  latencyMs?: number;
  throttleRate?: number;
  serverErrorRate?: number;
  requestsPerSecond?: number;
  notYetVisibleMs?: number;
  seed?: number;
  accountId?: string;
  importFailRate?: number;
  importThrottleRate?: number;
  importPerSecond?: number;
  importBurst?: number;
}
export interface FakeLaunchTemplate {
  id: string;
  name: string;
  versions: {
    number: number;
    isDefault?: boolean;
    data: { imageId?: string; userData?: string; httpTokens?: string; hopLimit?: number };
  }[];
}
export class FakeAws {
  constructor(options?: FakeAwsOptions);
  /** EC2 launch templates, and image names by id. */
  launchTemplates: FakeLaunchTemplate[];
  images: Map<string, string>;
  /** EC2 instance tags by instance id (aws:ec2launchtemplate:id and :version among them). */
  instanceTags: Map<string, Record<string, string>>;
  url: string;
  nodes: Map<string, FakeNode>;
  objects: Map<string, string>;
  calls: string[];
  /** SSM operations that answer 500 on every call, as an outage would. */
  down: Set<string>;
  /** Every SendCommand's instances and commands, as sent. */
  commandsSent: { ids: string[]; text: string }[];
  throttled: number;
  maxInstanceIdsPerCall: number;
  addNode(node: FakeNode): void;
  start(): Promise<FakeAws>;
  stop(): Promise<void>;
  count(op: string): number;
  accountId: string;
  findings: Map<string, Record<string, any>>;
  importCalls: number;
  shThrottled: number;
  maxFindingsPerImport: number;
}
