// Stock kubelet configs rendered from Bottlerocket's own templates (test/fixtures/stock-kubelet/nodes.json names
// each one's source): the benchmark and version a default scan judges each node against, and its verdicts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../src/index.js';

interface StockNode {
  input: string;
  SOURCE: string;
  benchmark: string;
  version: string;
  verdicts: Record<string, string>;
}

const folder = join(import.meta.dirname, 'fixtures', 'stock-kubelet');
const { nodes } = JSON.parse(readFileSync(join(folder, 'nodes.json'), 'utf8')) as { nodes: StockNode[] };

describe('stock kubelet configs of several Kubernetes versions', () => {
  it('cover EKS before and after the 1.32 boundary, older than the table, and other platforms; each names its source', () => {
    expect(nodes.length).toBeGreaterThanOrEqual(8);
    for (const node of nodes)
      expect(node.SOURCE, node.input).toMatch(/bottlerocket-os\/bottlerocket-core-kit .*packages\/kubernetes-1\.\d+\/kubelet-config/);
    expect(new Set(nodes.map((n) => `${n.benchmark} ${n.version}`))).toEqual(
      new Set(['cis-eks v1.7.0', 'cis-eks v1.8.0', 'cis-kubernetes v1.11.1']),
    );
  });

  it.each(nodes.map((n) => [n.input, n] as const))('%s', async (_input, node) => {
    const result = await scan([join(folder, node.input)]);
    const host = result.hosts[0]!;
    expect(host.benchmarks).toEqual([expect.objectContaining({ benchmark: node.benchmark, version: node.version })]);
    const verdicts = Object.fromEntries(host.results.filter((r) => r.id in node.verdicts).map((r) => [r.id, r.status]));
    expect(verdicts).toEqual(node.verdicts);
    // The benchmark the node is not judged against does not run.
    const other = node.benchmark === 'cis-eks' ? 'cis-kubernetes' : 'cis-eks';
    expect(host.results.some((r) => r.benchmark === other)).toBe(false);
  });

  it('an EKS node that CIS Kubernetes would fail on seccompDefault passes CIS Amazon EKS, which has no such item', async () => {
    const eks = nodes.find((n) => n.input === 'aws-k8s-1.30.json')!;
    const both = await scan([join(folder, eks.input)], { profiles: ['cis-eks', 'cis-kubernetes'] });
    const status = Object.fromEntries(both.hosts[0]!.results.map((r) => [r.id, r.status]));
    expect(status['K8S-4.2.14']).toBe('FAIL');
    expect(Object.keys(status).filter((id) => id.startsWith('EKS-') && status[id] === 'FAIL')).toEqual([]);
  });
});
