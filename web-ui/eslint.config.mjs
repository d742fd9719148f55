import root from '../eslint.config.mjs';

export default [
  { ignores: ['dist-server/**', '.next/**', 'next-env.d.ts', 'test-results/**'] },
  ...root,
];
