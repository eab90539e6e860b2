/**
 * `lupa` runs the JavaScript built into dist/, not the TypeScript source: it starts without a
 * TypeScript loader, finds the SQL migrations beside the built code, and rebuilds dist/ before it
 * runs when dist/ is missing or older than src/.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { lupa, PROCESS_TEST_TIMEOUT_MS, type Run } from '../support/processes.ts';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS });

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REFUSE_TYPESCRIPT = ['--import', fileURLToPath(new URL('../support/refuse-typescript.mjs', import.meta.url))];
const REFUSE_HEAVY = ['--import', fileURLToPath(new URL('../support/refuse-heavy-modules.mjs', import.meta.url))];

describe('lupa from the build', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lupa-built-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints its help with no TypeScript loader and no TypeScript module loaded', async () => {
    const run = await lupa(['--help'], {}, REFUSE_TYPESCRIPT);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: lupa');
    expect(run.stdout).toContain('decide');
  });

  it('prints its help without loading the libraries only some commands need (mail, templates, HTTP, PostgreSQL)', async () => {
    const run = await lupa(['--help'], {}, REFUSE_HEAVY);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('bounces');
  });

  it('migrates a new database from the SQL files beside the built code, still without TypeScript', async () => {
    const run = await lupa(['--db', `sqlite:${join(dir, 'built.db')}`, 'migrate'], {}, REFUSE_TYPESCRIPT);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^applied 0001_/);
  });
});

describe('lupa in a checkout whose dist/ is missing or older than src/', () => {
  // A copy of the sources, so that rebuilding it does not disturb the processes other tests start.
  const checkout = mkdtempSync(join(tmpdir(), 'lupa-checkout-'));
  for (const part of ['bin', 'src', 'package.json']) cpSync(join(ROOT, part), join(checkout, part), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(checkout, 'node_modules'), 'dir');
  afterAll(() => rmSync(checkout, { recursive: true, force: true }));

  const run = (args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      execFile(process.execPath, [join(checkout, 'bin', 'lupa.mjs'), ...args], (err, stdout, stderr) => {
        resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr });
      });
    });

  it('builds dist/ first on a fresh checkout, rebuilds after a source file changed, and runs the new code', async () => {
    const first = await run(['--help']);
    expect(first.stderr).toContain('lupa: dist/ is missing; building it');
    expect(first).toMatchObject({ code: 0 });
    expect(first.stdout).toContain('Usage: lupa');

    const unchanged = await run(['--help']);
    expect(unchanged).toMatchObject({ code: 0, stderr: '' });

    // An edit to the command's description, dated after the build.
    const main = join(checkout, 'src', 'cli', 'main.ts');
    const edited = readFileSync(main, 'utf8').replace("new Command('lupa')\n    .description('", "new Command('lupa')\n    .description('Edited. ");
    expect(edited).toContain('Edited. ');
    writeFileSync(main, edited);
    const later = new Date(Date.now() + 60_000);
    utimesSync(main, later, later);

    const after = await run(['--help']);
    expect(after.stderr).toContain('lupa: dist/ is older than src/; building it');
    expect(after.code).toBe(0);
    expect(after.stdout).toContain('Edited. Lupa:');
  });
});
