/**
 * Data step of migration 0023: gives the customers stored before it their name words
 * (customers.name_words, src/core/name-words.ts), from which the triggers of 0023 fill the
 * customer_name_words index. SQL cannot fold diacritics as the application does, so the words are
 * computed here and written back a batch at a time, one set-based UPDATE per batch.
 *
 * Idempotent: a customer whose stored words are already right is not touched, so a second run
 * changes nothing and an interrupted run is finished by the next. The audience summaries do not
 * read names, so nothing is marked dirty.
 */
import { sql, type Kysely } from 'kysely';
import { nameWords } from '../core/name-words.ts';
import type { Database, Dialect } from './database.ts';
import type { Schema } from './schema.ts';

/** Counts only: nothing personal leaves this step. */
export interface NameWordsFillReport {
  customersRewritten: number;
}

export async function fillNameWords(database: Database, batchSize = 5000): Promise<NameWordsFillReport> {
  const report: NameWordsFillReport = { customersRewritten: 0 };
  const db = database.db;
  let after = '';
  for (;;) {
    const rows = await db.selectFrom('customers').select(['id', 'name', 'name_words']).where('id', '>', after).orderBy('id').limit(batchSize).execute();
    const last = rows[rows.length - 1];
    if (last === undefined) return report;
    after = last.id;
    const changed = rows
      .map((row) => ({ id: row.id, name_words: JSON.stringify(nameWords(row.name)), stored: row.name_words }))
      .filter((row) => row.name_words !== row.stored)
      .map(({ id, name_words }) => ({ id, name_words }));
    if (changed.length > 0) await updateNameWords(db, database.dialect, changed);
    report.customersRewritten += changed.length;
  }
}

/** One UPDATE … FROM a JSON array of the batch's words. */
async function updateNameWords(db: Kysely<Schema>, dialect: Dialect, rows: { id: string; name_words: string }[]): Promise<void> {
  const json = JSON.stringify(rows);
  if (dialect === 'postgres') {
    await sql`UPDATE customers AS c SET name_words = v.name_words
      FROM jsonb_to_recordset(${json}::jsonb) AS v(id text, name_words text)
      WHERE c.id = v.id`.execute(db);
    return;
  }
  await sql`UPDATE customers SET name_words = v.name_words
    FROM (SELECT value ->> 'id' AS id, value ->> 'name_words' AS name_words FROM json_each(${json})) AS v
    WHERE customers.id = v.id`.execute(db);
}
