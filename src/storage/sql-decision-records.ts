/**
 * Everything `decide` needs about one customer, read together: the customer, its orders with their
 * categories, its ledger and the suppressions of its address on the channel (or on every channel,
 * for a customer's verdicts over all purposes and channels at once), and the marketed
 * product when one is asked about. `GET /v1/decide` reads this per request, so the statements are
 * prepared once: on SQLite several small ones in one read transaction, on PostgreSQL one named
 * statement (one round trip, parsed and planned once per connection) that aggregates the related
 * rows as JSON. Either way the rows are read with the same mappers as elsewhere.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import type { DecisionRecords, DecisionRecordsAndProduct, DecisionRecordsStore } from '../core/ports.ts';
import type { CustomerId, Sku } from '../core/records.ts';
import { CHANNELS, type Channel } from '../core/vocabulary.ts';
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

/** The channels a customer has an address on, so that suppressions of that address count. */
const ADDRESSED_CHANNELS = CHANNELS.filter((ch) => addressColumn(ch) !== null);

/**
 * Which suppression rows `x` are the customer's (customer row `c`): on the channel given as the
 * statement's parameter `channelParam`, or, for `'every'`, on each channel with its own address.
 */
function suppressionFilter(channel: Channel | 'every', channelParam: string): string {
  if (channel !== 'every') return `x.channel = ${channelParam} AND x.address = ${addressExpression(channel)}`;
  // Channel names are the vocabulary's constants, never input. The parameter is null here; naming it
  // keeps one parameter list for every channel's statement (PostgreSQL must know each one's type).
  return `${channelParam}::text IS NULL AND (${ADDRESSED_CHANNELS.map((ch) => `(x.channel = '${ch}' AND x.address = ${addressExpression(ch)})`).join(' OR ')})`;
}

/**
 * SQLite: five small prepared statements inside one read transaction (one snapshot, as one query
 * would see), rows read as they are. Building the same answer as JSON inside SQLite and parsing it
 * again cost about twice as much CPU per decision (85 µs against 47 µs on the benchmark's store).
 */
export class SqliteDecisionRecords implements DecisionRecordsStore {
  private readonly read: (customerId: CustomerId, channel: Channel | 'every', sku: Sku | null) => DecisionRecordsAndProduct;

  constructor(sqlite: BetterSqlite3.Database) {
    const customer = sqlite.prepare(`SELECT ${CUSTOMER_COLUMNS.join(', ')} FROM customers WHERE id = ?`);
    const orders = sqlite.prepare(
      `SELECT ${ORDER_COLUMNS.map((n) => `o.${n}`).join(', ')}, p.category FROM orders o JOIN products p ON p.sku = o.sku
       WHERE o.customer_id = ? ORDER BY o.started_at, o.id`,
    );
    const ledger = sqlite.prepare(`SELECT ${LEDGER_COLUMNS.join(', ')} FROM ledger WHERE customer_id = ? ORDER BY at, seq`);
    const suppressions = sqlite.prepare(
      `SELECT ${SUPPRESSION_COLUMNS.filter((n) => n !== 'lifted_at').map((n) => `x.${n}`).join(', ')}, ${LIFTED_AT} AS lifted_at
       FROM suppressions x WHERE x.channel = ? AND x.address = ? ORDER BY x.at, x.id`,
    );
    const product = sqlite.prepare(`SELECT ${PRODUCT_COLUMNS.join(', ')} FROM products WHERE sku = ?`);
    const suppressionsOf = (row: CustomersTable, channel: Channel | 'every'): SuppressionRow[] => {
      if (channel !== 'every') {
        const address = addressOf(row, channel);
        return address === null ? [] : (suppressions.all(channel, address) as SuppressionRow[]);
      }
      const all = ADDRESSED_CHANNELS.flatMap((ch) => suppressionsOf(row, ch));
      return all.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id - b.id));
    };
    this.read = sqlite.transaction((customerId: CustomerId, channel: Channel | 'every', sku: Sku | null): DecisionRecordsAndProduct => {
      const productRow = sku === null ? undefined : (product.get(sku) as ProductsTable | undefined);
      const row = customer.get(customerId) as CustomersTable | undefined;
      return {
        records:
          row === undefined
            ? null
            : {
                customer: customerFromRow(row),
                orders: (orders.all(customerId) as (OrdersTable & { category: string })[]).map(orderWithCategoryFromRow),
                ledger: (ledger.all(customerId) as (Omit<LedgerTable, 'seq'> & { seq: number })[]).map(ledgerFromRow),
                suppressions: suppressionsOf(row, channel).map(suppressionFromRow),
              },
        product: productOf(sku, productRow ?? null),
      };
    });
  }

  async recordsFor(customerId: CustomerId, channel: Channel | 'every'): Promise<DecisionRecords | null> {
    return this.read(customerId, channel, null).records;
  }

  async recordsAndProduct(customerId: CustomerId, channel: Channel | 'every', sku: Sku | null): Promise<DecisionRecordsAndProduct> {
    return this.read(customerId, channel, sku);
  }
}

/** The customer's address on the channel, as suppressions are recorded for it (web has none). */
function addressOf(row: CustomersTable, channel: Channel): string | null {
  const column = addressColumn(channel);
  return column === null ? null : (row[column.slice('c.'.length) as 'email' | 'phone' | 'postal_key'] ?? null);
}

export class PostgresDecisionRecords implements DecisionRecordsStore {
  constructor(private readonly pool: pg.Pool) {}

  async recordsFor(customerId: CustomerId, channel: Channel | 'every'): Promise<DecisionRecords | null> {
    return (await this.recordsAndProduct(customerId, channel, null)).records;
  }

  async recordsAndProduct(customerId: CustomerId, channel: Channel | 'every', sku: Sku | null): Promise<DecisionRecordsAndProduct> {
    // A named statement is parsed and planned once per connection.
    const result = await this.pool.query<{ records: RawRecords | null; product: ProductsTable | null }>({
      name: `lupa-decision-records-${channel}`,
      text: `SELECT (SELECT json_build_object('customer', to_json(c),
          'orders', (SELECT coalesce(json_agg(o ORDER BY o.started_at, o.id), '[]')
                     FROM (SELECT orders.*, p.category FROM orders JOIN products p ON p.sku = orders.sku WHERE orders.customer_id = c.id) o),
          'ledger', (SELECT coalesce(json_agg(l ORDER BY l.at, l.seq), '[]') FROM ledger l WHERE l.customer_id = c.id),
          'suppressions', (SELECT coalesce(json_agg(s ORDER BY s.at, s.id), '[]')
                     FROM (SELECT x.*, ${LIFTED_AT} AS lifted_at FROM suppressions x
                           WHERE ${suppressionFilter(channel, '$2')}) s)
        ) FROM customers c WHERE c.id = $1) AS records,
        (SELECT to_json(p) FROM products p WHERE p.sku = $3) AS product`,
      values: channel === 'every' ? [customerId, null, sku] : [customerId, channel, sku],
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

