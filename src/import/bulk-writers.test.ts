import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/stores.ts';
import { isDomainError } from '../core/errors.ts';
import type { Instant } from '../core/records.ts';
import { emptyBatch, type BulkWriter } from '../storage/bulk/bulk-writer.ts';
import { PostgresBulkWriter } from '../storage/bulk/postgres-bulk-writer.ts';
import { SqliteBulkWriter } from '../storage/bulk/sqlite-bulk-writer.ts';
import { runImport } from './run-import.ts';
import { nameWords } from '../core/name-words.ts';

const NOW = '2025-06-01T00:00:00.000Z';
const customerRow = (id: string, name: string) => [id, 'person', name, null, null, '[]', '[]', null, null, null, null, null, null, NOW, NOW, JSON.stringify(nameWords(name))];

describeEachStore('bulk writers', (ctx) => {
  async function withWriter<T>(threadFromRows: number, body: (w: BulkWriter) => Promise<T>): Promise<T> {
    const database = ctx.app.database;
    const writer = database.dialect === 'sqlite' ? new SqliteBulkWriter(database.sqlite, { threadFromRows }) : await PostgresBulkWriter.open(database);
    try {
      return await body(writer);
    } finally {
      await writer.close();
    }
  }
  const names = async (prefix: string): Promise<string[]> =>
    (await ctx.app.database.db.selectFrom('customers').select('name').where('id', 'like', `${prefix}%`).orderBy('id').execute()).map((r) => r.name);

  // threadFromRows 1: on SQLite every batch goes through the writer thread; Infinity: never.
  for (const [label, threadFromRows] of [['on the connection', Infinity], ['in the writer thread', 1]] as const) {
    it(`upserts, counts only changes and finds existing keys (${label})`, async () => {
      const prefix = `W${threadFromRows}-`;
      await withWriter(threadFromRows, async (w) => {
        const batch = emptyBatch();
        batch.customers.push(...customerRow(`${prefix}1`, 'Anna'), ...customerRow(`${prefix}2`, 'Bertta'));
        expect(await w.write(batch)).toMatchObject({ customer: 2 });
        const again = emptyBatch();
        again.customers.push(...customerRow(`${prefix}1`, 'Anna'), ...customerRow(`${prefix}2`, 'Berta'));
        expect(await w.write(again)).toMatchObject({ customer: 1 });
        if (ctx.store.kind === 'sqlite' && threadFromRows === 1) {
          expect((w as unknown as { thread: unknown }).thread).not.toBeNull();
        }
      });
      // After close every batch is committed and visible to the app's connection.
      expect(await names(prefix)).toEqual(['Anna', 'Berta']);
      await withWriter(threadFromRows, async (w) => {
        expect(await w.existing('customers', [`${prefix}1`, `${prefix}9`])).toEqual(new Set([`${prefix}1`]));
      });
    });

    it(`marks the customers it writes for the audience summaries, and only those (${label})`, async () => {
      const prefix = `M${threadFromRows}-`;
      await ctx.app.stores.audience.refreshSummaries();
      await withWriter(threadFromRows, async (w) => {
        const batch = emptyBatch();
        batch.customers.push(...customerRow(`${prefix}1`, 'Anna'), ...customerRow(`${prefix}2`, 'Bertta'));
        await w.write(batch);
      });
      expect(await ctx.app.stores.audience.refreshSummaries(), 'both new customers').toBe(2);
      await withWriter(threadFromRows, async (w) => {
        const batch = emptyBatch();
        // Unchanged customer 1; a consent for customer 2: only customer 2 changes.
        batch.customers.push(...customerRow(`${prefix}1`, 'Anna'));
        batch.ledger.push(`${prefix}2`, 'consent', 'marketing', 'email', 'granted', NOW, NOW, 'web', null, null, null, `${prefix}fp`);
        await w.write(batch);
      });
      const marked = await sql<{ customer_id: string }>`SELECT DISTINCT customer_id FROM audience_dirty`.execute(ctx.app.database.db);
      expect(marked.rows.map((r) => r.customer_id)).toEqual([`${prefix}2`]);
      expect(await ctx.app.stores.audience.refreshSummaries()).toBe(1);
    });

    it(`rejects a batch the store refuses and writes nothing of it (${label})`, async () => {
      const prefix = `X${threadFromRows}-`;
      await withWriter(threadFromRows, async (w) => {
        const batch = emptyBatch();
        batch.customers.push(...customerRow(`${prefix}1`, 'Anna'));
        // A ledger row for a customer that does not exist: the foreign key refuses it.
        batch.ledger.push(`${prefix}none`, 'consent', 'marketing', null, 'granted', NOW, NOW, 'web', null, null, null, `${prefix}fp`);
        await expect(w.write(batch)).rejects.toThrow();
      });
      expect(await names(prefix)).toEqual([]);
    });
  }

  it('fails the import with IMPORT_FAILED when the store refuses a batch, keeping earlier batches', async () => {
    const database = ctx.app.database;
    // A trigger stands in for any store failure (disk full, lost connection, …).
    if (database.dialect === 'sqlite') {
      database.sqlite.exec(`CREATE TRIGGER refuse_y BEFORE INSERT ON customers WHEN NEW.id = 'Y-FAIL' BEGIN SELECT RAISE(ABORT, 'refused'); END`);
    } else {
      await sql`CREATE FUNCTION refuse_y() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.id = 'Y-FAIL' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$`.execute(database.db);
      await sql`CREATE TRIGGER refuse_y BEFORE INSERT ON customers FOR EACH ROW EXECUTE FUNCTION refuse_y()`.execute(database.db);
    }
    const lines = ['Y1', 'Y2', 'Y-FAIL', 'Y4'].map((id) => JSON.stringify({ type: 'customer', id, kind: 'person', name: id })).join('\n');
    const now = (): Instant => NOW as Instant;
    const error: unknown = await runImport({ database, settings: ctx.app.settings, now }, { stream: Readable.from([lines]), format: 'ndjson', batchSize: 2 }).catch(
      (e: unknown) => e,
    );
    expect(isDomainError(error) && error.code === 'IMPORT_FAILED' && error.details).toMatchObject({ firstLine: 3, lastLine: 4 });
    expect(String(error)).not.toContain('Y-FAIL'); // the store's message stays in `cause`
    expect(await names('Y')).toEqual(['Y1', 'Y2']);
    if (database.dialect === 'sqlite') database.sqlite.exec('DROP TRIGGER refuse_y');
    else await sql`DROP TRIGGER refuse_y ON customers`.execute(database.db);
  });
});
