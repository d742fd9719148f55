import root, { NODE_BUILTINS } from '../eslint.config.mjs';

// The design's dependency rule: the console may import @tandem/core, never the agent (nor its
// stores or PTY); it is a client of the agent's API. Tests (e2e/) may use anything.
const agentSide = [
  {
    group: ['@tandem/agent', '@tandem/agent/*', '@tandem/lab', '@tandem/lab/*'],
    message: 'the console talks to the agent API only',
  },
  { group: ['better-sqlite3', 'node-pty'], message: 'state and PTYs are the agent’s' },
];

export default [
  { ignores: ['dist-server/**', '.next/**', 'next-env.d.ts', 'test-results/**'] },
  ...root,
  {
    files: ['server/**/*.ts'],
    ignores: ['server/consoleProcess.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: agentSide }] },
  },
  {
    // Pages and their library run in the browser: no Node built-ins either.
    files: ['app/**/*.{ts,tsx}', 'lib/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...agentSide,
            { group: NODE_BUILTINS.flatMap((m) => [m, `node:${m}`]), message: 'browser code' },
          ],
        },
      ],
    },
  },
];
