// The pre-commit hook (.pre-commit-hooks.yaml) as pre-commit runs it: its entry with the staged files its `files`
// pattern matches. Files of no kind brsec reads pass; Bottlerocket inputs are scanned; broken ones fail.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { brsec, repoRoot, scratchFolder } from './helpers/cli.js';

interface Hook {
  id: string;
  entry: string;
  language: string;
  files: string;
}
const [hook] = parse(readFileSync(join(repoRoot, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
const tmp = scratchFolder('brsec-pre-commit-');

/** What pre-commit runs for a commit of these files: the entry, then the files its pattern matches. */
function commit(staged: string[]) {
  const pattern = new RegExp(hook!.files);
  const [command, ...args] = hook!.entry.split(' ');
  expect(command).toBe('brsec');
  return brsec([...args, ...staged.filter((f) => pattern.test(f))]);
}

describe('the pre-commit hook', () => {
  it('is a node hook whose pattern takes user data, node configuration and templates, and nothing else', () => {
    expect(hook).toMatchObject({ id: 'brsec', language: 'node' });
    const pattern = new RegExp(hook!.files);
    for (const name of ['user-data.toml', 'k8s/nodeclass.yaml', 'eksctl.yml', 'main.tf', 'cdk.out/Stack.template.json', 'userdata.tpl'])
      expect(pattern.test(name), name).toBe(true);
    for (const name of ['README.md', 'src/index.ts', 'Dockerfile', 'main.tf.bak']) expect(pattern.test(name), name).toBe(false);
  });

  it('fails a commit whose user data or node configuration fails a check, naming what it skipped', () => {
    const run = commit([
      'README.md',
      'package.json',
      'tsconfig.json',
      'test/fixtures/userdata/gaps.toml',
      'test/fixtures/node-config/manifests/deployment.yaml',
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Host test/fixtures/userdata/gaps.toml');
    expect(run.stderr).toContain('brsec: skipped package.json: valid JSON of no known kind');
    expect(run.stderr).toContain('brsec: skipped tsconfig.json');
  });

  it('passes a commit with no Bottlerocket input in it, and fails one whose user data is broken', () => {
    const other = tmp.write('pyproject.toml', '[project]\nname = "x"\n');
    const none = commit(['package.json', other, 'test/fixtures/node-config/manifests/deployment.yaml']);
    expect(none.stderr).not.toMatch(/input error|^brsec: (?!skipped)/m);
    expect(none.code).toBe(0);
    const broken = tmp.write('user-data.toml', '[settings.kernel\nlockdown = "none"\n');
    const run = commit([broken, 'package.json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`brsec: ${broken}: neither JSON nor valid TOML user data`);
  });
});
