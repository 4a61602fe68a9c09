import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // Simulators are real servers; each file gets its own so files never share state.
    isolate: true,
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
