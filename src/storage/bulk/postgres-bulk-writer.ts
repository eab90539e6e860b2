/**
 * Bulk writes on PostgreSQL: each batch is streamed with COPY into temporary staging tables and
 * moved into the real tables with one INSERT … SELECT … ON CONFLICT per table, in one transaction.
 * The staging tables are created once per import with ON COMMIT DELETE ROWS, so every batch
 * starts from empty ones without creating and dropping catalogue entries thousands of times.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { emptyCounts, type BulkBatch, type BulkWriter, type WrittenCounts } from './bulk-writer.ts';
import { CUSTOMER_COLUMNS, LEDGER_COLUMNS, ORDER_COLUMNS, PRODUCT_COLUMNS, SUPPRESSION_COLUMNS } from './sqlite-bulk-writer.ts';

type Cell = string | number | null;

interface Staged {
  table: string;
  stage: string;
  /** column → staging type; the types match the real table, so INSERT … SELECT needs no casts. */
  columns: Record<string, string>;
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
      postal_key: T, locale: T, created_at: TS, updated_at: TS,
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
    columns: {
      ord: 'integer', customer_id: T, kind: T, purpose: T, channel: T, value: T, at: TS, recorded_at: TS, source: T,
      notice_version: T, notice_locale: T, evidence_ref: T, fingerprint: T,
    },
  },
  suppressions: {
    table: 'suppressions',
    stage: 'pg_temp.lupa_import_suppressions',
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

/** COPY text format: tab-separated, \N for null, backslash escapes for the four special characters. */
const SPECIAL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
function cell(v: Cell): string {
  if (v === null) return '\\N';
  const s = typeof v === 'string' ? v : String(v);
  SPECIAL.lastIndex = 0;
  return SPECIAL.test(s) ? s.replace(SPECIAL, (c) => ESCAPES[c] ?? c) : s;
}

/** The COPY payload in pieces of about 1 MiB, so a batch is never one huge string. */
function* copyText(rows: readonly (readonly Cell[])[]): Generator<string> {
  let piece = '';
  for (const row of rows) {
    piece += row.map(cell).join('\t') + '\n';
    if (piece.length >= 1 << 20) {
      yield piece;
      piece = '';
    }
  }
  if (piece !== '') yield piece;
}

export class PostgresBulkWriter implements BulkWriter {
  private broken = false;

  private constructor(private readonly client: pg.PoolClient) {}

  /** Takes one connection from the pool for the whole import: temporary tables live per session. */
  static async open(pool: pg.Pool): Promise<PostgresBulkWriter> {
    const client = await pool.connect();
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
    return new PostgresBulkWriter(client);
  }

  async existing(table: 'customers' | 'products', keys: readonly string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const key = table === 'customers' ? 'id' : 'sku';
    const result = await this.client.query<{ k: string }>(`SELECT ${key} AS k FROM ${table} WHERE ${key} = ANY($1::text[])`, [keys]);
    return new Set(result.rows.map((r) => r.k));
  }

  async write(b: BulkBatch): Promise<WrittenCounts> {
    const n = emptyCounts();
    await this.client.query('BEGIN');
    try {
      // Referenced rows first, so the foreign keys of orders and the ledger hold.
      if (b.products.length > 0) {
        await this.copy(STAGES.products, b.products.map((r) => [r.sku, r.name, r.brand, r.category]));
        n.product = (await this.client.query(SQL.products)).rowCount ?? 0;
      }
      if (b.customers.length > 0) {
        await this.copy(STAGES.customers, b.customers.map((r) => CUSTOMER_COLUMNS.map((c) => jsonText(r[c]))));
        n.customer = (await this.client.query(SQL.customers)).rowCount ?? 0;
      }
      if (b.orders.length > 0) {
        await this.copy(STAGES.orders, b.orders.map((r) => [r.id, r.customer_id, r.sku, r.started_at, r.ended_at, r.sold_via, r.opt_out_offered]));
        n.order = (await this.client.query(SQL.orders)).rowCount ?? 0;
      }
      if (b.ledger.length > 0) {
        await this.copy(STAGES.ledger, b.ledger.map((r, i) => [i, ...LEDGER_COLUMNS.map((c) => r[c])]));
        for (const row of (await this.client.query<{ kind: string; n: number }>(SQL.ledger)).rows) {
          if (row.kind === 'objection') n.objection = row.n;
          else n.consent = row.n;
        }
      }
      if (b.suppressions.length > 0) {
        await this.copy(STAGES.suppressions, b.suppressions.map((r, i) => [i, ...SUPPRESSION_COLUMNS.map((c) => r[c])]));
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

  private async copy(s: Staged, rows: readonly (readonly Cell[])[]): Promise<void> {
    const stream = this.client.query(copyFrom(`COPY ${s.stage} (${Object.keys(s.columns).join(', ')}) FROM STDIN`));
    await pipeline(Readable.from(copyText(rows)), stream);
  }
}

/** customerToRow gives JSON text for emails/phones; a PostgreSQL row read back would give arrays. */
function jsonText(v: string | string[] | null): Cell {
  return Array.isArray(v) ? JSON.stringify(v) : v;
}
