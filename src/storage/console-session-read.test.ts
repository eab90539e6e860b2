/**
 * The session behind a cookie is read in one SQL statement (the session joined to its user), on
 * both stores, and the checks stay: an ended session, an expired one and a disabled user open nothing.
 */
import type { KyselyPlugin } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/stores.ts';
import { consoleDeps } from '../app.ts';
import type { Instant } from '../core/records.ts';
import { activeSession, signIn } from '../use-cases/console-sessions.ts';
import { createConsoleUser, disableConsoleUser } from '../use-cases/console-users.ts';
import { SqlConsoleUserStore } from './sql-console-user-store.ts';

const PASSWORD = 'correct horse battery';
let clock = Date.parse('2026-11-30T09:00:00.000Z');
const now = (): Instant => new Date(clock).toISOString() as Instant;

/** Counts the statements Kysely runs through it. */
function statementCounter(): { plugin: KyselyPlugin; count: () => number } {
  let n = 0;
  return {
    plugin: {
      transformQuery: (args) => {
        n += 1;
        return args.node;
      },
      transformResult: (args) => Promise.resolve(args.result),
    },
    count: () => n,
  };
}

describeEachStore(
  'the session behind a cookie',
  (ctx) => {
    let token = '';
    let disabledToken = '';
    beforeAll(async () => {
      const deps = consoleDeps(ctx.app);
      await createConsoleUser(deps, { email: 'agent@lupa.example', role: 'agent', password: PASSWORD });
      await createConsoleUser(deps, { email: 'gone@lupa.example', role: 'agent', password: PASSWORD });
      token = (await signIn(deps, { email: 'agent@lupa.example', password: PASSWORD })).token;
      disabledToken = (await signIn(deps, { email: 'gone@lupa.example', password: PASSWORD })).token;
      await disableConsoleUser(deps, { email: 'gone@lupa.example' });
    });

    it('is read in one statement, with the user', async () => {
      const counter = statementCounter();
      const users = new SqlConsoleUserStore(ctx.app.database.db.withPlugin(counter.plugin));
      const session = await activeSession({ users, now }, token);
      expect(session?.user.email).toBe('agent@lupa.example');
      expect(counter.count()).toBe(1);
    });

    it('opens nothing for a disabled user, an unknown token or an expired session', async () => {
      const deps = { users: ctx.app.stores.consoleUsers, now };
      expect(await activeSession(deps, disabledToken)).toBeNull();
      expect(await activeSession(deps, 'x'.repeat(43))).toBeNull();
      clock += (ctx.app.config.LUPA_SESSION_HOURS + 1) * 3_600_000;
      expect(await activeSession(deps, token)).toBeNull();
    });
  },
  { now },
);
