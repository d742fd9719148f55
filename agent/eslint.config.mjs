// The agent's layers (design brief): routes call services, services use adapters and stores.
// A service, adapter or store never imports from http/: what they share lives below both; a
// route never reaches a store (route → service → store), so each capability has one place.
import shared from '../eslint.config.mjs';

export default [
  ...shared,
  {
    files: ['src/services/**/*.ts', 'src/adapters/**/*.ts', 'src/store/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../http/*', '**/http/*'],
              message: 'services, adapters and stores do not import from http/ (the layer above)',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/http/**/*.ts'],
    ignores: ['src/http/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../store/*', '**/store/*'],
              message: 'routes ask services; the service reaches the store (design brief: layers)',
            },
          ],
        },
      ],
    },
  },
];
