/** `lupa users` as a process: the console's sign-in contract (`users create --password-stdin`), links, disabling. */
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { consoleDeps, createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { signIn } from '../../src/use-cases/console-sessions.ts';
import { BIN, PROCESS_TEST_TIMEOUT_MS, type Run } from '../support/processes.ts';
import { describeOnStore, freshStore, type TestStore } from '../support/stores.ts';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS });

/** `lupa ARGS` with `stdin` piped in, as `echo … | npx lupa …` would. */
function lupaWithStdin(args: string[], stdin: string, env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [BIN, ...args], { env: { ...process.env, LUPA_LOG_LEVEL: 'silent', ...env } }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr });
    });
    child.stdin?.end(stdin);
  });
}

for (const kind of ['sqlite', 'postgres'] as const) {
  describeOnStore(kind, 'lupa users as a process', () => {
    let store: TestStore;
    let env: Record<string, string>;
    beforeAll(async () => {
      store = await freshStore(kind);
      env = { LUPA_DATABASE_URL: store.url, LUPA_PASSWORD_SCRYPT_LOG_N: '14' };
    });
    afterAll(async () => store.drop());

    const signsIn = async (email: string, password: string): Promise<boolean> => {
      const app = await createApp(loadConfig(env));
      try {
        await signIn(consoleDeps(app), { email, password });
        return true;
      } catch {
        return false;
      } finally {
        await app.close();
      }
    };

    it('creates a user with the password from stdin (exit 0), who can then sign in', async () => {
      const run = await lupaWithStdin(['users', 'create', '--email', 'Maija@Example.fi', '--role', 'marketer', '--password-stdin'], 'a long enough secret\n', env);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('maija@example.fi (marketer');
      expect(await signsIn('maija@example.fi', 'a long enough secret')).toBe(true);
      expect(await signsIn('maija@example.fi', 'a long enough secret\n')).toBe(false);
    });

    it('refuses a second user with the same e-mail (exit 4) and a short password (exit 2) naming the field', async () => {
      const again = await lupaWithStdin(['users', 'create', '--email', 'maija@example.fi', '--role', 'agent', '--password-stdin'], 'another long secret', env);
      expect(again.code).toBe(4);
      expect(again.stderr).toContain('USER_EXISTS (email)');
      const short = await lupaWithStdin(['users', 'create', '--email', 'pekka@example.fi', '--role', 'agent', '--password-stdin'], 'short', env);
      expect(short.code).toBe(2);
      expect(short.stderr).toContain('VALIDATION_FAILED (password)');
    });

    it('prints a one-time set-password link when no password is given, the token in the fragment', async () => {
      const run = await lupaWithStdin(['users', 'create', '--email', 'dpo@example.fi', '--role', 'dpo', '--json'], '', env);
      expect(run.code).toBe(0);
      const out = JSON.parse(run.stdout) as { user: { hasPassword: boolean }; passwordLink: string };
      expect(out.user.hasPassword).toBe(false);
      expect(out.passwordLink).toMatch(/\/set-password#token=[A-Za-z0-9_-]{43}$/);
    });

    it('builds the link on LUPA_PUBLIC_URL when it is set, whatever LUPA_PORT this shell has', async () => {
      const publicEnv = { ...env, LUPA_PUBLIC_URL: 'https://lupa.uutisvirta.fi', LUPA_PORT: '9999' };
      const created = await lupaWithStdin(['users', 'create', '--email', 'agent@example.fi', '--role', 'agent'], '', publicEnv);
      expect(created.code).toBe(0);
      expect(created.stdout).toMatch(/^https:\/\/lupa\.uutisvirta\.fi\/set-password#token=/m);
      expect(created.stderr).toBe('');
      const again = await lupaWithStdin(['users', 'passwd', '--email', 'agent@example.fi', '--link'], '', publicEnv);
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(/^https:\/\/lupa\.uutisvirta\.fi\/set-password#token=/m);
      expect(again.stderr).toBe('');
    });

    it('says that the link assumes the local default, and how to set the public address, without LUPA_PUBLIC_URL', async () => {
      const localEnv = { ...env, LUPA_PORT: '8181' };
      const run = await lupaWithStdin(['users', 'passwd', '--email', 'agent@example.fi', '--link'], '', localEnv);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^http:\/\/127\.0\.0\.1:8181\/set-password#token=/m);
      expect(run.stderr).toContain('LUPA_PUBLIC_URL is not set, so this link assumes the console is reached at http://127.0.0.1:8181');
      expect(run.stderr).toContain('export LUPA_PUBLIC_URL=');
      expect(run.stderr).toContain('lupa users passwd --email agent@example.fi --link');
    });

    it('disables a user: sign-in refused afterwards, and the list says so', async () => {
      expect((await lupaWithStdin(['users', 'disable', '--email', 'maija@example.fi'], '', env)).code).toBe(0);
      expect(await signsIn('maija@example.fi', 'a long enough secret')).toBe(false);
      const list = await lupaWithStdin(['users', 'list', '--json'], '', env);
      const users = list.stdout.trim().split('\n').map((l) => JSON.parse(l) as { email: string; disabledAt: string | null });
      expect(users.find((u) => u.email === 'maija@example.fi')?.disabledAt).not.toBeNull();
    });
  });
}
