import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

/**
 * Two projects: `node` for the contract, relay, simulator and scripts (real sockets allowed),
 * `web` for the SPA's components in jsdom.
 */
export default defineConfig({
  test: {
    reporters: process.env.CI ? ['verbose'] : ['default'],
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: [
            'src/contract/**/*.test.ts',
            'src/core/**/*.test.ts',
            'src/relay/**/*.test.ts',
            'src/simulator/**/*.test.ts',
            'src/mocks/**/*.node.test.ts',
            'scripts/**/*.test.ts',
          ],
          testTimeout: 20_000,
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'web',
          environment: 'jsdom',
          include: ['src/web/**/*.test.{ts,tsx}', 'src/mocks/**/*.test.{ts,tsx}'],
          exclude: ['src/mocks/**/*.node.test.ts'],
          setupFiles: ['src/web/test/setup.ts'],
        },
      },
    ],
  },
});
