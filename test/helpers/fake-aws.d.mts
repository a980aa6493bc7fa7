export type Behavior = 'ok' | 'undeliverable' | 'never' | 'failed' | 'not-bottlerocket' | 'delayed' | 'delivery-timeout' | 'terminated' | 'cut';
export interface FakeNode {
  id: string;
  name?: string;
  platform?: string;
  ping?: string;
  tags?: Record<string, string>;
  behavior?: Behavior;
  snapshot?: object;
  managed?: boolean;
}
export interface FakeAwsOptions {
  latencyMs?: number;
  throttleRate?: number;
  serverErrorRate?: number;
  requestsPerSecond?: number;
  notYetVisibleMs?: number;
  seed?: number;
}
export class FakeAws {
  constructor(options?: FakeAwsOptions);
  url: string;
  nodes: Map<string, FakeNode>;
  objects: Map<string, string>;
  calls: string[];
  throttled: number;
  maxInstanceIdsPerCall: number;
  addNode(node: FakeNode): void;
  start(): Promise<FakeAws>;
  stop(): Promise<void>;
  count(op: string): number;
}
