// One linter setup for the whole repository: typescript-eslint (type-aware), React hooks and
// TanStack Query rules for the SPA, and import boundaries that keep the architecture honest.
import js from '@eslint/js';
import pluginQuery from '@tanstack/eslint-plugin-query';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'dist-demo/',
      'public/mockServiceWorker.js',
      'test-results/',
      'playwright-report/',
      'bench/out/',
      '.data/',
      'coverage/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // First project that includes a file wins: the contract alone, then Node code and tests, then the SPA.
        project: ['./tsconfig.contract.json', './tsconfig.node.json', './tsconfig.web.json', './tsconfig.e2e.json'],
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // Test matchers (expect.any, expect.stringContaining) are typed `any` by design.
    files: ['**/*.test.ts', '**/*.test.tsx', 'e2e/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['src/web/**/*.{ts,tsx}', 'src/mocks/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  reactHooks.configs.flat.recommended,
  ...pluginQuery.configs['flat/recommended'],
  {
    // The contract is shared by Node and the browser: no Node built-ins, no DOM, no other part.
    files: ['src/contract/**/*.ts'],
    ignores: ['src/contract/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'http', 'https', 'zlib', 'stream', 'crypto', 'os', 'url'],
              message: 'The contract must run in Node and in the browser.',
            },
            { group: ['../*'], message: 'The contract imports nothing from the other parts.' },
          ],
        },
      ],
    },
  },
  {
    // The SPA never imports the relay or Node-only simulator code.
    files: ['src/web/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/relay/**', '**/simulator/server*', '**/simulator/main*', 'node:*'],
              message: 'The SPA talks to the relay over HTTP only.',
            },
          ],
        },
      ],
    },
  },
);
