// The ready-made pieces in deploy/: the image is pinned and runs unprivileged, the Kubernetes manifests are what the
// README says, and the IAM policy allows every AWS call brsec's code makes (found in the source, not listed by hand).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/cli.js';

const read = (...parts: string[]) => readFileSync(join(repoRoot, ...parts), 'utf8');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(repoRoot, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** IAM actions of the SDK commands the source sends: each command is looked up in the SDK clients brsec depends on. */
function actionsCalled(): Set<string> {
  const clients = readdirSync(join(repoRoot, 'node_modules', '@aws-sdk')).filter((d) => d.startsWith('client-'));
  const actions = new Set<string>();
  for (const file of sourceFiles('src')) {
    for (const [, command] of read(file).matchAll(/\b([A-Z][A-Za-z0-9]+)Command\(/g)) {
      const owners = clients.filter((c) =>
        readdirSync(join(repoRoot, 'node_modules', '@aws-sdk', c, 'dist-types', 'commands')).includes(`${command}Command.d.ts`),
      );
      if (owners.length === 0) continue; // not an SDK command (a helper named …Command)
      const [, service] = /^client-(.+)$/.exec(owners.find((c) => read(file).includes(`@aws-sdk/${c}`)) ?? owners[0]!)!;
      actions.add(`${service}:${command}`);
    }
  }
  return actions;
}

describe('deploy/', () => {
  it('the image builds on a Node 24 base pinned by digest, runs as the node user, and copies no host tree', () => {
    const dockerfile = read('deploy', 'Dockerfile');
    const image = /^ARG NODE_IMAGE=(.+)$/m.exec(dockerfile)?.[1];
    expect(image).toMatch(/node:24-[a-z]+-slim@sha256:[0-9a-f]{64}$/);
    const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(froms).toEqual(['${NODE_IMAGE}', '${NODE_IMAGE}']);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(read('.dockerignore').split('\n')).toEqual(expect.arrayContaining(['.git', 'node_modules', 'dist']));
  });

  it('the capture Job and DaemonSet run the capture script from its ConfigMap on the host, as the README says', () => {
    for (const [file, kind] of [
      ['capture-job.yaml', 'Job'],
      ['capture-daemonset.yaml', 'DaemonSet'],
    ] as const) {
      const docs = parseAllDocuments(read('deploy', 'kubernetes', file));
      expect(
        docs.every((d) => d.errors.length === 0),
        file,
      ).toBe(true);
      const manifest = docs[0]!.toJS() as Record<string, any>;
      expect(manifest.kind).toBe(kind);
      const pod = manifest.spec.template.spec;
      expect(pod.hostPID, file).toBe(true);
      // The Job's container runs the script; a DaemonSet's runs it first (its pods must then keep running), and the
      // snapshot is read from the log of the container named capture, as the files' own comments say.
      const container = kind === 'Job' ? pod.containers[0] : pod.initContainers[0];
      expect(container.name).toBe('capture');
      expect(container.command).toEqual(['sh', '/brsec/capture.sh']);
      expect(container.securityContext).toEqual({ privileged: true, seLinuxOptions: { type: 'super_t' } });
      expect(container.volumeMounts).toContainEqual({ name: 'script', mountPath: '/brsec' });
      expect(pod.volumes).toContainEqual({ name: 'script', configMap: { name: 'brsec-capture' } });
    }
  });

  it('the IAM policy allows every AWS call the code makes, and the docs say why each is needed', () => {
    const called = actionsCalled();
    // The commands of SSM, Inspector, Security Hub, EC2, S3 and STS that brsec sends today.
    expect(called.size).toBeGreaterThanOrEqual(15);
    const policy = JSON.parse(read('deploy', 'iam-policy.json')) as { Statement: { Action: string | string[] }[] };
    const allowed = new Set(policy.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])));
    const docs = read('docs', 'scheduled-audits.md');
    // GetCallerIdentity needs no permission; the S3 bucket of --s3-output is the user's own, so the docs name it.
    const outsidePolicy = new Set(['sts:GetCallerIdentity', 's3:GetObject']);
    for (const action of called) {
      if (!outsidePolicy.has(action)) expect(allowed, action).toContain(action);
      expect(docs.includes(`\`${action}\``) || docs.includes(action.split(':')[1]!), action).toBe(true);
    }
    for (const action of allowed) expect(called, `${action} is allowed but never called`).toContain(action);
  });
});
