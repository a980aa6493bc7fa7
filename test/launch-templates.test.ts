// Launch templates in an account, read with the real EC2 client on the wire against the loopback stand-in:
// `brsec collect --launch-templates` writes each Bottlerocket version in use, `brsec scan --launch-templates` scans
// them, and what collect wrote scans as `aws ec2 describe-launch-template-versions` output would.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeAws } from './helpers/fake-aws.mjs';
import { brsec, brsecAsync, repoRoot, scratchFolder, standInEnv } from './helpers/cli.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');
const tmp = scratchFolder('brsec-lt-');

describe('launch templates in an account', () => {
  let fake: FakeAws;
  beforeAll(async () => {
    fake = await new FakeAws({ latencyMs: 1 }).start();
    fake.images.set('ami-0b0770000000000aa', 'bottlerocket-aws-k8s-1.31-x86_64-v1.26.2-7f4a2e1c');
    fake.images.set('ami-0a2023000000000bb', 'al2023-ami-2023.6.20241121.0-kernel-6.1-x86_64');
    fake.launchTemplates.push(
      {
        id: 'lt-0aaa0000000000001',
        name: 'bottlerocket-nodes',
        versions: [
          // The default version: admin container on, IMDSv1 allowed.
          {
            number: 1,
            isDefault: true,
            data: {
              imageId: 'ami-0b0770000000000aa',
              userData: b64('[settings.host-containers.admin]\nenabled = true\n'),
              httpTokens: 'optional',
            },
          },
          // The latest: fixed.
          {
            number: 2,
            data: {
              imageId: 'ami-0b0770000000000aa',
              userData: b64('[settings.host-containers.admin]\nenabled = false\n'),
              httpTokens: 'required',
              hopLimit: 1,
            },
          },
        ],
      },
      {
        id: 'lt-0aaa0000000000002',
        name: 'al2023-nodes',
        versions: [{ number: 1, isDefault: true, data: { imageId: 'ami-0a2023000000000bb', userData: b64('#!/bin/bash\necho hi\n') } }],
      },
      // Bottlerocket user data on an image that is gone: still Bottlerocket's, by its user data.
      {
        id: 'lt-0aaa0000000000003',
        name: 'managed-ng',
        versions: [
          {
            number: 4,
            isDefault: true,
            data: { imageId: 'ami-0deadbeef0000000', userData: b64('[settings.kernel]\nlockdown = "none"\n') },
          },
        ],
      },
    );
  });
  afterAll(() => fake.stop());

  it('scan --launch-templates scans each Bottlerocket version in use, default and latest', async () => {
    const run = await brsecAsync(['scan', '--launch-templates', '--profile', 'hardening', 'cis-bottlerocket', '-f', 'json'], {
      env: standInEnv(fake.url),
    });
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout);
    const hosts = report.hosts.map((h: any) => [
      h.host.name,
      h.variant.id,
      h.results.find((r: any) => r.id === 'BRSEC-admin-container').status,
    ]);
    expect(hosts).toEqual([
      ['bottlerocket-nodes (lt-0aaa0000000000001) version 1', 'aws-k8s-1.31', 'FAIL'],
      ['bottlerocket-nodes (lt-0aaa0000000000001) version 2', 'aws-k8s-1.31', 'PASS'],
      ['managed-ng (lt-0aaa0000000000003) version 4', null, 'PASS'],
    ]);
    const imds = report.hosts.map((h: any) => h.results.find((r: any) => r.id === 'BRSEC-imds-v2').status);
    expect(imds).toEqual(['FAIL', 'PASS', 'NOT_ASSESSED']);
    expect(report.hosts[2].results.find((r: any) => r.id === 'BR-1.5.2').status).toBe('FAIL');
    expect(run.code).toBe(1);
    // Pages of templates were followed, and the missing image asked about on its own.
    expect(fake.count('ec2:DescribeLaunchTemplates')).toBeGreaterThanOrEqual(2);
  });

  it('collect --launch-templates writes one file per version, readable by its owner only, that scan reads back', async () => {
    const out = tmp.path('templates');
    const run = await brsecAsync(['collect', '--launch-templates', 'bottlerocket-nodes', '--out', out], { env: standInEnv(fake.url) });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('2 Bottlerocket launch template version(s)');
    const files = readdirSync(out).sort();
    expect(files).toEqual(['lt-0aaa0000000000001-v1.json', 'lt-0aaa0000000000001-v2.json']);
    expect(statSync(join(out, files[0]!)).mode & 0o777).toBe(0o600);
    const scanned = JSON.parse(brsec(['scan', out, '-f', 'json', '--profile', 'hardening']).stdout);
    expect(scanned.hosts.map((h: any) => h.results.find((r: any) => r.id === 'BRSEC-admin-container').status)).toEqual(['FAIL', 'PASS']);
  });

  it('reads `aws ec2 describe-launch-template-versions` output as written by the AWS CLI', () => {
    const file = tmp.path('cli-output.json');
    writeFileSync(
      file,
      JSON.stringify(
        {
          LaunchTemplateVersions: [
            {
              LaunchTemplateId: 'lt-0abcd1234ef567890',
              LaunchTemplateName: 'nodes',
              VersionNumber: 3,
              DefaultVersion: true,
              LaunchTemplateData: {
                UserData: b64('[settings.kubernetes]\ncluster-name = "prod"\n[settings.host-containers.admin]\nenabled = true\n'),
              },
            },
          ],
        },
        null,
        2,
      ),
    );
    const report = JSON.parse(brsec(['scan', file, '-f', 'json', '--profile', 'hardening']).stdout);
    expect(report.hosts[0].host.name).toBe('nodes (lt-0abcd1234ef567890) version 3');
    expect(report.hosts[0].results.find((r: any) => r.id === 'BRSEC-admin-container').status).toBe('FAIL');
    expect(readFileSync(file, 'utf8')).toContain('LaunchTemplateVersions');
  });

  it('--drift launch-template compares each EC2 host with the launch template version its tags name', async () => {
    const stock = JSON.parse(readFileSync(join(repoRoot, 'examples', 'k8s-stock-full.json'), 'utf8'));
    const folder = tmp.path('hosts');
    mkdirSync(folder);
    for (const id of ['i-0aaa000000000001a', 'i-0aaa000000000002b', 'i-0aaa000000000003c', 'i-0aaa000000000004d'])
      writeFileSync(join(folder, `${id}.json`), JSON.stringify({ ...stock, host: { ...stock.host, id } }));
    // Launched from version 1 (admin container on; the host has it off now) and version 2 (as the host is).
    fake.instanceTags.set('i-0aaa000000000001a', {
      'aws:ec2launchtemplate:id': 'lt-0aaa0000000000001',
      'aws:ec2launchtemplate:version': '1',
    });
    fake.instanceTags.set('i-0aaa000000000002b', {
      'aws:ec2launchtemplate:id': 'lt-0aaa0000000000001',
      'aws:ec2launchtemplate:version': '2',
    });
    fake.instanceTags.set('i-0aaa000000000003c', { Name: 'launched by hand' });
    fake.instanceTags.set('i-0aaa000000000004d', {
      'aws:ec2launchtemplate:id': 'lt-0aaa0000000000001',
      'aws:ec2launchtemplate:version': '2',
    });
    const versionsRead = fake.count('ec2:DescribeLaunchTemplateVersions');
    const run = await brsecAsync(['scan', folder, '--drift', 'launch-template', '-f', 'json'], { env: standInEnv(fake.url) });
    const report = JSON.parse(run.stdout);
    const drift = report.hosts.map((h: any) => {
      const r = h.results.find((x: any) => x.id === 'BRSEC-settings-drift');
      return [h.host.id, r.status, r.reason ?? ''];
    });
    expect(drift).toEqual([
      [
        'i-0aaa000000000001a',
        'FAIL',
        'settings changed since launch: settings.host-containers.admin.enabled: launched with true, now false in `apiclient get against ec2:lt-0aaa0000000000001:1`, expected none',
      ],
      ['i-0aaa000000000002b', 'PASS', ''],
      ['i-0aaa000000000003c', 'NOT_ASSESSED', expect.stringContaining('was not launched from a launch template')],
      ['i-0aaa000000000004d', 'PASS', ''],
    ]);
    // Each version read once: two versions for the three hosts launched from a template.
    expect(fake.count('ec2:DescribeLaunchTemplateVersions') - versionsRead).toBe(2);
  });

  it('names one source at a time', () => {
    const run = brsec(['scan', '--launch-templates', 'x.json', '--ssm'], { env: standInEnv(fake.url) });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('two sources');
  });
});
