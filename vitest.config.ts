import { defineConfig } from 'vitest/config'

// One `vitest run` covers every area; each area with its own runtime has its own config.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'shared',
          include: ['test/shared/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        // The API document as others see it: the typed client generated from test/api/openapi.json.
        test: {
          name: 'api',
          include: ['test/api/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'simulator',
          include: ['test/simulator/**/*.test.ts'],
          environment: 'node',
        },
      },
      'test/*/vitest.config.ts',
      // The simulator must also run inside workerd, where the worker tests use it.
      'test/simulator/workerd/vitest.config.ts',
    ],
  },
})
