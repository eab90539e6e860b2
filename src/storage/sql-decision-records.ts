/**
 * Everything `decide` needs about one customer in one round trip: the customer, its orders with
 * their categories, its ledger and the suppressions of its address on the channel (or on every
 * channel, for a customer's verdicts over all purposes and channels at once). Each dialect
 * aggregates the related rows as JSON; the rows are then read with the same mappers as elsewhere.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import type { DecisionRecords, DecisionRecordsStore } from '../core/ports.ts';
import type { CustomerId } from '../core/records.ts';
import { CHANNELS, type Channel } from '../core/vocabulary.ts';
import { addressColumn } from './audience-facts.ts';
import { customerFromRow, ledgerFromRow, orderWithCategoryFromRow, suppressionFromRow, type SuppressionRow } from './row-mappers.ts';
import type { CustomersTable, LedgerTable, OrdersTable } from './schema.ts';

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

/**
 * Which suppression rows `x` are the customer's (customer row `c`): on the channel given as the
 * statement's parameter `channelParam`, or, for `'every'`, on each channel with its own address.
 */
function suppressionFilter(channel: Channel | 'every', channelParam: string): string {
  if (channel !== 'every') return `x.channel = ${channelParam} AND x.address = ${addressExpression(channel)}`;
  // Channel names are the vocabulary's constants, never input.
  return CHANNELS.filter((ch) => addressColumn(ch) !== null)
    .map((ch) => `(x.channel = '${ch}' AND x.address = ${addressExpression(ch)})`)
    .join(' OR ');
}

export class SqliteDecisionRecords implements DecisionRecordsStore {
  /** One prepared statement per channel: preparing costs more than running this query. */
  private readonly statements = new Map<Channel | 'every', BetterSqlite3.Statement>();

  constructor(private readonly sqlite: BetterSqlite3.Database) {}

  async recordsFor(customerId: CustomerId, channel: Channel | 'every'): Promise<DecisionRecords | null> {
    const row = this.statement(channel).get(channel === 'every' ? { id: customerId } : { id: customerId, channel }) as string | undefined;
    return row === undefined ? null : toRecords(JSON.parse(row) as RawRecords, (v) => v);
  }

  private statement(channel: Channel | 'every'): BetterSqlite3.Statement {
    const cached = this.statements.get(channel);
    if (cached !== undefined) return cached;
    const statement = this.sqlite
      .prepare(
        `SELECT json_object('customer', json_object(${columns('c', CUSTOMER_COLUMNS)}),
          'orders', (SELECT json_group_array(json_object(${columns('o', ORDER_COLUMNS)}, 'category', p.category))
                     FROM (SELECT * FROM orders WHERE customer_id = c.id ORDER BY started_at, id) o JOIN products p ON p.sku = o.sku),
          'ledger', (SELECT json_group_array(json_object(${columns('l', LEDGER_COLUMNS)}))
                     FROM (SELECT * FROM ledger WHERE customer_id = c.id ORDER BY at, seq) l),
          'suppressions', (SELECT json_group_array(json_object(${columns('s', SUPPRESSION_COLUMNS)}))
                     FROM (SELECT x.*, ${LIFTED_AT} AS lifted_at FROM suppressions x
                           WHERE ${suppressionFilter(channel, '@channel')} ORDER BY x.at, x.id) s)
        ) AS records FROM customers c WHERE c.id = @id`,
      )
      .pluck();
    this.statements.set(channel, statement);
    return statement;
  }
}

export class PostgresDecisionRecords implements DecisionRecordsStore {
  constructor(private readonly pool: pg.Pool) {}

  async recordsFor(customerId: CustomerId, channel: Channel | 'every'): Promise<DecisionRecords | null> {
    // A named statement is parsed and planned once per connection.
    const result = await this.pool.query<{ records: RawRecords }>({
      name: `lupa-decision-records-${channel}`,
      text: `SELECT json_build_object('customer', to_json(c),
          'orders', (SELECT coalesce(json_agg(o ORDER BY o.started_at, o.id), '[]')
                     FROM (SELECT orders.*, p.category FROM orders JOIN products p ON p.sku = orders.sku WHERE orders.customer_id = c.id) o),
          'ledger', (SELECT coalesce(json_agg(l ORDER BY l.at, l.seq), '[]') FROM ledger l WHERE l.customer_id = c.id),
          'suppressions', (SELECT coalesce(json_agg(s ORDER BY s.at, s.id), '[]')
                     FROM (SELECT x.*, ${LIFTED_AT} AS lifted_at FROM suppressions x
                           WHERE ${suppressionFilter(channel, '$2')}) s)
        ) AS records FROM customers c WHERE c.id = $1`,
      values: channel === 'every' ? [customerId] : [customerId, channel],
    });
    const raw = result.rows[0]?.records;
    // JSON renders timestamptz as "2024-01-01T00:00:00+00:00"; the register speaks ISO instants with milliseconds.
    return raw === undefined ? null : toRecords(raw, (v) => new Date(v).toISOString());
  }
}

const CUSTOMER_COLUMNS = ['id', 'kind', 'name', 'email', 'phone', 'emails', 'phones', 'street', 'postal_code', 'city', 'country', 'postal_key', 'locale', 'created_at', 'updated_at'];
const ORDER_COLUMNS = ['id', 'customer_id', 'sku', 'started_at', 'ended_at', 'sold_via', 'opt_out_offered'];
const LEDGER_COLUMNS = ['seq', 'customer_id', 'kind', 'purpose', 'channel', 'value', 'at', 'recorded_at', 'source', 'notice_version', 'notice_locale', 'evidence_ref', 'fingerprint'];
const SUPPRESSION_COLUMNS = ['id', 'channel', 'address', 'reason', 'at', 'valid_until', 'recorded_at', 'source', 'fingerprint', 'lifted_at'];
/** The earliest lift of the suppression row `x` (null: none); `decide` applies it (suppressionInForce). */
const LIFTED_AT = '(SELECT MIN(l.at) FROM suppression_lifts l WHERE l.suppression_id = x.id)';

/** `'name', alias.name, …` for SQLite's json_object. */
function columns(alias: string, names: string[]): string {
  return names.map((n) => `'${n}', ${alias}.${n}`).join(', ');
}
