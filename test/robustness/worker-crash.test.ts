// A scan thread that fails says so in one line, as the main thread would: its stack is kept for BRSEC_DEBUG only.
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';

it("a scan thread's failure is its message alone, with the thread's stack kept apart", async () => {
  // Threads run the build (they cannot load TypeScript sources), so this test does too.
  const built = (await import(join(repoRoot, 'dist', 'src', 'fleet', 'threads.js'))) as typeof import('../../src/fleet/threads.js');
  // Waivers that are not what loadWaivers makes throw inside the thread's scan, as an internal error would.
  const setup = {
    selection: { profiles: ['all'] },
    outputs: [{ format: 'json' as const, options: {} }],
    read: {},
    memo: true,
    context: { waivers: { entries: 5 } as never },
  };
  let failure: Error | undefined;
  try {
    for await (const batch of built.scanFilesInWorkers([join(repoRoot, 'examples', 'ecs-gaps.json')], setup, 1))
      expect(batch).toBeUndefined();
  } catch (err) {
    failure = err as Error;
  }
  expect(failure).toBeInstanceOf(Error);
  expect(failure!.message).not.toContain('\n');
  expect(failure!.message).toMatch(/^Cannot read properties of undefined/);
  expect(failure!.stack).toContain('worker.js');
});
