import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests that drive Chromium need Debian's chromium: `npm run test:browser` (vitest.browser.config.ts), run by .ci/run.
    exclude: ['test/browser/**', '**/node_modules/**'],
    env: { AWS_EC2_METADATA_DISABLED: 'true', NO_COLOR: '1' },
    testTimeout: 20000,
  },
});
