/** `lupa suppressions list|add|lift` as a process: the list worked from the command line, audited under the OS user. */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { lupa, PROCESS_TEST_TIMEOUT_MS } from '../support/processes.ts';
import { describeOnStore, freshStore, type TestStore } from '../support/stores.ts';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS });

for (const kind of ['sqlite', 'postgres'] as const) {
  describeOnStore(kind, 'lupa suppressions as a process', () => {
    let store: TestStore;
    let env: Record<string, string>;
    beforeAll(async () => {
      store = await freshStore(kind);
      env = { LUPA_DATABASE_URL: store.url };
    });
    afterAll(async () => store.drop());

    it('adds a manual suppression, finds it by the start of its address, lifts it only with a note, and audits each step', async () => {
      const added = await lupa(['suppressions', 'add', '--channel', 'sms', '--address', '040 765 4321', '--note', 'Asked by letter', '--json'], env);
      expect(added.stderr).toBe('');
      expect(added.code).toBe(0);
      const entry = JSON.parse(added.stdout) as { id: number; address: string; reason: string; source: string };
      expect(entry).toMatchObject({ address: '+358407654321', reason: 'manual' });
      expect(entry.source).toMatch(/^cli:/);

      const listed = await lupa(['suppressions', 'list', '--address', '040 765', '--channel', 'sms', '--state', 'active'], env);
      expect(listed.code).toBe(0);
      expect(listed.stdout).toContain('+358407654321');
      expect(listed.stdout).toContain('Asked by letter');

      const noNote = await lupa(['suppressions', 'lift', String(entry.id), '--note', ' '], env);
      expect(noNote.code).toBe(2);
      expect(noNote.stderr).toContain('SUPPRESSION_LIFT_NEEDS_NOTE');

      const lifted = await lupa(['suppressions', 'lift', String(entry.id), '--note', 'Withdrawn by phone'], env);
      expect(lifted.code).toBe(0);
      expect(lifted.stdout).toContain('Withdrawn by phone');
      expect((await lupa(['suppressions', 'list', '--state', 'active', '--json'], env)).stdout).toBe('{"suppressions":[],"next":null}\n');

      const app = await createApp(loadConfig(env));
      try {
        const entries = await app.stores.registerReads.auditEntries({}, { after: null, limit: 10 });
        expect(entries.map((e) => e.action)).toEqual(['suppressions.search', 'suppressions.lift', 'suppressions.search', 'suppressions.add']);
        expect(entries.every((e) => e.actor.startsWith('cli:'))).toBe(true);
      } finally {
        await app.close();
      }
    });
  });
}
