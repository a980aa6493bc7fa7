// The tests that open reports in Chromium (Debian's chromium package, driven by playwright-core): `npm run
// test:browser`, after `npm run build`. .ci/run installs chromium and runs them; `npm test` needs Node alone.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    env: { AWS_EC2_METADATA_DISABLED: 'true', NO_COLOR: '1' },
    testTimeout: 60000,
    hookTimeout: 120000,
    // One browser at a time: the build machine has two cores.
    fileParallelism: false,
  },
});
