// The shared lint config of the monorepo; packages add their own rules (core: purity).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export const NODE_BUILTINS = [
  'fs',
  'path',
  'child_process',
  'net',
  'os',
  'http',
  'https',
  'dgram',
  'crypto',
  'stream',
  'url',
  'worker_threads',
  'process',
  'timers',
  'dns',
  'tls',
  'zlib',
  'util',
  'events',
  'readline',
  'module',
];

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/coverage/**',
      '**/node_modules/**',
      '**/.turbo/**',
      '**/.next/**',
      '.tandem/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
);
