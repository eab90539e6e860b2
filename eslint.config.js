// Lint rules, including the architecture's boundaries:
// the core imports nothing but itself, and transport (HTTP, CLI) never reaches storage directly.
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'crypto', 'http', 'net', 'stream', 'url', 'child_process'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.dist-*/**', 'data/**', 'scratch/**', 'bench/results/**', 'coverage/**', 'web/dist/**', 'web/src/api/schema.d.ts'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'The core does no I/O: no node:* modules.' },
            { group: ['../*', '!../core/*'], message: 'The core imports nothing of ours but itself.' },
            { group: ['kysely', 'pg', 'better-sqlite3', 'fastify', 'pino', 'commander', 'nodemailer'], message: 'The core imports no I/O library.' },
          ],
        },
      ],
    },
  },
  {
    // A capability's room in the core (src/core/segments/, …) may use the rest of the core, one level up.
    files: ['src/core/*/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'The core does no I/O: no node:* modules.' },
            { group: ['../../*', '!../../core/*'], message: 'The core imports nothing of ours but itself.' },
            { group: ['kysely', 'pg', 'better-sqlite3', 'fastify', 'pino', 'commander', 'nodemailer'], message: 'The core imports no I/O library.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/http/**/*.ts', 'src/cli/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/storage/*', '**/storage/**'], message: 'Transport calls use cases; storage is wired in the composition root.' }] },
      ],
    },
  },
);
