// @tandem/core is pure: no node:* or I/O modules, no environment, no clock, no randomness.
// (The build tsconfig has `types: []` as a second guard: Node globals do not type-check there.)
import base, { NODE_BUILTINS } from '../../eslint.config.mjs';

export default [
  ...base,
  {
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.test.ts', 'src/**/test*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: '@tandem/core is pure: no I/O, no node:* modules.' },
          ],
          paths: NODE_BUILTINS.map((name) => ({
            name,
            message: '@tandem/core is pure: no I/O modules.',
          })),
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: '@tandem/core reads no environment.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: '@tandem/core has no clock: take time as a parameter.',
        },
        {
          selector: "NewExpression[callee.name='Date']",
          message: '@tandem/core has no clock: take time as a parameter.',
        },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: '@tandem/core is deterministic.',
        },
      ],
    },
  },
];
