// One linter setup for the whole repository: typescript-eslint (type-aware), React hooks and
// TanStack Query rules for the SPA, and import boundaries that keep the architecture honest.
import js from '@eslint/js';
import pluginQuery from '@tanstack/eslint-plugin-query';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
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
        // First project that includes a file wins: the contract alone, the core without Node or DOM
        // types, then Node code and tests, then the SPA.
        project: [
          './tsconfig.contract.json',
          './tsconfig.core.json',
          './tsconfig.node.json',
          './tsconfig.web.json',
          './tsconfig.e2e.json',
        ],
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
    // The architecture, data flowing one way: contract → core → two hosts (relay: Node; mocks:
    // the browser) → the SPA, which talks to a host over HTTP only. No import cycles anywhere.
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js'] })] },
    rules: {
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './src/contract',
              from: ['./src/core', './src/relay', './src/mocks', './src/web', './src/simulator'],
              message: 'The contract holds wire shapes and the catalogue only: it imports no other part.',
            },
            {
              target: ['./src/web', './src/mocks'],
              from: './src/relay',
              message: 'The SPA and the mock host never import the Node host.',
            },
            {
              target: ['./src/web', './src/mocks'],
              from: './src/simulator',
              except: ['./generator'],
              message: "Only the simulator's generator runs in the browser.",
            },
            ...['connection', 'problems', 'traffic', 'feed', 'alerts'].map((feature) => ({
              target: `./src/web/features/${feature}`,
              from: './src/web/features',
              except: [`./${feature}`],
              message: 'Features never import each other: app/ composes them.',
            })),
          ],
        },
      ],
    },
  },
  {
    // The core: no Node built-ins, no DOM (tsconfig.core.json type-checks it without either), and
    // nothing of the hosts, the simulator or the SPA. (Its tests may use the simulator's generator.)
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './src/core',
              from: ['./src/relay', './src/mocks', './src/web', './src/simulator'],
              message: 'The core runs in Node and in the browser: it imports the contract only.',
            },
          ],
        },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'http', 'https', 'zlib', 'stream', 'crypto', 'os', 'url', 'net'],
              message: 'The core must run in Node and in the browser: hosts give it what is theirs.',
            },
          ],
        },
      ],
    },
  },
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
