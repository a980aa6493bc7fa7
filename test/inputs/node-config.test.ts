// Node configuration files (test/fixtures/node-config, sources named in each file and in SOURCES.md): every node
// definition becomes a host, named by kind and name, with the variant the file names and the tool's merge rules
// applied; values left to deploy time are NOT_ASSESSED; reports point at the line in the file.
import { readFileSync, writeFileSync } from 'node:fs';
import Ajv from 'ajv';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { detectInput, detectInputs, readInput, readInputs, scan, scanHost, loadCatalog, planScan } from '../../src/index.js';
import type { CheckResult, HostInput, HostResult } from '../../src/types.js';
import { brsec, repoRoot, scratchFolder } from '../helpers/cli.js';
import { githubProblems, schemaErrors } from '../helpers/sarif.js';

const dir = join(repoRoot, 'test', 'fixtures', 'node-config');
const fixture = (name: string) => join(dir, name);
const plan = planScan(loadCatalog(), { profiles: ['all'] });
const tmp = scratchFolder('brsec-node-config-');

async function hostsOf(name: string, locate = true): Promise<HostInput[]> {
  const found = await readInputs(fixture(name), { locate });
  expect(found.problems).toEqual([]);
  return found.inputs;
}

const byName = (inputs: readonly HostInput[], name: string): HostInput => {
  const input = inputs.find((i) => i.snapshot.host.name === name);
  if (!input) throw new Error(`no host ${name} among ${inputs.map((i) => i.snapshot.host.name).join(', ')}`);
  return input;
};
const result = (host: HostResult, id: string): CheckResult => host.results.find((r) => r.id === id)!;
const statuses = (host: HostResult) => Object.fromEntries(host.results.map((r) => [r.id, r.status]));

/** The same settings as plain user data TOML, scanned as Bottlerocket user data with the same variant. */
function plainUserData(toml: string, variant: string): HostResult {
  const input = detectInput(toml, { source: 'plain.toml', variant, parseToml: (t) => parseToml(t) as Record<string, unknown> });
  return scanHost(input, plan);
}

describe('node definitions are found by content, each a host named by kind and name', () => {
  it.each([
    ['karpenter-ec2nodeclass.yaml', ['EC2NodeClass/bottlerocket-example'], 'Karpenter'],
    ['manifests/helm-rendered.yaml', ['EC2NodeClass/bottlerocket'], 'Karpenter'],
    ['eksctl-cluster.yaml', ['nodeGroups/buildkit', 'nodeGroups/ng-bottlerocket', 'managedNodeGroups/managed-bottlerocket'], 'eksctl'],
    ['eks-auto-nodeclass.yaml', ['NodeClass/security-hardened'], 'EKS Auto Mode'],
    ['eks-anywhere-machineconfig.yaml', ['VSphereMachineConfig/machine-config'], 'EKS Anywhere'],
    [
      'terraform/main.tf',
      [
        'aws_launch_template.nodes',
        'aws_launch_template.templated',
        'aws_eks_node_group.bottlerocket',
        'module.eks.eks_managed_node_groups.bottlerocket',
      ],
      'Terraform',
    ],
    ['terraform/plan.json', ['aws_eks_node_group.bottlerocket', 'module.gpu.aws_eks_node_group.this[0]'], 'Terraform'],
    ['cloudformation-launch-template.yaml', ['NodeLaunchTemplate (AWS::EC2::LaunchTemplate)'], 'CloudFormation'],
    ['cdk-synth.template.json', ['ClusterBottlerocketNodesLaunchTemplate8B4E2F5C (AWS::EC2::LaunchTemplate)'], 'CloudFormation'],
  ])('%s', async (name, definitions, tool) => {
    const inputs = await hostsOf(name);
    expect(inputs.map((i) => i.snapshot.host.name)).toEqual(definitions);
    for (const input of inputs) {
      expect(input.kind).toBe('node-config');
      expect(input.nodeConfig?.tool).toBe(tool);
      expect(input.snapshot.host.id).toBe(`${fixture(name)}#${input.nodeConfig?.definition}`);
    }
  });

  it('infers the variant from what the file names, and says where', async () => {
    const cases: [string, string, string | null, string, RegExp][] = [
      ['karpenter-ec2nodeclass.yaml', 'EC2NodeClass/bottlerocket-example', null, 'aws-k8s', /alias bottlerocket@latest/],
      ['eksctl-cluster.yaml', 'nodeGroups/buildkit', 'aws-k8s-1.30', 'aws-k8s', /metadata.version 1.30/],
      [
        'terraform/main.tf',
        'aws_launch_template.nodes',
        'aws-k8s-1.31',
        'aws-k8s',
        /SSM parameter \/aws\/service\/bottlerocket\/aws-k8s-1.31/,
      ],
      ['terraform/plan.json', 'module.gpu.aws_eks_node_group.this[0]', null, 'aws-k8s-nvidia', /BOTTLEROCKET_x86_64_NVIDIA/],
      ['cloudformation-launch-template.yaml', 'NodeLaunchTemplate (AWS::EC2::LaunchTemplate)', 'aws-k8s-1.30', 'aws-k8s', /aws-k8s-1.30/],
      ['eks-anywhere-machineconfig.yaml', 'VSphereMachineConfig/machine-config', null, 'vmware-k8s', /VSphereMachineConfig/],
    ];
    for (const [file, name, id, family, why] of cases) {
      const host = scanHost(byName(await hostsOf(file), name), plan);
      expect({ id: host.variant.id, family: host.variant.family }, `${file} ${name}`).toEqual({ id, family });
      expect(host.variant.note).toMatch(why);
    }
  });

  it('takes --variant only where the file names no more than a family', async () => {
    const [input] = (await readInputs(fixture('karpenter-ec2nodeclass.yaml'), { variant: 'aws-k8s-1.31' })).inputs;
    expect(scanHost(input!, plan).variant).toMatchObject({ id: 'aws-k8s-1.31', family: 'aws-k8s', source: 'flag' });
    const [nvidia] = (await readInputs(fixture('eksctl-cluster.yaml'), { variant: 'aws-ecs-2' })).inputs;
    const host = scanHost(nvidia!, plan);
    expect(host.variant.id).toBe('aws-k8s-1.30');
    expect(host.variant.note).toMatch(/decides over --variant aws-ecs-2/);
  });
});

describe('the node as it will launch: each tool’s merge rules', () => {
  it('Karpenter drops the settings.kubernetes keys it does not model: a finding at the line of the key', async () => {
    const [input] = await hostsOf('karpenter-ec2nodeclass.yaml');
    const host = scanHost(input!, plan);
    const dropped = result(host, 'BRSEC-node-config-dropped');
    expect(dropped.status).toBe('FAIL');
    expect(dropped.reason).toContain('settings.kubernetes.authentication-mode');
    expect(dropped.reason).toContain('settings.kubernetes.standalone-mode');
    expect(dropped.reason).not.toContain('kube-api-qps');
    // authentication-mode is on line 30 of the file, the fifth line of the userData block.
    expect(scanHost(input!, plan, { locate: true }).locations?.['BRSEC-node-config-dropped']).toBe(30);
    const settings = input!.userData!.settings as { kubernetes: Record<string, unknown> };
    expect(Object.keys(settings.kubernetes)).not.toContain('authentication-mode');
    expect(settings.kubernetes['kube-api-qps']).toBe(30);
  });

  it('Karpenter writes spec.kubelet fields and the cluster’s own keys, said to come from the tool', async () => {
    const [input] = await hostsOf('karpenter-ec2nodeclass.yaml');
    expect(input!.userData!.written).toMatchObject({
      'kubernetes\u0000max-pods': 'Karpenter (spec.kubelet.maxPods)',
      'kubernetes\u0000cluster-name': 'Karpenter (from the cluster)',
    });
    expect((input!.userData!.settings as { kubernetes: Record<string, unknown> }).kubernetes['max-pods']).toBe(110);
    expect(input!.userData!.lines['kubernetes\u0000max-pods']).toBe(19);
  });

  it('eksctl turns on the admin container when ssh.allow is set, and says so', async () => {
    const inputs = await hostsOf('eksctl-cluster.yaml');
    const ssh = scanHost(byName(inputs, 'nodeGroups/ng-bottlerocket'), plan, { locate: true });
    const admin = result(ssh, 'BRSEC-admin-container');
    expect(admin.status).toBe('FAIL');
    expect(admin.evidence[0]).toMatchObject({ origin: 'tool', actual: 'true' });
    expect(admin.evidence[0]!.source).toMatch(/^eksctl \(ssh.allow/);
    expect(ssh.locations?.['BRSEC-admin-container']).toBe(30);
    // enableAdminContainer: false decides over ssh; without either, Bottlerocket's default (disabled) holds.
    expect(result(scanHost(byName(inputs, 'managedNodeGroups/managed-bottlerocket'), plan), 'BRSEC-admin-container').status).toBe('PASS');
    const buildkit = scanHost(byName(inputs, 'nodeGroups/buildkit'), plan);
    expect(result(buildkit, 'BRSEC-admin-container').evidence[0]!.origin).toBe('default');
  });

  it('eksctl: a key alone allows SSH, and so the admin container; ssh.allow: false keeps it off', () => {
    const group = (ssh: string) =>
      detectInputs(
        `apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: c\nnodeGroups:\n  - name: ng\n    amiFamily: Bottlerocket\n    ssh:\n${ssh}`,
        { source: 'c.yaml', parseToml: (t) => parseToml(t) as Record<string, unknown> },
      ).inputs[0]!;
    const keyed = result(scanHost(group('      publicKeyName: my-key\n'), plan), 'BRSEC-admin-container');
    expect(keyed.status).toBe('FAIL');
    expect(keyed.evidence[0]!.source).toMatch(/^eksctl \(ssh.publicKeyName: a key allows SSH/);
    expect(result(scanHost(group('      allow: false\n      publicKeyName: my-key\n'), plan), 'BRSEC-admin-container').status).toBe('PASS');
  });

  it('an EKS managed node group with remote access turns on the admin container', async () => {
    const inputs = await hostsOf('terraform/main.tf');
    const group = scanHost(byName(inputs, 'aws_eks_node_group.bottlerocket'), plan);
    expect(result(group, 'BRSEC-admin-container')).toMatchObject({ status: 'FAIL' });
    expect(result(group, 'BRSEC-admin-container').evidence[0]!.source).toMatch(/remote_access/);
  });

  it('EKS Auto Mode: advancedSecurity decides kernel lockdown and FIPS', async () => {
    const [input] = await hostsOf('eks-auto-nodeclass.yaml');
    const host = scanHost(input!, plan);
    expect(result(host, 'BR-1.5.2').status).toBe('FAIL');
    expect(result(host, 'BR-1.5.2').evidence[0]).toMatchObject({ actual: 'none', origin: 'tool' });
    // fips: true makes the FIPS checks apply.
    expect(result(host, 'BRSEC-fips-mode').status).not.toBe('NOT_APPLICABLE');
  });

  it('EKS Anywhere: bottlerocketConfiguration becomes settings, and SSH keys the admin container', async () => {
    const [input] = await hostsOf('eks-anywhere-machineconfig.yaml');
    const settings = input!.userData!.settings as Record<string, Record<string, unknown>>;
    expect(settings.kubernetes).toMatchObject({
      'max-pods': 50,
      'allowed-unsafe-sysctls': ['net.core.somaxconn', 'net.ipv4.ip_local_port_range'],
    });
    expect(settings.kernel).toMatchObject({ sysctl: { 'vm.max_map_count': '262144' } });
    expect(result(scanHost(input!, plan), 'BRSEC-admin-container').status).toBe('FAIL');
  });

  it('Bottlerocket’s defaults for the variant fill what neither file nor tool sets', async () => {
    const [input] = await hostsOf('karpenter-ec2nodeclass.yaml');
    const redirects = result(scanHost(input!, plan), 'BR-3.1.1');
    expect(redirects.evidence.filter((e) => e.origin === 'default').length).toBeGreaterThan(0);
  });
});

describe('Karpenter API versions', () => {
  const nodeClass = (apiVersion: string, kind: string, spec: string) =>
    detectInputs(`apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: old\nspec:\n${spec}`, {
      source: 'old.yaml',
      parseToml: (t) => parseToml(t) as Record<string, unknown>,
    });

  it('v1beta1 EC2NodeClass and v1alpha1 AWSNodeTemplate: amiFamily Bottlerocket, IMDS hop limit 2 by default', () => {
    for (const [apiVersion, kind] of [
      ['karpenter.k8s.aws/v1beta1', 'EC2NodeClass'],
      ['karpenter.k8s.aws/v1alpha1', 'AWSNodeTemplate'],
    ]) {
      const found = nodeClass(
        apiVersion!,
        kind!,
        '  amiFamily: Bottlerocket\n  userData: |\n    [settings.kubernetes]\n    server-certificate = "x"\n',
      );
      expect(found.inputs.map((i) => i.snapshot.host.name)).toEqual([`${kind}/old`]);
      const host = scanHost(found.inputs[0]!, plan);
      expect(result(host, 'BRSEC-imds-v2').reason).toContain('metadataOptions.httpPutResponseHopLimit: 2');
      expect(result(host, 'BRSEC-node-config-dropped').reason).toContain('settings.kubernetes.server-certificate');
    }
  });

  it('a node class of another image family is not a Bottlerocket node; user data that is not text is a problem', () => {
    expect(nodeClass('karpenter.k8s.aws/v1', 'EC2NodeClass', '  amiFamily: AL2023\n').skipped).toMatch(/no Bottlerocket node definition/);
    expect(nodeClass('karpenter.k8s.aws/v1', 'EC2NodeClass', '  amiFamily: Bottlerocket\n  userData: 5\n').problems).toEqual([
      { file: 'old.yaml (EC2NodeClass/old)', message: 'spec.userData is not text' },
    ]);
  });

  it('amiFamily Custom passes user data through as written', () => {
    const found = nodeClass(
      'karpenter.k8s.aws/v1',
      'EC2NodeClass',
      '  amiFamily: Custom\n  amiSelectorTerms:\n    - ssmParameter: /aws/service/bottlerocket/aws-k8s-1.31/x86_64/latest/image_id\n  userData: |\n    [settings.kubernetes]\n    authentication-mode = "tls"\n',
    );
    const host = scanHost(found.inputs[0]!, plan);
    expect(host.variant.id).toBe('aws-k8s-1.31');
    expect(result(host, 'BRSEC-node-config-dropped').status).toBe('PASS');
  });
});

describe('every host gets the verdicts its equivalent plain user data gets, except where a merge rule decides', () => {
  const cases: [string, string, string, Record<string, string>][] = [
    [
      'karpenter-ec2nodeclass.yaml',
      'EC2NodeClass/bottlerocket-example',
      // authentication-mode and standalone-mode are dropped by Karpenter.
      '[settings.kubernetes]\n"kube-api-qps" = 30\n"shutdown-grace-period" = "30s"\n"shutdown-grace-period-for-critical-pods" = "30s"\nmax-pods = 110\n[settings.kubernetes.eviction-hard]\n"memory.available" = "20%"\n[settings.kernel]\nlockdown = "integrity"\n[settings.host-containers.admin]\nenabled = false\n',
      { 'BRSEC-imds-v2': 'FAIL', 'BRSEC-node-config-dropped': 'FAIL' },
    ],
    [
      'eksctl-cluster.yaml',
      'nodeGroups/buildkit',
      '[settings.kernel.sysctl]\n"user.max_user_namespaces" = "16384"\n',
      { 'BRSEC-imds-v2': 'NOT_ASSESSED', 'BRSEC-node-config-dropped': 'PASS' },
    ],
    [
      'eksctl-cluster.yaml',
      'nodeGroups/ng-bottlerocket',
      // ssh.allow: eksctl enables the admin container.
      'settings.motd = "Hello from eksctl!"\n',
      {
        'BRSEC-imds-v2': 'NOT_ASSESSED',
        'BRSEC-node-config-dropped': 'PASS',
        'BRSEC-admin-container': 'FAIL',
        'BRSEC-superpowered-containers': 'FAIL',
      },
    ],
    [
      'cdk-synth.template.json',
      'ClusterBottlerocketNodesLaunchTemplate8B4E2F5C (AWS::EC2::LaunchTemplate)',
      '[settings.kubernetes]\napi-server = "https://example"\ncluster-name = "demo"\n',
      { 'BRSEC-imds-v2': 'FAIL', 'BRSEC-node-config-dropped': 'PASS' },
    ],
    [
      'terraform/plan.json',
      'aws_eks_node_group.bottlerocket',
      '[settings.kubernetes]\ncluster-name = "my-cluster"\n[settings.kernel]\nlockdown = "integrity"\n[settings.host-containers.admin]\nenabled = true\n',
      { 'BRSEC-imds-v2': 'FAIL', 'BRSEC-node-config-dropped': 'PASS' },
    ],
  ];
  it.each(cases)('%s %s', async (file, name, toml, merged) => {
    const node = scanHost(byName(await hostsOf(file), name), plan);
    const plain = plainUserData(toml, node.variant.id ?? node.variant.family!);
    const expected = { ...statuses(plain), ...merged };
    // Checks of node definitions alone do not apply to plain user data.
    expect(statuses(plain)['BRSEC-imds-v2']).toBe('NOT_APPLICABLE');
    expect(statuses(node)).toEqual(expected);
  });
});

describe('values not known until deploy time are NOT_ASSESSED, with the expression that decides them', () => {
  it('a Terraform %{ if } directive and ${var} interpolations', async () => {
    const host = scanHost(byName(await hostsOf('terraform/main.tf'), 'aws_launch_template.nodes'), plan);
    const admin = result(host, 'BRSEC-admin-container');
    expect(admin.status).toBe('NOT_ASSESSED');
    expect(admin.reason).toContain('%{ if var.enable_admin_container }');
  });

  it('a templatefile() with literal variables: known where the map gives them', async () => {
    const host = scanHost(byName(await hostsOf('terraform/main.tf'), 'aws_launch_template.templated'), plan);
    expect(result(host, 'BRSEC-admin-container').status).toBe('PASS');
    expect(result(host, 'BRSEC-admin-container').evidence[0]).toMatchObject({ actual: 'false', origin: 'set' });
  });

  it('a plan’s user data known only after apply', async () => {
    const host = scanHost(byName(await hostsOf('terraform/plan.json'), 'module.gpu.aws_eks_node_group.this[0]'), plan);
    for (const id of ['BRSEC-admin-container', 'BR-1.5.2', 'BRSEC-node-config-dropped']) {
      expect(result(host, id).status, id).toBe('NOT_ASSESSED');
      expect(result(host, id).reason, id).toContain('module.gpu.aws_launch_template.this[0].user_data (known after apply)');
    }
    expect(result(host, 'BRSEC-imds-v2').status).toBe('PASS');
  });

  it('a CloudFormation !Sub parameter', async () => {
    const [input] = await hostsOf('cloudformation-launch-template.yaml');
    const admin = result(scanHost(input!, plan), 'BRSEC-admin-container');
    expect(admin.status).toBe('NOT_ASSESSED');
    expect(admin.reason).toContain('${AdminEnabled}');
  });

  it('a bare user data template (templatefile’s .tpl) reads as user data with unknown values', async () => {
    const input = await readInput(fixture('terraform/userdata.toml.tpl'));
    expect(input.kind).toBe('user-data');
    const host = scanHost(input, plan);
    expect(result(host, 'BRSEC-admin-container').status).toBe('NOT_ASSESSED');
    expect(result(host, 'BRSEC-admin-container').reason).toContain('${admin_enabled}');
  });
});

describe('files and folders', () => {
  it('multi-document YAML: only node definitions become hosts; a folder’s other manifests are skipped, not errors', async () => {
    const result = await scan([join(dir, 'manifests')], { profiles: ['hardening'] });
    expect(result.hosts.map((h) => h.host.name)).toEqual(['EC2NodeClass/bottlerocket']);
    expect(result.inputErrors).toEqual([]);
    expect(result.skipped).toEqual([
      { file: join(dir, 'manifests', 'deployment.yaml'), reason: 'holds no Bottlerocket node definition (1 document: Deployment)' },
    ]);
  });

  it('files that define no node at all are an input problem (exit 2), never a clean pass', () => {
    const run = brsec(['scan', 'test/fixtures/node-config/manifests/deployment.yaml']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('skipped test/fixtures/node-config/manifests/deployment.yaml: holds no Bottlerocket node definition');
    expect(run.stderr).toContain('no Bottlerocket node definition in the file read');
  });

  it('an unreadable definition is a problem of its own; the file’s other definitions are scanned', () => {
    const text = readFileSync(fixture('manifests/helm-rendered.yaml'), 'utf8').replace('enabled = true', 'enabled = = true');
    const found = detectInputs(text + '\n---\n' + readFileSync(fixture('eks-auto-nodeclass.yaml'), 'utf8'), {
      source: 'mixed.yaml',
      parseToml: (t) => parseToml(t) as Record<string, unknown>,
    });
    expect(found.inputs.map((i) => i.snapshot.host.name)).toEqual(['NodeClass/security-hardened']);
    expect(found.problems).toEqual([
      { file: 'mixed.yaml (EC2NodeClass/bottlerocket)', message: expect.stringMatching(/^user data that is not valid TOML/) },
    ]);
  });

  it('malformed YAML is one line naming the file and line', () => {
    const bad = tmp.path('bad.yaml');
    writeFileSync(bad, 'apiVersion: karpenter.k8s.aws/v1\nkind: EC2NodeClass\nspec:\n  userData: "unterminated\n');
    const run = brsec(['scan', bad]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/bad\.yaml: malformed YAML: .*\(line \d+\)/);
  });

  it('inputs the fuzzer found: blank lines by the hundred thousand, a line of one character, nesting past any real file', () => {
    const read = (text: string) => detectInputs(text, { source: 'f', parseToml: (t) => parseToml(t) as Record<string, unknown> });
    const karpenter = readFileSync(fixture('karpenter-ec2nodeclass.yaml'), 'utf8');
    // Patterns that let a line start run across lines were quadratic here: read at once now.
    expect(read('\n'.repeat(100_000) + karpenter).inputs).toHaveLength(1);
    expect(() => read(`a = "\${b}"\n${'\n'.repeat(100_000)}c = 1\n`)).toThrow(/TOML without a \[settings\] table/);
    expect(() => read(`[settings.kubernetes]\nx = "\${a}"\n${' '.repeat(100_000)}=`)).toThrow(/not valid TOML/);
    const deep = {
      Resources: { A: { Type: 'AWS::EC2::LaunchTemplate', Properties: {} } },
      X: JSON.parse('['.repeat(2000) + ']'.repeat(2000)),
    };
    expect(() => read(JSON.stringify(deep))).toThrow(/nested deeper than 64 levels/);
    expect(() => read(`apiVersion: v1\nkind: List\nitems: ${'['.repeat(3000)}${']'.repeat(3000)}\n`)).toThrow(/nested/);
  });

  it('mutated Terraform HCL (the fuzzer’s mutations) is read, or is one problem naming it; never an internal error', async () => {
    const { mutate, random } = await import('../robustness/fuzz/mutate.mjs');
    const { loadHclParser } = await import('../../src/inputs/node-config/index.js');
    const parseHcl = await loadHclParser();
    const tf = readFileSync(fixture('terraform/main.tf'), 'utf8');
    let hosts = 0;
    for (let i = 0; i < 150; i++) {
      const { text } = mutate(tf, random(1000 + i));
      try {
        const found = detectInputs(text, {
          source: fixture('terraform/main.tf'),
          parseHcl,
          parseToml: (t) => parseToml(t) as Record<string, unknown>,
        });
        hosts += found.inputs.length;
        for (const p of found.problems) expect(p.message).not.toMatch(/\n\s+at /);
        if (found.inputs.length > 0) scanHost(found.inputs[0]!, plan);
      } catch (err) {
        expect(err, String(err)).toBeInstanceOf((await import('../../src/index.js')).InputError);
      }
    }
    expect(hosts).toBeGreaterThan(100);
  });

  it('readInput and detectInput refuse a file of several hosts, naming readInputs', async () => {
    await expect(readInput(fixture('eksctl-cluster.yaml'))).rejects.toThrow(/defines 3 hosts; read it with readInputs/);
  });
});

describe('reports point at the line in the file', () => {
  it('SARIF from every file kind validates, and its lines are where the file says it', () => {
    const run = brsec(['scan', 'test/fixtures/node-config', '-f', 'sarif', '--profile', 'hardening', 'cis-bottlerocket']);
    const sarif = JSON.parse(run.stdout);
    expect(schemaErrors(sarif)).toEqual([]);
    expect(githubProblems(sarif, repoRoot)).toEqual([]);
    const lines = new Map<string, number>();
    for (const r of sarif.runs.flatMap((run: any) => run.results))
      lines.set(`${r.properties.host.split('/node-config/')[1]} ${r.ruleId}`, r.locations[0].physicalLocation.region.startLine);
    expect(Object.fromEntries([...lines].filter(([k]) => /admin-container|dropped|imds|BR-1.5.2|BR-1.4.4/.test(k)))).toEqual({
      // YAML block scalar: the line in the file, not in the TOML.
      'karpenter-ec2nodeclass.yaml#EC2NodeClass/bottlerocket-example BRSEC-node-config-dropped': 30,
      'karpenter-ec2nodeclass.yaml#EC2NodeClass/bottlerocket-example BRSEC-imds-v2': 23,
      'manifests/helm-rendered.yaml#EC2NodeClass/bottlerocket BRSEC-admin-container': 35,
      // YAML settings map: the key's own line.
      'eksctl-cluster.yaml#nodeGroups/buildkit BR-1.4.4': 24,
      'eksctl-cluster.yaml#nodeGroups/ng-bottlerocket BRSEC-admin-container': 30,
      'eks-auto-nodeclass.yaml#NodeClass/security-hardened BR-1.5.2': 19,
      'eks-anywhere-machineconfig.yaml#VSphereMachineConfig/machine-config BRSEC-admin-container': 10,
      // A block's own line where a tool decides.
      'terraform/main.tf#aws_eks_node_group.bottlerocket BRSEC-admin-container': 61,
      // A plan is one line of JSON.
      'terraform/plan.json#aws_eks_node_group.bottlerocket BRSEC-admin-container': 1,
      'terraform/plan.json#aws_eks_node_group.bottlerocket BRSEC-imds-v2': 1,
      // A CDK synth template's JSON.
      'cdk-synth.template.json#ClusterBottlerocketNodesLaunchTemplate8B4E2F5C (AWS::EC2::LaunchTemplate) BRSEC-imds-v2': 30,
    });
  });

  it('results left to deploy time point at the expression that decides them', async () => {
    const lines = async (file: string, name: string) => scanHost(byName(await hostsOf(file), name), plan, { locate: true }).locations ?? {};
    // HCL heredoc: the line in the .tf file, not in the TOML; a definition's own line where nothing more particular does.
    expect((await lines('terraform/main.tf', 'aws_launch_template.nodes'))['BRSEC-admin-container']).toBe(33);
    expect((await lines('terraform/main.tf', 'aws_launch_template.templated'))['BRSEC-imds-v2']).toBe(39);
    expect((await lines('terraform/main.tf', 'module.eks.eks_managed_node_groups.bottlerocket'))['BRSEC-imds-v2']).toBe(74);
    // CloudFormation !Sub block scalar.
    expect(
      (await lines('cloudformation-launch-template.yaml', 'NodeLaunchTemplate (AWS::EC2::LaunchTemplate)'))['BRSEC-admin-container'],
    ).toBe(30);
    const template = scanHost(await readInput(fixture('terraform/userdata.toml.tpl'), { locate: true }), plan, { locate: true });
    expect(template.locations?.['BRSEC-admin-container']).toBe(7);
  });

  it('SARIF stays within GitHub’s 20 runs when a few files define more hosts than that', () => {
    const many = tmp.path('many.yaml');
    const one = readFileSync(fixture('karpenter-ec2nodeclass.yaml'), 'utf8');
    writeFileSync(many, Array.from({ length: 25 }, (_, i) => one.replace('bottlerocket-example', `nodes-${i}`)).join('\n---\n'));
    const sarif = JSON.parse(brsec(['scan', many, '-f', 'sarif']).stdout);
    expect(sarif.runs).toHaveLength(1);
    expect(sarif.runs[0].automationDetails.id).toMatch(/\/fleet\/$/);
    expect(githubProblems(sarif, repoRoot)).toEqual([]);
    // A few hosts keep a run each.
    expect(JSON.parse(brsec(['scan', fixture('eksctl-cluster.yaml'), '-f', 'sarif']).stdout).runs).toHaveLength(3);
  });

  it('JUnit and Markdown give the line too', () => {
    const junit = brsec(['scan', 'test/fixtures/node-config/karpenter-ec2nodeclass.yaml', '-f', 'junit']).stdout;
    expect(junit).toMatch(/file="test\/fixtures\/node-config\/karpenter-ec2nodeclass.yaml">/);
    expect(junit).toMatch(/name="BRSEC-node-config-dropped [^"]*" time="0"><failure message="line 30: settings the file writes/);
    const markdown = brsec(['scan', 'test/fixtures/node-config/karpenter-ec2nodeclass.yaml', '-f', 'markdown']).stdout;
    expect(markdown).toMatch(/BRSEC-node-config-dropped.*\| medium \| line 30: settings the file writes that the tool drops/);
  });

  it('JSON reports of node definitions validate, and say where each setting came from', () => {
    const run = brsec(['scan', 'test/fixtures/node-config/eksctl-cluster.yaml', '-f', 'json']);
    const report = JSON.parse(run.stdout);
    const validate = new Ajv({ allErrors: true, strict: false }).compile(
      JSON.parse(readFileSync(join(repoRoot, 'schemas', 'report-1.schema.json'), 'utf8')),
    );
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    const origins = new Set(report.hosts.flatMap((h: any) => h.results.flatMap((r: any) => r.evidence.map((e: any) => e.origin))));
    expect([...origins].sort()).toEqual(expect.arrayContaining(['default', 'set', 'tool']));
    expect(report.hosts.map((h: any) => h.inputKind)).toEqual(['node-config', 'node-config', 'node-config']);
  });
});
