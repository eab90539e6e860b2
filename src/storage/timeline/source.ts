/**
 * What a timeline source is (src/core/timeline.ts): one kind of entry, read by one SQL statement
 * over Kysely in both dialects. `keysetPage` adds what every source shares (the time window, the
 * cursor, the order and the limit) to the source's own select of the customer's rows, so a source
 * names only its table, its customer condition, its time and id columns and its summary fields.
 * Each source's time column leads an index after the customer (migration 0043), so a page reads
 * `limit + 1` rows from the index, however long the customer's history is.
 */
import { sql, type Generated, type Kysely, type SelectQueryBuilder } from 'kysely';
import { compareText, type TimelineCursor, type TimelineValue } from '../../core/timeline.ts';
import type { CallTables } from '../calls/sql-call-store.ts';
import type { Schema } from '../schema.ts';

/** Stated interests (migration 0034), read by their own store in raw SQL; typed here for the timeline. */
interface StatedInterestsTable {
  seq: Generated<number>;
  customer_id: string;
  topic: string;
  value: string;
  source: string;
  actor: string;
  at: string;
  recorded_at: string;
}

/** Feedback requests and their one answer (migration 0042), read by their own store in raw SQL; typed here for the timeline. */
interface FeedbackRequestsTable {
  id: Generated<number>;
  kind: string;
  ticket_id: number | null;
  survey_id: number | null;
  customer_id: string;
  channel: string;
  agent: string | null;
  queue: string | null;
  state: string;
  basis: string | null;
  reasons: Generated<string>;
  month: string;
  created_at: string;
  sent_at: string | null;
  expires_at: string;
  score: number | null;
  comment: string | null;
  answered_at: string | null;
}

/** Phone sales (migration 0041), read by their own store in raw SQL; the columns the timeline and its fixture use. */
interface PhoneSalesTable {
  id: Generated<number>;
  call_id: number;
  customer_id: string;
  agent: string;
  sku: string;
  product_name: string;
  offer_id: number | null;
  offer_code: string | null;
  kind: string;
  period_months: number;
  price_cents: number;
  currency: string;
  regular_monthly_cents: number | null;
  basis: string;
  request_evidence: string | null;
  delivery: string;
  delivered_to: string;
  created_at: string;
  accept_by: string;
  state: string;
  offer_sent_at: string | null;
  offer_message_id: string | null;
  accepted_at: string | null;
  order_id: string | null;
  lapsed_at: string | null;
}

/** Site events kept per visitor (migration 0040: only with `site_ads` consent), read by their own store; typed here for the timeline. */
interface SiteEventsTable {
  id: Generated<number>;
  at: string;
  site: string;
  visitor_id: string;
  customer_id: string | null;
  type: string;
  name: string;
  page: string;
  slot: string | null;
  props: string | null;
  client_at: string | null;
}

export type TimelineTables = Schema &
  CallTables & { stated_interests: StatedInterestsTable; feedback_requests: FeedbackRequestsTable; phone_sales: PhoneSalesTable; site_events: SiteEventsTable };

/** One source's part of a page request. */
export interface SourceRead {
  customerId: string;
  from: string | null;
  before: string | null;
  cursor: TimelineCursor | null;
  /** Rows to read: the page's limit plus one, to know whether more follow. */
  take: number;
  dialect: 'sqlite' | 'postgres';
}

/** A source's row: its time and id, and the summary fields it selected. */
export type SourceRow = { at: string; id: string } & Record<string, unknown>;

export interface TimelineSource {
  /** The entries' kind: lower-case words joined by `_`, unique in the registry. */
  readonly kind: string;
  /** The customer's rows after the cursor, newest first, at most `q.take`. */
  read(db: Kysely<TimelineTables>, q: SourceRead): Promise<SourceRow[]>;
  /** Turns stored summary fields into what the API answers (JSON text to a list, …); default: as read. */
  summary?(row: Record<string, unknown>): Record<string, TimelineValue>;
}

/**
 * The source's select with the window, the cursor, the order (time, then id as text, both
 * descending) and the limit added, and its time and id selected as `at` and `id`.
 * `at` and `id` are column references (`o.started_at`, `o.id`), the source's constants.
 */
export function keysetPage<DB, TB extends keyof DB, O>(
  qb: SelectQueryBuilder<DB, TB, O>,
  kind: string,
  columns: { at: string; id: string },
  q: SourceRead,
) {
  const at = sql.ref(columns.at);
  // Ids compare as text in the order of their code points (core/timeline.ts compareText): SQLite's
  // default collation already does, PostgreSQL's database collation may not.
  const id = q.dialect === 'postgres' ? sql`CAST(${sql.ref(columns.id)} AS TEXT) COLLATE "C"` : sql`CAST(${sql.ref(columns.id)} AS TEXT)`;
  let page = qb;
  if (q.from !== null) page = page.where(sql<boolean>`${at} >= ${q.from}`);
  if (q.before !== null) page = page.where(sql<boolean>`${at} < ${q.before}`);
  const c = q.cursor;
  if (c !== null) {
    const order = compareText(kind, c.kind);
    // A greater kind at the cursor's time came before it (already read); a lesser one comes after.
    if (order > 0) page = page.where(sql<boolean>`${at} < ${c.at}`);
    else if (order < 0) page = page.where(sql<boolean>`${at} <= ${c.at}`);
    else page = page.where(sql<boolean>`${at} <= ${c.at} AND (${at} < ${c.at} OR ${id} < ${c.id})`);
  }
  return page
    .select([sql<string>`${at}`.as('at'), sql<string>`CAST(${sql.ref(columns.id)} AS TEXT)`.as('id')])
    .orderBy(sql`${at} DESC`)
    .orderBy(sql`${id} DESC`)
    .limit(q.take);
}
