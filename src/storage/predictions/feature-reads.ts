/**
 * Every admitted customer's prediction features as of a time, both dialects, in a few set-based
 * statements tallied in one pass in JS (feature-tally.ts): every customer in id order with whether
 * they may be profiled (`profilingAllowedSql`, compliance.md §2 rule 7: only they get a row); the
 * products' categories (some tens of rows); the orders started by then, each once with its time flags, in whatever order the
 * store reads them fastest; opens and clicks per customer; the label's customers; stated interests.
 * Nothing started, recorded or tracked after the features' time is read.
 *
 * Why not one statement grouped per customer and joined back to the customers: SQLite grouped the
 * orders through a temporary B-tree and then built automatic indexes on the grouped results to join
 * them back to every customer, most of the statement's time (200,000 customers: 4.2 s of 5.1 s).
 * Rows stream (runReads), so the orders of a million customers are never all in memory; the statements
 * read one snapshot.
 */
import { TRIAL_MAX_DAYS } from '../../core/trials.ts';
import type { FeatureRows, ModelSpec } from '../../core/predictions/model.ts';
import type { Database } from '../database.ts';
import { latestStatedSql } from '../interests/interest-sql.ts';
import { profilingAllowedSql } from '../profiling-gate.ts';
import { SqlParams, type SqlValue } from '../sql-text.ts';
import { FeatureTally, ORDER_BITS } from './feature-tally.ts';

const DAY_MS = 86_400_000;
/** A trial that ended this recently counts as a recent trial. */
const RECENT_TRIAL_DAYS = 60;
/** Opens and clicks counted over this many days before the features' time. */
const ENGAGEMENT_DAYS = 90;
/** Rows a PostgreSQL cursor fetch returns: some megabytes of order rows. */
const FEED_PAGE = 50_000;

export interface FeatureWindow {
  /** The features' time: nothing later is read. */
  featuresAt: string;
  /** Given: each row's label, from what happened in (featuresAt, labelsUntil]. */
  labelsUntil?: string;
  /** Profiling admitted as of this instant (now). */
  admittedAt: string;
  /** Every admitted customer; otherwise only those known by the features' time. */
  allCustomers?: boolean;
}

/** Marker text → the driver's positional form: `?` in order (SQLite) or `$n` (PostgreSQL). */
export function positional(text: string, values: readonly SqlValue[], dialect: Database['dialect']): { text: string; values: SqlValue[] } {
  if (!text.includes('\u0000')) return { text, values: [...values] };
  const out: SqlValue[] = [];
  const bound = text.replace(/\u0000(\d+)\u0000/g, (_, i: string) => {
    if (dialect === 'postgres') return `$${Number(i) + 1}`;
    out.push(values[Number(i)] ?? null);
    return '?';
  });
  return { text: bound, values: dialect === 'postgres' ? [...values] : out };
}

/** One statement to run (markers from `p`), and what to do with each of its rows (an array). */
interface Read {
  text: string;
  p: SqlParams;
  each: (row: unknown[]) => void;
}

const read = (text: string, p: SqlParams, each: (row: unknown[]) => void): Read => ({ text, p, each });

/** The statements of one reading, each made once the rows of the one before have been handled. */
type Reads<T> = Generator<Read, T, void>;

/**
 * Runs the reads in one snapshot, handing each row to its callback without holding them all: SQLite
 * steps each statement (`iterate`) in one transaction, synchronously (nothing else runs on the
 * connection meanwhile); PostgreSQL in one REPEATABLE READ READ ONLY transaction, each statement
 * through a cursor, FEED_PAGE rows a fetch.
 */
async function runReads<T>(database: Database, reads: Reads<T>): Promise<T> {
  if (database.dialect === 'sqlite') {
    const sqlite = database.sqlite;
    return sqlite.transaction(() => {
      for (let step = reads.next(); ; step = reads.next()) {
        if (step.done === true) return step.value;
        const q = positional(step.value.text, step.value.p.values, 'sqlite');
        for (const row of sqlite.prepare(q.text).raw(true).iterate(...q.values) as IterableIterator<unknown[]>) step.value.each(row);
      }
    })();
  }
  const client = await database.pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    for (let step = reads.next(); ; step = reads.next()) {
      if (step.done === true) {
        await client.query('COMMIT');
        return step.value;
      }
      const q = positional(step.value.text, step.value.p.values, 'postgres');
      await client.query({ text: `DECLARE feature_rows NO SCROLL CURSOR FOR ${q.text}`, values: q.values });
      for (;;) {
        const page = await client.query({ text: `FETCH ${FEED_PAGE} FROM feature_rows`, rowMode: 'array' });
        for (const row of page.rows as unknown[][]) step.value.each(row);
        if (page.rows.length < FEED_PAGE) break;
      }
      await client.query('CLOSE feature_rows');
    }
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}

/** The features of every admitted customer (of those known by then, unless `allCustomers`), in id order. */
export async function readFeatures(
  database: Database,
  spec: ModelSpec,
  categories: readonly string[],
  window: FeatureWindow,
  topics: readonly string[],
): Promise<FeatureRows> {
  return runReads(database, tallyFeatures(database.dialect, spec, categories, window, topics));
}

function* tallyFeatures(
  dialect: Database['dialect'],
  spec: ModelSpec,
  categories: readonly string[],
  window: FeatureWindow,
  topics: readonly string[],
): Reads<FeatureRows> {
  const pg = dialect === 'postgres';
  const fMs = Date.parse(window.featuresAt);
  const time = (p: SqlParams, iso: string): string => (pg ? `CAST(${p.param(iso)} AS timestamptz)` : p.param(iso));
  const flag = (cond: string): string => `CASE WHEN ${cond} THEN 1 ELSE 0 END`;

  // Every customer, whether they may be profiled, and when training whether each was known by then
  // apart from orders: recorded by then, or with a ledger record by then. Every customer, not only
  // the admitted: each order's customer is then found next to the last one's (feature-tally.ts).
  const cp = new SqlParams();
  const knownBy = (cAt: string): string => `c.created_at <= ${cAt} OR EXISTS (SELECT 1 FROM ledger kl WHERE kl.customer_id = c.id AND kl.at <= ${cAt})`;
  const known = window.allCustomers === true ? '' : `, ${flag(knownBy(time(cp, window.featuresAt)))}`;
  const customerIds: string[] = [];
  const admitted: number[] = [];
  const knownFlags: number[] = [];
  yield read(
    `SELECT c.id, ${flag(profilingAllowedSql('c.id', time(cp, window.admittedAt), { dialect }))}${known} FROM customers c ORDER BY c.id`,
    cp,
    (r) => {
      customerIds.push(String(r[0]));
      admitted.push(Number(r[1]));
      if (known !== '') knownFlags.push(Number(r[2]));
    },
  );
  const products: [string, string][] = [];
  yield read('SELECT sku, category FROM products', new SqlParams(), (r) => products.push([String(r[0]), String(r[1])]));
  const tally = new FeatureTally(customerIds, Uint8Array.from(admitted), products, spec, categories, topics);

  // Each order started by then, once, with its time flags (ORDER_BITS). SQLite reads the table
  // itself (NOT INDEXED): every row is wanted, and an index would only add a lookup per row.
  const op = new SqlParams();
  const at = time(op, window.featuresAt);
  const running = `o.ended_at IS NULL OR o.ended_at > ${at}`;
  const short = pg ? `o.ended_at - o.started_at <= interval '${TRIAL_MAX_DAYS} days'` : `julianday(o.ended_at) - julianday(o.started_at) <= ${TRIAL_MAX_DAYS}`;
  const trial = `o.ended_at IS NOT NULL AND o.ended_at <= ${at} AND ${short}`;
  const endedRecently = `o.ended_at > ${time(op, new Date(fMs - RECENT_TRIAL_DAYS * DAY_MS).toISOString())}`;
  const startedRecently = `o.started_at > ${time(op, new Date(fMs - TRIAL_MAX_DAYS * DAY_MS).toISOString())}`;
  const bits = [
    `${flag(running)} * ${ORDER_BITS.running}`,
    `${flag(trial)} * ${ORDER_BITS.trial}`,
    `${flag(endedRecently)} * ${ORDER_BITS.endedRecently}`,
    `${flag(startedRecently)} * ${ORDER_BITS.startedRecently}`,
  ].join(' + ');
  // The start in epoch ms: a number to compare, and no date parsed per row in JS.
  const startedMs = pg ? 'CAST(EXTRACT(EPOCH FROM o.started_at) * 1000 AS float8)' : 'CAST(ROUND((julianday(o.started_at) - 2440587.5) * 86400000) AS INTEGER)';
  yield read(
    `SELECT o.customer_id, o.sku, o.sold_via, ${startedMs}, ${bits}
     FROM orders o${pg ? '' : ' NOT INDEXED'} WHERE o.started_at <= ${at}`,
    op,
    (r) => tally.addOrder(String(r[0]), String(r[1]), String(r[2]), Number(r[3]), Number(r[4])),
  );

  const ep = new SqlParams();
  const eAt = time(ep, window.featuresAt);
  const count = (cond: string): string => `SUM(${flag(cond)})`;
  yield read(
    `SELECT d.customer_id, ${count(`t.kind = 'open'`)}, ${count(`t.kind = 'click'`)}
     FROM tracking_events t JOIN deliveries d ON d.id = t.delivery_id
     WHERE t.machine = ${pg ? 'false' : '0'} AND t.at <= ${eAt} AND t.at > ${time(ep, new Date(fMs - ENGAGEMENT_DAYS * DAY_MS).toISOString())}
     GROUP BY d.customer_id`,
    ep,
    (r) => tally.addEngagement(String(r[0]), Number(r[1]), Number(r[2])),
  );

  if (window.labelsUntil !== undefined) {
    const lp = new SqlParams();
    const lAt = time(lp, window.featuresAt);
    const until = time(lp, window.labelsUntil);
    const focus = spec.category === null ? '1 = 1' : `p.category = ${lp.param(spec.category)}`;
    // Propensity: an order in focus started in the window; churn: one running at the features' time ended in it.
    const happened = spec.kind === 'propensity' ? `o.started_at > ${lAt} AND o.started_at <= ${until}` : `o.started_at <= ${lAt} AND o.ended_at > ${lAt} AND o.ended_at <= ${until}`;
    yield read(`SELECT DISTINCT o.customer_id FROM orders o JOIN products p ON p.sku = o.sku WHERE ${focus} AND ${happened}`, lp, (r) =>
      tally.addLabel(String(r[0])),
    );
  }

  // Stated interests as of the features' time (inferred ones are as of their last inference, later
  // than a training window: they would tell the model what it is to predict).
  if (topics.length > 0) {
    const sp = new SqlParams();
    yield read(latestStatedSql(sp, time(sp, window.featuresAt), 'interested'), sp, (r) => tally.addInterest(String(r[0]), String(r[1])));
  }
  return tally.rows(fMs, { ...(known === '' ? {} : { known: Uint8Array.from(knownFlags) }), withLabels: window.labelsUntil !== undefined });
}
