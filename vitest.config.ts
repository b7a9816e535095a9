import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/scratch-setup.ts', 'test/global-setup.ts'],
    setupFiles: ['test/quiet-setup.ts'],
    // In CI every test is listed, so the log shows each backend's tests ran (not skipped).
    reporters: process.env.CI ? ['verbose'] : ['default'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Integration tests start servers and child processes; two cores are shared by all files.
    maxWorkers: 2,
  },
});
