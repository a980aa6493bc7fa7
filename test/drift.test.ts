// --drift: each host's live settings against the user data (or node definition) it was launched from.
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { brsec, scratchFolder, expectOneLineError } from './helpers/cli.js';

const stock = 'examples/k8s-stock-full.json';
const tmp = scratchFolder('brsec-drift-');
const drift = (report: any) => report.hosts[0].results.find((r: any) => r.id === 'BRSEC-settings-drift');

describe('--drift', () => {
  it('reports each setting the launch user data sets whose live value differs', () => {
    const launch = tmp.path('launch.toml');
    writeFileSync(launch, '[settings.kernel]\nlockdown = "confidentiality"\n[settings.host-containers.admin]\nenabled = false\n');
    const run = brsec(['scan', stock, '--drift', launch, '-f', 'json']);
    const result = drift(JSON.parse(run.stdout));
    expect(result.status).toBe('FAIL');
    expect(result.reason).toContain('settings.kernel.lockdown: launched with "confidentiality", now "integrity"');
    expect(result.reason).not.toContain('host-containers');
    expect(result.evidence[0].source).toBe(`apiclient get against ${launch}`);
  });

  it('passes when the host still has what it was launched with; a node definition is compared as its tool launches it', () => {
    const launch = tmp.path('nodeclass.yaml');
    writeFileSync(
      launch,
      'apiVersion: karpenter.k8s.aws/v1\nkind: EC2NodeClass\nmetadata:\n  name: nodes\nspec:\n  amiFamily: Bottlerocket\n  userData: |\n    [settings.kernel]\n    lockdown = "integrity"\n',
    );
    const result = drift(JSON.parse(brsec(['scan', stock, '--drift', launch, '-f', 'json']).stdout));
    // Karpenter writes the cluster's keys, not known in the file: those are not compared.
    expect(result.status).toBe('PASS');
    expect(result.evidence[0].source).toBe(`apiclient get against ${launch} (EC2NodeClass/nodes)`);
  });

  it('runs only with --drift', () => {
    const report = JSON.parse(brsec(['scan', stock, '--profile', 'all', '-f', 'json']).stdout);
    expect(drift(report)).toBeUndefined();
  });

  it('a file of several nodes, or of none, is one line naming it', () => {
    expectOneLineError(brsec(['scan', stock, '--drift', 'test/fixtures/node-config/eksctl-cluster.yaml']), 'defines 3 nodes');
    expectOneLineError(brsec(['scan', stock, '--drift', stock]), 'holds no user data');
  });
});
