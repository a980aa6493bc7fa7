// Secrets in snapshots and user data never leave: no report, message or error shows their values.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { scan } from '../src/index.js';
import { brsec, repoRoot } from './helpers/cli.js';

const SECRETS = {
  awsKey: 'AKIAZZSECRET0ACCESS0KEY',
  awsSecret: 'wJalrXUtnFEMI-K7MDENG-SECRET-bPxRfiCYEXAMPLEKEY',
  registryPassword: 'hunter2-REGISTRY-PASSWORD',
  registryAuth: 'Y2k6aHVudGVyMi1BVVRILVNFQ1JFVA',
  identityToken: 'IDENTITY-TOKEN-9c1f0e7b',
  bootstrapToken: 'q8w7e6.r5t4y3u2i1o0p9a8',
  serverKey: 'LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tU0VSVkVSLUtFWQ',
  sshKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAISECRETSSHKEY admin@example',
  proxyPassword: 'PROXY-PASS-5521',
  providerSecret: 'PROVIDER-ENV-SECRET-77aa',
};
/**
 * Mirror passwords with each character RFC 3986 reserves (a host writes them unencoded): a redaction that stops at
 * the first `/` or `@` would show the rest.
 */
const MIRROR_PASSWORDS = [':', '/', '?', '#', '[', ']', '@', '!', '$', '&', "'", '(', ')', '*', '+', ',', ';', '=', ' '].map(
  (c, i) => `MIRPW${i}a${c}MIRPW${i}b`,
);
const mirrorEndpoints = MIRROR_PASSWORDS.map((pw, i) => `http://mirror-user:${pw}@mirror${i}.example.com/v2`);
const b64 = (text: string) => Buffer.from(text).toString('base64');
const AWS_CREDENTIALS = b64(`[default]\naws_access_key_id = ${SECRETS.awsKey}\naws_secret_access_key = ${SECRETS.awsSecret}\n`);
const ADMIN_USER_DATA = b64(JSON.stringify({ ssh: { 'authorized-keys': [SECRETS.sshKey] } }));
/** Every form a secret takes in the inputs: the value, and the base64 settings hold. */
const FORBIDDEN = [...Object.values(SECRETS), AWS_CREDENTIALS, ADMIN_USER_DATA, b64(SECRETS.sshKey)];
/** Distinctive beginnings: a parser's excerpt would show a piece of a secret, not all of it; and each mirror password's halves. */
const PIECES = [
  'hunter2',
  'q8w7e6',
  'AKIAZZ',
  'IDENTITY-TOKEN',
  'PROXY-PASS',
  'PROVIDER-ENV',
  'AAAAC3Nz',
  ...MIRROR_PASSWORDS.flatMap((_, i) => [`MIRPW${i}a`, `MIRPW${i}b`]),
];

const secretSettings = {
  aws: { region: 'us-west-2', credentials: AWS_CREDENTIALS, config: AWS_CREDENTIALS },
  'container-registry': {
    credentials: [
      { registry: 'docker.io', username: 'ci', password: SECRETS.registryPassword },
      { registry: 'registry.example.com', auth: SECRETS.registryAuth },
      { registry: 'quay.io', identitytoken: SECRETS.identityToken },
    ],
    mirrors: [
      { registry: 'docker.io', endpoint: [`http://ci:${SECRETS.proxyPassword}@mirror.example.com`] },
      { registry: 'quay.io', endpoint: mirrorEndpoints },
    ],
  },
  kubernetes: {
    'bootstrap-token': SECRETS.bootstrapToken,
    'server-tls-bootstrap': false,
    'server-certificate': 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t',
    'server-key': SECRETS.serverKey,
    'credential-providers': {
      'ecr-credential-provider': { enabled: true, environment: { AWS_SECRET_ACCESS_KEY: SECRETS.providerSecret } },
    },
  },
  'host-containers': {
    admin: {
      enabled: true,
      superpowered: true,
      source: `https://ci:${SECRETS.proxyPassword}@registry.evil.example/admin:1`,
      'user-data': ADMIN_USER_DATA,
    },
  },
  'bootstrap-containers': { setup: { source: 'public.ecr.aws/bottlerocket/setup:1', mode: 'once', 'user-data': b64(SECRETS.sshKey) } },
  network: { 'https-proxy': `http://proxy:${SECRETS.proxyPassword}@10.0.0.1:3128` },
};

const toml = `[settings.aws]
region = "us-west-2"
credentials = "${AWS_CREDENTIALS}"

[[settings.container-registry.credentials]]
registry = "docker.io"
username = "ci"
password = "${SECRETS.registryPassword}"

[[settings.container-registry.credentials]]
registry = "quay.io"
identitytoken = "${SECRETS.identityToken}"

[settings.kubernetes]
bootstrap-token = "${SECRETS.bootstrapToken}"
server-tls-bootstrap = false
server-certificate = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t"
server-key = "${SECRETS.serverKey}"

[settings.host-containers.admin]
enabled = true
user-data = "${ADMIN_USER_DATA}"

[settings.network]
https-proxy = "http://proxy:${SECRETS.proxyPassword}@10.0.0.1:3128"

[[settings.container-registry.mirrors]]
registry = "quay.io"
endpoint = ${JSON.stringify(mirrorEndpoints)}
`;

let dir: string;
let files: Record<string, string>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'brsec-secrets-'));
  const snapshot = JSON.parse(readFileSync(join(repoRoot, 'examples', 'k8s-stock-full.json'), 'utf8'));
  const get = JSON.parse(snapshot.captures['apiclient get'].stdout);
  get.settings = { ...get.settings, ...secretSettings, kubernetes: { ...get.settings.kubernetes, ...secretSettings.kubernetes } };
  snapshot.captures['apiclient get'].stdout = JSON.stringify(get);
  const brokenCapture = JSON.parse(JSON.stringify(snapshot));
  brokenCapture.host.id = 'i-broken-capture';
  // Malformed JSON right at a secret: the parser's message would quote it.
  brokenCapture.captures['apiclient get'].stdout = `{"settings": {"kubernetes": {"bootstrap-token": ${SECRETS.bootstrapToken}}}}`;
  files = {
    snapshot: join(dir, 'snapshot.json'),
    brokenCapture: join(dir, 'broken-capture.json'),
    userData: join(dir, 'user-data.toml'),
    malformedJson: join(dir, 'malformed.json'),
    badToml: join(dir, 'bad.toml'),
  };
  writeFileSync(files.snapshot, JSON.stringify(snapshot));
  writeFileSync(files.brokenCapture, JSON.stringify(brokenCapture));
  writeFileSync(files.userData, toml);
  writeFileSync(files.malformedJson, `{"settings": {"container-registry": {"credentials": [{"password": ${SECRETS.registryPassword}}]}}}`);
  writeFileSync(files.badToml, `[settings.kubernetes]\nbootstrap-token = ${SECRETS.bootstrapToken}\n`);
});

function expectNoSecret(text: string, where: string) {
  for (const secret of [...FORBIDDEN, ...PIECES]) {
    const at = text.indexOf(secret);
    expect(
      at === -1,
      `${where} shows a secret (${secret.slice(0, 12)}…): ${at === -1 ? '' : JSON.stringify(text.slice(Math.max(0, at - 150), at + 40))}`,
    ).toBe(true);
  }
}

describe('secrets never leave', () => {
  it.each([
    ['text', []],
    ['json', []],
    ['text', ['--profile', 'all']],
    ['json', ['--profile', 'all']],
    ['json', ['--profile', 'all', '--variant', 'metal-k8s-1.30']],
    ['sarif', ['--profile', 'all', '--sarif-include', 'error', 'manual']],
    ['junit', ['--profile', 'all']],
    ['markdown', ['--profile', 'all']],
    ['asff', ['--profile', 'all', '--aws-account', '123456789012', '--region', 'us-west-2']],
    ['ocsf', ['--profile', 'all', '--aws-account', '123456789012', '--region', 'us-west-2']],
    ['html', ['--profile', 'all']],
  ])('in the %s report %j, and on stderr', (format, extra) => {
    const result = brsec([
      'scan',
      files.snapshot,
      files.brokenCapture,
      files.userData,
      files.malformedJson,
      files.badToml,
      '--format',
      format,
      ...extra,
    ]);
    expect(result.code).toBe(2);
    expectNoSecret(result.stdout, `${format} report`);
    expectNoSecret(result.stderr, 'stderr');
    // The scan did look at the secrets: it reports that they are there.
    expect(result.stdout).toContain(format === 'junit' ? '(a secret; not shown)' : 'a secret; not shown');
    expect(result.stderr).toContain('malformed.json');
    expect(result.stderr).toContain('bad.toml');
  });

  it('in one-line errors for a single bad input', () => {
    for (const file of [files.malformedJson, files.badToml]) {
      const result = brsec(['scan', file]);
      expect(result.code).toBe(2);
      expectNoSecret(result.stdout + result.stderr, file);
    }
  });

  it('in the library result', async () => {
    const result = await scan([files.snapshot, files.brokenCapture, files.userData, files.malformedJson, files.badToml], {
      profiles: ['all'],
    });
    expectNoSecret(JSON.stringify(result), 'library result');
    const flagged = result.hosts.flatMap((h) => h.results).filter((r) => r.id === 'BRSEC-no-static-credentials' && r.status === 'FAIL');
    expect(flagged.length).toBe(2);
  });
});

describe('secrets in node configuration, beside template expressions', () => {
  // Literal parts of a secret written around a template expression: the expression is shown, the secret never.
  const tf = `resource "aws_launch_template" "nodes" {
  image_id  = "resolve:ssm:/aws/service/bottlerocket/aws-k8s-1.31/x86_64/latest/image_id"
  user_data = base64encode(<<-EOT
    [settings.kubernetes]
    bootstrap-token = "${SECRETS.bootstrapToken}\${var.suffix}"
    [settings.network]
    https-proxy = "http://proxy:${SECRETS.proxyPassword}@\${var.proxy_host}:3128"
    [[settings.container-registry.mirrors]]
    registry = "docker.io"
    endpoint = ["http://ci:${SECRETS.registryPassword}@\${var.mirror}/v2"]
    [settings.container-registry.credentials.0]
    %{ if var.private }
    password = "${SECRETS.registryPassword}"
    %{ endif }
  EOT
  )
}
`;
  it.each([['json'], ['text'], ['sarif'], ['junit'], ['markdown']])('in the %s report', (format) => {
    const dir = mkdtempSync(join(tmpdir(), 'brsec-secret-tf-'));
    writeFileSync(join(dir, 'main.tf'), tf);
    const result = brsec([
      'scan',
      join(dir, 'main.tf'),
      '--profile',
      'all',
      '--format',
      format,
      ...(format === 'sarif' ? ['--sarif-include', 'error', 'manual'] : []),
    ]);
    expect(result.stderr).toBe('');
    expectNoSecret(result.stdout, `${format} report of node configuration`);
    if (format === 'json') expect(result.stdout).toContain('not known until deploy time');
  });
});

describe('URL credentials behind a mangled scheme', () => {
  it('are redacted whatever stands before :// (found by the fuzzer)', async () => {
    const { redactUrlCredentials } = await import('../src/settings/secrets.js');
    expect(redactUrlCredentials('https[[[[://ci:hunter2@mirror.example.com/v2')).toBe('https[[[[://***@mirror.example.com/v2');
    expect(redactUrlCredentials('://ci:hunter2@mirror')).toBe('://***@mirror');
  });
});

describe('URL credentials in a host name', () => {
  it('stay out of the report, as in any setting (found by the fuzzer)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brsec-hostname-'));
    const file = join(dir, 'apiclient-get.json');
    writeFileSync(
      file,
      JSON.stringify({ settings: { network: { hostname: `http://user:${SECRETS.proxyPassword}@proxy.example.com:3128` } } }),
    );
    const result = await scan([file], { profiles: ['all'] });
    expect(result.hosts[0]!.host.name).toBe('http://***@proxy.example.com:3128');
    expectNoSecret(JSON.stringify(result), 'library result');
  });
});
