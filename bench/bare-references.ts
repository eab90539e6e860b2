/**
 * The bare references of the store benchmarks: what the same store does with the same data and no
 * Lupa code on top, measured in the same run, so that a ratio to it tells the code's progress from
 * the machine's day (a slower disk or a busier neighbour slows both alike).
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import { from as copyFrom } from 'pg-copy-streams';
import type { App } from '../src/composition-root.ts';

/**
 * One pass over the audience summaries, reading the columns an audience question reads from them,
 * grouped by a code built from them as the answer groups by its fact code: the scan under every
 * audience, without the question's rules. Seconds; the groups' total is the customers scanned.
 */
export async function bareSummaryScan(app: App): Promise<{ rows: number; seconds: number }> {
  const started = performance.now();
  const groups = await sql<{ n: number }>`
    SELECT (fixed_code + 256 * (addresses & 1) + 512 * (suppressed & 1) + 1024 * (consent_granted & 1)
            + 2048 * (consent_withdrawn & 1) + 4096 * (ordered_categories & 1)
            + 8192 * (CASE WHEN ledger_through IS NULL AND first_order_at IS NULL AND orders_through IS NULL THEN 1 ELSE 0 END)) AS code,
           COUNT(*) AS n
    FROM audience_summaries GROUP BY 1`.execute(app.database.db);
  const seconds = (performance.now() - started) / 1000;
  return { rows: groups.rows.reduce((sum, g) => sum + Number(g.n), 0), seconds };
}

/**
 * The import file's lines written as they are into a scratch table (line number, text): a prepared
 * INSERT in transactions of 10,000 on SQLite, COPY on PostgreSQL. The floor an import stands on:
 * the same bytes read and written, with no parsing, checking or merging.
 */
export async function bareLineWrite(app: App, file: string): Promise<{ rows: number; seconds: number }> {
  const database = app.database;
  await sql`DROP TABLE IF EXISTS bench_bare_lines`.execute(database.db);
  await sql`CREATE TABLE bench_bare_lines (n BIGINT NOT NULL, line TEXT NOT NULL)`.execute(database.db);
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let rows = 0;
  const started = performance.now();
  if (database.dialect === 'sqlite') {
    const insert = database.sqlite.prepare('INSERT INTO bench_bare_lines (n, line) VALUES (?, ?)');
    const write = database.sqlite.transaction((batch: string[], from: number) => batch.forEach((line, i) => insert.run(from + i, line)));
    let batch: string[] = [];
    for await (const line of lines) {
      batch.push(line);
      if (batch.length === 10_000) {
        write(batch, rows);
        rows += batch.length;
        batch = [];
      }
    }
    write(batch, rows);
    rows += batch.length;
  } else {
    const client = await database.pool.connect();
    try {
      const copyText = async function* (): AsyncGenerator<string> {
        for await (const line of lines) yield `${rows++}\t${line.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\r/g, '\\r')}\n`;
      };
      await pipeline(Readable.from(copyText()), client.query(copyFrom('COPY bench_bare_lines (n, line) FROM STDIN')));
    } finally {
      client.release();
    }
  }
  const seconds = (performance.now() - started) / 1000;
  await sql`DROP TABLE bench_bare_lines`.execute(database.db);
  return { rows, seconds };
}
