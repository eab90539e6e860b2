// Lint rules, including the architecture's boundaries:
// the core imports nothing but itself, and transport (HTTP, CLI) never reaches storage directly.
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'crypto', 'http', 'net', 'stream', 'url', 'child_process'];

/** The core's import rules for files at one depth: `outside` is the relative pattern that leaves the core. */
function coreImports(files, outside) {
  return {
    files,
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'The core does no I/O: no node:* modules.' },
            { group: outside, message: 'The core imports nothing of ours but itself.' },
            { group: ['kysely', 'pg', 'better-sqlite3', 'fastify', 'pino', 'commander', 'nodemailer'], message: 'The core imports no I/O library.' },
          ],
        },
      ],
    },
  };
}

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
  // The core does no I/O and imports only itself; a capability's room in it (src/core/segments/, …)
  // may use the rest of the core, one level up.
  coreImports(['src/core/*.ts'], ['../*', '!../core/*']),
  coreImports(['src/core/*/**/*.ts'], ['../../*', '!../../core/*']),
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
