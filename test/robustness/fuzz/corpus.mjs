// The seeds the fuzzer mutates: one or more real inputs of every kind brsec reads, each with secrets planted at
// the setting paths that hold them, so a leak shows as a token in some output.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '..', '..', '..');

/** Tokens planted as secret values; none of them occurs anywhere else. Reserved URL characters are on purpose. */
export const SECRET_TOKENS = [
  'Zq7Secret/pw@x:1',
  'Zq7SecretAuthB64==',
  'Zq7SecretBootstrap.abcdef',
  'Zq7SecretKey-----',
  'Zq7SecretUserData',
];
/** What marks a secret in any output: every token starts with it. */
export const SECRET_MARK = 'Zq7Secret';

const read = (path) => readFileSync(join(repoRoot, path), 'utf8');

/** Plants every secret the settings can hold into a settings object (changed in place). */
function plantSettings(settings) {
  settings['container-registry'] = {
    ...settings['container-registry'],
    credentials: [{ registry: 'docker.io', username: 'ci', password: SECRET_TOKENS[0], auth: SECRET_TOKENS[1] }],
    mirrors: [{ registry: 'docker.io', endpoint: [`https://ci:${SECRET_TOKENS[0]}@mirror.example.com/v2`] }],
  };
  settings.kubernetes = { ...settings.kubernetes, 'bootstrap-token': SECRET_TOKENS[2], 'server-key': SECRET_TOKENS[3] };
  settings['host-containers'] = {
    ...settings['host-containers'],
    admin: { ...settings['host-containers']?.admin, 'user-data': SECRET_TOKENS[4] },
  };
  settings.network = { ...settings.network, 'https-proxy': `http://user:${SECRET_TOKENS[0]}@proxy.example.com:3128` };
  return settings;
}

function snapshotSeed(path) {
  const snapshot = JSON.parse(read(path));
  const get = snapshot.captures?.['apiclient get'];
  if (get?.stdout) {
    const api = JSON.parse(get.stdout);
    plantSettings(api.settings);
    get.stdout = JSON.stringify(api, null, 2);
  }
  return JSON.stringify(snapshot, null, 2);
}

function apiGetSeed(path) {
  const api = JSON.parse(read(path));
  plantSettings(api.settings ?? api);
  return JSON.stringify(api, null, 2);
}

const USER_DATA_SECRETS = `
[settings.network]
https-proxy = "http://user:${SECRET_TOKENS[0]}@proxy.example.com:3128"

[[settings.container-registry.credentials]]
registry = "docker.io"
password = "${SECRET_TOKENS[0]}"
auth = "${SECRET_TOKENS[1]}"
`;

/** The Karpenter fixture with secrets in its user data (the block scalar's indentation kept). */
function karpenterSeed() {
  const secrets = USER_DATA_SECRETS.trim()
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
  return read('test/fixtures/node-config/karpenter-ec2nodeclass.yaml').replace(
    '    [settings.kernel]\n',
    `${secrets}\n    [settings.kernel]\n`,
  );
}

/** Every seed: a name, its kind, and its text. */
export function seeds() {
  const k8s = 'test/fixtures/samples/aws-k8s-1.30-default';
  const ecs = 'test/fixtures/samples/aws-ecs-2-gaps';
  const realWorld = 'test/fixtures/real-world';
  const userData = read('test/fixtures/userdata/gaps.toml').replace(
    '[settings.kubernetes]\n',
    `[settings.kubernetes]\nbootstrap-token = "${SECRET_TOKENS[2]}"\n`,
  );
  return [
    { name: 'snapshot-k8s', kind: 'snapshot', text: snapshotSeed('examples/k8s-stock-full.json') },
    { name: 'snapshot-ecs', kind: 'snapshot', text: snapshotSeed('examples/ecs-gaps.json') },
    { name: 'snapshot-iptables', kind: 'snapshot', text: snapshotSeed(`${realWorld}/iptables-1.8.11-output-pr390/snapshot.json`) },
    { name: 'snapshot-kubelet', kind: 'snapshot', text: snapshotSeed(`${realWorld}/kubelet-config-1.31-aws/snapshot.json`) },
    { name: 'apiclient-get-k8s', kind: 'apiclient get', text: apiGetSeed(`${k8s}/get-settings.json`) },
    {
      name: 'apiclient-get-govcloud-fips',
      kind: 'apiclient get',
      text: apiGetSeed(`${realWorld}/partitions/govcloud-fips-us-gov-west-1/apiclient-get.json`),
    },
    { name: 'bloodhound-json', kind: 'bloodhound', text: read(`${k8s}/report-cis-l2.json`) },
    { name: 'bloodhound-json-k8s', kind: 'bloodhound', text: read(`${k8s}/report-cis-k8s-l2.json`) },
    { name: 'bloodhound-text', kind: 'bloodhound', text: read(`${k8s}/report-cis-l2.txt`) },
    { name: 'bloodhound-text-exception', kind: 'bloodhound', text: read(`${realWorld}/bloodhound-cis-exception-pr665/report.txt`) },
    { name: 'update-check', kind: 'update check', text: read(`${ecs}/update-check.json`) },
    { name: 'user-data', kind: 'user data', text: `${userData}${USER_DATA_SECRETS}` },
    { name: 'user-data-1.33', kind: 'user data', text: read(`${realWorld}/seccomp-default-1.33-issue-4617/user-data.toml`) },
    { name: 'user-data-template', kind: 'user data', text: read('test/fixtures/node-config/terraform/userdata.toml.tpl') },
    // Node configuration: one file, several hosts, merge rules; the Karpenter seed with secrets in its user data.
    { name: 'karpenter', kind: 'node config', text: karpenterSeed() },
    { name: 'helm-rendered', kind: 'node config', text: read('test/fixtures/node-config/manifests/helm-rendered.yaml') },
    { name: 'eksctl', kind: 'node config', text: read('test/fixtures/node-config/eksctl-cluster.yaml') },
    { name: 'eks-auto-mode', kind: 'node config', text: read('test/fixtures/node-config/eks-auto-nodeclass.yaml') },
    { name: 'eks-anywhere', kind: 'node config', text: read('test/fixtures/node-config/eks-anywhere-machineconfig.yaml') },
    { name: 'cloudformation', kind: 'node config', text: read('test/fixtures/node-config/cloudformation-launch-template.yaml') },
    { name: 'cdk-synth', kind: 'node config', text: read('test/fixtures/node-config/cdk-synth.template.json') },
    { name: 'terraform-plan', kind: 'node config', text: read('test/fixtures/node-config/terraform/plan.json') },
  ];
}
