import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    env: { AWS_EC2_METADATA_DISABLED: 'true', NO_COLOR: '1' },
    testTimeout: 20000,
  },
});
