/**
 * Everything `decide` needs about one customer in one round trip: the customer, its orders with
 * their categories, its ledger and the suppressions of its address on the channel, and the marketed
 * product when one is asked about. Each dialect aggregates the related rows as JSON; the rows are
 * then read with the same mappers as elsewhere. One statement per channel, prepared once (SQLite)
 * or named (PostgreSQL: parsed and planned once per connection): `GET /v1/decide` runs it per request.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import type { DecisionRecords, DecisionRecordsAndProduct, DecisionRecordsStore } from '../core/ports.ts';
import type { CustomerId, Sku } from '../core/records.ts';
import type { Channel } from '../core/vocabulary.ts';
import { addressColumn } from './audience-facts.ts';
import { customerFromRow, ledgerFromRow, orderWithCategoryFromRow, productFromRow, suppressionFromRow, type SuppressionRow } from './row-mappers.ts';
import type { CustomersTable, LedgerTable, OrdersTable, ProductsTable } from './schema.ts';

interface RawRecords {
  customer: CustomersTable;
  orders: (OrdersTable & { category: string })[];
  ledger: (Omit<LedgerTable, 'seq'> & { seq: number })[];
  suppressions: SuppressionRow[];
}

function toRecords(raw: RawRecords, time: (v: string) => string): DecisionRecords {
  const t = <T extends string | null>(v: T): T => (v === null ? v : (time(v) as T));
  return {
    customer: customerFromRow({ ...raw.customer, created_at: t(raw.customer.created_at), updated_at: t(raw.customer.updated_at) }),
    orders: raw.orders.map((o) => orderWithCategoryFromRow({ ...o, started_at: t(o.started_at), ended_at: t(o.ended_at) })),
    ledger: raw.ledger.map((l) => ledgerFromRow({ ...l, at: t(l.at), recorded_at: t(l.recorded_at) })),
    suppressions: raw.suppressions.map((s) => suppressionFromRow({ ...s, at: t(s.at), valid_until: t(s.valid_until), lifted_at: t(s.lifted_at) })),
  };
}

function addressExpression(channel: Channel): string {
  return addressColumn(channel) ?? 'NULL';
}

export class SqliteDecisionRecords implements DecisionRecordsStore {
  /** One prepared statement per channel: preparing costs more than running this query. */
  private readonly statements = new Map<Channel, BetterSqlite3.Statement>();

  constructor(private readonly sqlite: BetterSqlite3.Database) {}

  async recordsFor(customerId: CustomerId, channel: Channel): Promise<DecisionRecords | null> {
    return (await this.recordsAndProduct(customerId, channel, null)).records;
  }

  async recordsAndProduct(customerId: CustomerId, channel: Channel, sku: Sku | null): Promise<DecisionRecordsAndProduct> {
    const row = this.statement(channel).get({ id: customerId, channel, sku }) as { records: string | null; product: string | null };
    return {
      records: row.records === null ? null : toRecords(JSON.parse(row.records) as RawRecords, (v) => v),
      product: productOf(sku, row.product === null ? null : (JSON.parse(row.product) as ProductsTable)),
    };
  }

  private statement(channel: Channel): BetterSqlite3.Statement {
    const cached = this.statements.get(channel);
    if (cached !== undefined) return cached;
    const statement = this.sqlite.prepare(
      `SELECT (SELECT json_object('customer', json_object(${columns('c', CUSTOMER_COLUMNS)}),
          'orders', (SELECT json_group_array(json_object(${columns('o', ORDER_COLUMNS)}, 'category', p.category))
                     FROM (SELECT * FROM orders WHERE customer_id = c.id ORDER BY started_at, id) o JOIN products p ON p.sku = o.sku),
          'ledger', (SELECT json_group_array(json_object(${columns('l', LEDGER_COLUMNS)}))
                     FROM (SELECT * FROM ledger WHERE customer_id = c.id ORDER BY at, seq) l),
          'suppressions', (SELECT json_group_array(json_object(${columns('s', SUPPRESSION_COLUMNS)}))
                     FROM (SELECT x.*, ${LIFTED_AT} AS lifted_at FROM suppressions x
                           WHERE x.channel = @channel AND x.address = ${addressExpression(channel)} ORDER BY x.at, x.id) s)
        ) FROM customers c WHERE c.id = @id) AS records,
        (SELECT json_object(${columns('p', PRODUCT_COLUMNS)}) FROM products p WHERE p.sku = @sku) AS product`,
    );
    this.statements.set(channel, statement);
    return statement;
  }
}

export class PostgresDecisionRecords implements DecisionRecordsStore {
  constructor(private readonly pool: pg.Pool) {}

  async recordsFor(customerId: CustomerId, channel: Channel): Promise<DecisionRecords | null> {
    return (await this.recordsAndProduct(customerId, channel, null)).records;
  }

  async recordsAndProduct(customerId: CustomerId, channel: Channel, sku: Sku | null): Promise<DecisionRecordsAndProduct> {
    // A named statement is parsed and planned once per connection.
    const result = await this.pool.query<{ records: RawRecords | null; product: ProductsTable | null }>({
      name: `lupa-decision-records-${channel}`,
      text: `SELECT (SELECT json_build_object('customer', to_json(c),
          'orders', (SELECT coalesce(json_agg(o ORDER BY o.started_at, o.id), '[]')
                     FROM (SELECT orders.*, p.category FROM orders JOIN products p ON p.sku = orders.sku WHERE orders.customer_id = c.id) o),
          'ledger', (SELECT coalesce(json_agg(l ORDER BY l.at, l.seq), '[]') FROM ledger l WHERE l.customer_id = c.id),
          'suppressions', (SELECT coalesce(json_agg(s ORDER BY s.at, s.id), '[]')
                     FROM (SELECT x.*, ${LIFTED_AT} AS lifted_at FROM suppressions x
                           WHERE x.channel = $2 AND x.address = ${addressExpression(channel)}) s)
        ) FROM customers c WHERE c.id = $1) AS records,
        (SELECT to_json(p) FROM products p WHERE p.sku = $3) AS product`,
      values: [customerId, channel, sku],
    });
    const row = result.rows[0];
    // JSON renders timestamptz as "2024-01-01T00:00:00+00:00"; the register speaks ISO instants with milliseconds.
    return {
      records: row?.records == null ? null : toRecords(row.records, (v) => new Date(v).toISOString()),
      product: productOf(sku, row?.product ?? null),
    };
  }
}

/** The product asked about: null when none was, undefined when `sku` names no product. */
function productOf(sku: Sku | null, row: ProductsTable | null): DecisionRecordsAndProduct['product'] {
  if (sku === null) return null;
  return row === null ? undefined : productFromRow(row);
}

const CUSTOMER_COLUMNS = ['id', 'kind', 'name', 'email', 'phone', 'emails', 'phones', 'street', 'postal_code', 'city', 'country', 'postal_key', 'locale', 'created_at', 'updated_at'];
const ORDER_COLUMNS = ['id', 'customer_id', 'sku', 'started_at', 'ended_at', 'sold_via', 'opt_out_offered'];
const LEDGER_COLUMNS = ['seq', 'customer_id', 'kind', 'purpose', 'channel', 'value', 'at', 'recorded_at', 'source', 'notice_version', 'notice_locale', 'evidence_ref', 'fingerprint'];
const PRODUCT_COLUMNS = ['sku', 'name', 'brand', 'category'];
const SUPPRESSION_COLUMNS = ['id', 'channel', 'address', 'reason', 'at', 'valid_until', 'recorded_at', 'source', 'fingerprint', 'lifted_at'];
/** The earliest lift of the suppression row `x` (null: none); `decide` applies it (suppressionInForce). */
const LIFTED_AT = '(SELECT MIN(l.at) FROM suppression_lifts l WHERE l.suppression_id = x.id)';

/** `'name', alias.name, …` for SQLite's json_object. */
function columns(alias: string, names: string[]): string {
  return names.map((n) => `'${n}', ${alias}.${n}`).join(', ');
}
