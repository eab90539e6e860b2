/**
 * Bulk writes on PostgreSQL: each batch is streamed with COPY into temporary staging tables and
 * moved into the real tables with one INSERT … SELECT … ON CONFLICT per table, in one transaction.
 * The staging tables are created once per import with ON COMMIT DELETE ROWS, so every batch
 * starts from empty ones without creating and dropping catalogue entries thousands of times.
 */
import { sql, type Kysely } from 'kysely';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from '../database.ts';
import type { Schema } from '../schema.ts';
import {
  CUSTOMER_COLUMNS,
  LEDGER_COLUMNS,
  ORDER_COLUMNS,
  PRODUCT_COLUMNS,
  SUPPRESSION_COLUMNS,
  emptyCounts,
  type BulkBatch,
  type BulkWriter,
  type Cell,
  type WrittenCounts,
} from './bulk-writer.ts';

interface Staged {
  table: string;
  stage: string;
  /** column → staging type, in the order of the batch's flat rows (after `ord` where there is one). */
  columns: Record<string, string>;
  /** Staging has a leading `ord` column (the row's place in the batch) to insert in file order. */
  ordered?: boolean;
}

const T = 'text';
const TS = 'timestamptz';
const STAGES = {
  products: { table: 'products', stage: 'pg_temp.lupa_import_products', columns: { sku: T, name: T, brand: T, category: T } },
  customers: {
    table: 'customers',
    stage: 'pg_temp.lupa_import_customers',
    columns: {
      id: T, kind: T, name: T, email: T, phone: T, emails: 'jsonb', phones: 'jsonb', street: T, postal_code: T, city: T, country: T,
      postal_key: T, locale: T, created_at: TS, updated_at: TS, name_words: T,
    },
  },
  orders: {
    table: 'orders',
    stage: 'pg_temp.lupa_import_orders',
    columns: { id: T, customer_id: T, sku: T, started_at: TS, ended_at: TS, sold_via: T, opt_out_offered: 'boolean' },
  },
  ledger: {
    table: 'ledger',
    stage: 'pg_temp.lupa_import_ledger',
    ordered: true,
    columns: {
      ord: 'integer', customer_id: T, kind: T, purpose: T, channel: T, value: T, at: TS, recorded_at: TS, source: T,
      notice_version: T, notice_locale: T, evidence_ref: T, fingerprint: T,
    },
  },
  suppressions: {
    table: 'suppressions',
    stage: 'pg_temp.lupa_import_suppressions',
    ordered: true,
    columns: { ord: 'integer', channel: T, address: T, reason: T, at: TS, valid_until: TS, recorded_at: TS, source: T, fingerprint: T },
  },
} satisfies Record<keyof BulkBatch, Staged>;

function upsertFromStage(s: Staged, key: string, columns: readonly string[], opts: { keep?: string[]; touch?: string[] } = {}): string {
  const fixed = new Set([key, ...(opts.keep ?? []), ...(opts.touch ?? [])]);
  const compared = columns.filter((c) => !fixed.has(c));
  const set = [...compared, ...(opts.touch ?? [])].map((c) => `${c} = EXCLUDED.${c}`).join(', ');
  const list = columns.join(', ');
  // IS DISTINCT FROM: an identical row is not updated, so updated_at stays and the row is not counted.
  return `INSERT INTO ${s.table} (${list}) SELECT ${list} FROM ${s.stage}
    ON CONFLICT (${key}) DO UPDATE SET ${set}
    WHERE (${compared.map((c) => `${s.table}.${c}`).join(', ')}) IS DISTINCT FROM (${compared.map((c) => `EXCLUDED.${c}`).join(', ')})`;
}

function appendFromStage(s: Staged, columns: readonly string[], returning: string): string {
  const list = columns.join(', ');
  // ORDER BY ord: the ledger's bigserial `seq` then follows file order, which breaks ties between equal `at`.
  return `INSERT INTO ${s.table} (${list}) SELECT ${list} FROM ${s.stage} ORDER BY ord
    ON CONFLICT (fingerprint) DO NOTHING RETURNING ${returning}`;
}

const SQL = {
  products: upsertFromStage(STAGES.products, 'sku', PRODUCT_COLUMNS),
  customers: upsertFromStage(STAGES.customers, 'id', CUSTOMER_COLUMNS, { keep: ['created_at'], touch: ['updated_at'] }),
  orders: upsertFromStage(STAGES.orders, 'id', ORDER_COLUMNS),
  ledger: `WITH ins AS (${appendFromStage(STAGES.ledger, LEDGER_COLUMNS, 'kind')}) SELECT kind, count(*)::int AS n FROM ins GROUP BY kind`,
  suppressions: `WITH ins AS (${appendFromStage(STAGES.suppressions, SUPPRESSION_COLUMNS, '1')}) SELECT count(*)::int AS n FROM ins`,
};

/** The flat rows (`width` cells each) with only the last row of each key (the first cell) kept, in their order. */
export function lastPerKey(values: readonly Cell[], width: number): readonly Cell[] {
  const last = new Map<Cell, number>();
  for (let i = 0; i < values.length; i += width) last.set(values[i] ?? null, i);
  if (last.size * width === values.length) return values;
  const kept: Cell[] = [];
  for (let i = 0; i < values.length; i += width) if (last.get(values[i] ?? null) === i) kept.push(...values.slice(i, i + width));
  return kept;
}

/** COPY text format: tab-separated, \N for null, backslash escapes for the four special characters. */
const SPECIAL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
function cell(v: Cell): string {
  if (v === null) return '\\N';
  const s = typeof v === 'string' ? v : String(v);
  SPECIAL.lastIndex = 0;
  return SPECIAL.test(s) ? s.replace(SPECIAL, (c) => ESCAPES[c] ?? c) : s;
}

/** The COPY payload of flat rows of `width` values, in pieces of about 1 MiB; `ordered` prefixes the row number. */
function* copyText(values: readonly Cell[], width: number, ordered: boolean): Generator<string> {
  let piece = '';
  for (let i = 0, row = 0; i < values.length; i += width, row++) {
    let line = ordered ? `${row}\t` : '';
    for (let j = 0; j < width; j++) line += (j === 0 ? '' : '\t') + cell(values[i + j] ?? null);
    piece += line + '\n';
    if (piece.length >= 1 << 20) {
      yield piece;
      piece = '';
    }
  }
  if (piece !== '') yield piece;
}

export class PostgresBulkWriter implements BulkWriter {
  private broken = false;

  private constructor(
    private readonly db: Kysely<Schema>,
    private readonly client: pg.PoolClient,
  ) {}

  /** Takes one connection from the pool for the whole import: temporary tables live per session. */
  static async open(database: Extract<Database, { dialect: 'postgres' }>): Promise<PostgresBulkWriter> {
    const client = await database.pool.connect();
    try {
      for (const s of Object.values(STAGES) as Staged[]) {
        const cols = Object.entries(s.columns).map(([c, type]) => `${c} ${type}`).join(', ');
        await client.query(`DROP TABLE IF EXISTS ${s.stage}`);
        await client.query(`CREATE TEMP TABLE ${s.stage.slice('pg_temp.'.length)} (${cols}) ON COMMIT DELETE ROWS`);
      }
    } catch (err) {
      client.release(err instanceof Error ? err : true);
      throw err;
    }
    return new PostgresBulkWriter(database.db, client);
  }

  async existing(table: 'customers' | 'products', keys: readonly string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const key = sql.ref(table === 'customers' ? 'id' : 'sku');
    // One array parameter, however many keys; on another pooled connection, as the import's own
    // connection may be busy writing the previous batch.
    const result = await sql<{ k: string }>`SELECT ${key} AS k FROM ${sql.table(table)} WHERE ${key} = ANY(${[...keys]}::text[])`.execute(this.db);
    return new Set(result.rows.map((r) => r.k));
  }

  async write(b: BulkBatch): Promise<WrittenCounts> {
    const n = emptyCounts();
    await this.client.query('BEGIN');
    try {
      // Referenced rows first, so the foreign keys of orders and the ledger hold.
      if (b.products.length > 0) {
        await this.copy(STAGES.products, b.products);
        n.product = (await this.client.query(SQL.products)).rowCount ?? 0;
      }
      if (b.customers.length > 0) {
        await this.copy(STAGES.customers, b.customers);
        n.customer = (await this.client.query(SQL.customers)).rowCount ?? 0;
      }
      if (b.orders.length > 0) {
        await this.copy(STAGES.orders, b.orders);
        n.order = (await this.client.query(SQL.orders)).rowCount ?? 0;
      }
      if (b.ledger.length > 0) {
        await this.copy(STAGES.ledger, b.ledger);
        for (const row of (await this.client.query<{ kind: string; n: number }>(SQL.ledger)).rows) {
          if (row.kind === 'objection') n.objection = row.n;
          else n.consent = row.n;
        }
      }
      if (b.suppressions.length > 0) {
        await this.copy(STAGES.suppressions, b.suppressions);
        n.suppression = (await this.client.query<{ n: number }>(SQL.suppressions)).rows[0]?.n ?? 0;
      }
      await this.client.query('COMMIT');
      return n;
    } catch (err) {
      await this.client.query('ROLLBACK').catch(() => {
        this.broken = true;
      });
      throw err;
    }
  }

  async close(): Promise<void> {
    if (!this.broken) {
      // The connection goes back to the pool; its staging tables should not go with it.
      const drops = Object.values(STAGES).map((s) => `DROP TABLE IF EXISTS ${s.stage}`).join('; ');
      await this.client.query(drops).catch(() => {
        this.broken = true;
      });
    }
    this.client.release(this.broken);
  }

  private async copy(s: Staged, values: readonly Cell[]): Promise<void> {
    const columns = Object.keys(s.columns);
    const stream = this.client.query(copyFrom(`COPY ${s.stage} (${columns.join(', ')}) FROM STDIN`));
    const ordered = s.ordered === true;
    const width = columns.length - (ordered ? 1 : 0);
    // Upserts take one row per key: a batch that names a key twice (a line repeated in the file)
    // keeps its last, as SQLite's row-by-row upsert ends up with, instead of failing the batch.
    await pipeline(Readable.from(copyText(ordered ? values : lastPerKey(values, width), width, ordered)), stream);
  }
}
