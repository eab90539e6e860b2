/**
 * The predictions' store, both dialects: every customer's features in one set-based statement as of
 * a time (orders started by then, tracking events by then; nothing later is read), restricted to
 * customers who may be profiled (`profilingAllowedSql`, compliance.md §2 rule 7); the models; and the
 * scores, replaced in one transaction with multi-row inserts. Rows come back as arrays (no object
 * per row), so a million customers fit in a few hundred megabytes.
 */
import { TRIAL_MAX_DAYS } from '../../core/trials.ts';
import type { Database } from '../database.ts';
import { latestStatedSql } from '../interests/interest-sql.ts';
import { profilingAllowedSql } from '../profiling-gate.ts';
import { SqlParams, type SqlValue } from '../sql-text.ts';
import { SALES_CHANNELS } from '../../core/vocabulary.ts';
import type {
  FeatureRows,
  ModelSpec,
  NewPredictionModel,
  PredictionModel,
  PredictionStore,
} from '../../core/predictions/model.ts';

const DAY_MS = 86_400_000;
/** The advisory lock a scoring run holds on PostgreSQL, and an objection's trigger waits for (migration 0039). */
const SCORE_LOCK = 'lupa.predictions.score';
/** A trial that ended this recently counts as a recent trial. */
const RECENT_TRIAL_DAYS = 60;
/** Opens and clicks counted over this many days before the features' time. */
const ENGAGEMENT_DAYS = 90;
/**
 * Scores read per statement. Each statement evaluates the profiling gate (the objectors as of now)
 * once, which costs about as much as reading tens of thousands of scores: 100,000 a page (some
 * 10 MB of rows) keeps that to a tenth of the read at a million customers.
 */
const SCORE_PAGE = 100_000;

/** The feature names, in coefficient order, for the given categories and interest topics. */
export function featureNames(categories: readonly string[], topics: readonly string[] = []): string[] {
  return [
    'has_orders',
    'orders_log',
    'recency_log',
    'tenure_log',
    'active',
    'latest_active_age_log',
    'trials',
    'focus_orders',
    'focus_active',
    'focus_trials',
    'focus_recent_trial',
    'focus_running_recent',
    'opens_90d_log',
    'clicks_90d_log',
    ...categories.map((c) => `category:${c}`),
    ...SALES_CHANNELS.map((s) => `sold_via:${s}`),
    ...topics.map((t) => `interest:${t}`),
  ];
}

/** Marker text → the driver's positional form: `?` in order (SQLite) or `$n` (PostgreSQL). */
function positional(text: string, values: readonly SqlValue[], dialect: Database['dialect']): { text: string; values: SqlValue[] } {
  if (!text.includes('\u0000')) return { text, values: [...values] };
  const out: SqlValue[] = [];
  const bound = text.replace(/\u0000(\d+)\u0000/g, (_, i: string) => {
    if (dialect === 'postgres') return `$${Number(i) + 1}`;
    out.push(values[Number(i)] ?? null);
    return '?';
  });
  return { text: bound, values: dialect === 'postgres' ? [...values] : out };
}

const parseJson = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

export class SqlPredictionStore implements PredictionStore {
  constructor(private readonly database: Database) {}

  private async rows(text: string, values: readonly SqlValue[]): Promise<unknown[][]> {
    const q = positional(text, values, this.database.dialect);
    if (this.database.dialect === 'sqlite') return this.database.sqlite.prepare(q.text).raw(true).all(...q.values) as unknown[][];
    const result = await this.database.pool.query({ text: q.text, values: q.values, rowMode: 'array' });
    return result.rows as unknown[][];
  }

  private async objects<T>(text: string, values: readonly SqlValue[] = []): Promise<T[]> {
    const q = positional(text, values, this.database.dialect);
    if (this.database.dialect === 'sqlite') return this.database.sqlite.prepare(q.text).all(...q.values) as T[];
    return (await this.database.pool.query(q.text, q.values)).rows as T[];
  }

  async topics(): Promise<string[]> {
    const rows = await this.objects<{ code: string }>('SELECT code FROM interest_topics ORDER BY position, code');
    return rows.map((r) => r.code);
  }

  async categories(): Promise<string[]> {
    const rows = await this.objects<{ category: string }>('SELECT DISTINCT category FROM products ORDER BY category');
    return rows.map((r) => r.category);
  }

  async features(
    spec: ModelSpec,
    categories: readonly string[],
    window: { featuresAt: string; labelsUntil?: string; admittedAt: string; allCustomers?: boolean },
    topics: readonly string[] = [],
  ): Promise<FeatureRows> {
    const pg = this.database.dialect === 'postgres';
    const p = new SqlParams();
    const time = (iso: string): string => (pg ? `CAST(${p.param(iso)} AS timestamptz)` : p.param(iso));
    const f = window.featuresAt;
    const fMs = Date.parse(f);
    const at = time(f);
    const trialFrom = time(new Date(fMs - TRIAL_MAX_DAYS * DAY_MS).toISOString());
    const recentTrialFrom = time(new Date(fMs - RECENT_TRIAL_DAYS * DAY_MS).toISOString());
    const engagementFrom = time(new Date(fMs - ENGAGEMENT_DAYS * DAY_MS).toISOString());
    const focus = spec.category === null ? '1 = 1' : `p.category = ${p.param(spec.category)}`;
    const running = `(o.ended_at IS NULL OR o.ended_at > ${at})`;
    const short = pg ? `o.ended_at - o.started_at <= interval '${TRIAL_MAX_DAYS} days'` : `julianday(o.ended_at) - julianday(o.started_at) <= ${TRIAL_MAX_DAYS}`;
    const trial = `(o.ended_at IS NOT NULL AND o.ended_at <= ${at} AND ${short})`;
    const count = (cond: string): string => `SUM(CASE WHEN ${cond} THEN 1 ELSE 0 END)`;
    // A condition as 0 or 1 (a NULL comparison counts as 0).
    const flag = (cond: string): string => `CASE WHEN ${cond} THEN 1 ELSE 0 END`;
    const perCategory = categories.map((c) => count(`f.category = ${p.param(c)}`));
    const perChannel = SALES_CHANNELS.map((s) => count(`f.sold_via = ${p.param(s)}`));
    let label = '';
    if (window.labelsUntil !== undefined) {
      const until = time(window.labelsUntil);
      label =
        spec.kind === 'propensity'
          ? `SELECT DISTINCT o.customer_id FROM orders o JOIN products p ON p.sku = o.sku
             WHERE ${focus} AND o.started_at > ${at} AND o.started_at <= ${until}`
          : `SELECT DISTINCT o.customer_id FROM orders o JOIN products p ON p.sku = o.sku
             WHERE ${focus} AND o.started_at <= ${at} AND o.ended_at > ${at} AND o.ended_at <= ${until}`;
    }
    // Stated interests as of the features' time (inferred ones are as of their last inference, later
    // than a training window: they would tell the model what it is to predict).
    const stated =
      topics.length === 0
        ? ''
        : `SELECT si.customer_id, ${topics.map((t, j) => `${count(`si.topic = ${p.param(t)}`)} AS t${j}`).join(', ')}
           FROM (${latestStatedSql(p, at, 'interested')}) si GROUP BY si.customer_id`;
    const admittedAt = time(window.admittedAt);
    // Known at the features' time: recorded by then, or with an order or ledger record by then
    // (an import records old customers later than they became customers).
    const knownBy = `(c.created_at <= ${at} OR oa.customer_id IS NOT NULL
      OR EXISTS (SELECT 1 FROM ledger kl WHERE kl.customer_id = c.id AND kl.at <= ${at}))`;
    const text = `
      WITH oa AS (
        SELECT f.customer_id,
          COUNT(*) AS orders, MAX(f.started_at) AS last_start, MIN(f.started_at) AS first_start,
          SUM(f.run) AS active,
          MAX(CASE WHEN f.run = 1 THEN f.started_at END) AS last_active_start,
          SUM(f.tri) AS trials,
          SUM(f.foc) AS focus_orders,
          SUM(f.foc * f.run) AS focus_active,
          SUM(f.foc * f.tri) AS focus_trials,
          MAX(f.foc * f.tri * f.ended_recently) AS focus_recent_trial,
          SUM(f.foc * f.run * f.started_recently) AS focus_running_recent,
          ${[...perCategory, ...perChannel].join(',\n          ')}
        FROM (
          -- Each order's flags once (0 or 1), then summed per customer.
          SELECT o.customer_id, o.started_at, o.sold_via, p.category,
            ${flag(running)} AS run, ${flag(trial)} AS tri, ${flag(focus)} AS foc,
            ${flag(`o.ended_at > ${recentTrialFrom}`)} AS ended_recently, ${flag(`o.started_at > ${trialFrom}`)} AS started_recently
          FROM orders o${pg ? '' : ' NOT INDEXED'} JOIN products p ON p.sku = o.sku
          WHERE o.started_at <= ${at}
        ) f
        GROUP BY f.customer_id
      ),
      ea AS (
        SELECT d.customer_id, ${count(`t.kind = 'open'`)} AS opens, ${count(`t.kind = 'click'`)} AS clicks
        FROM tracking_events t JOIN deliveries d ON d.id = t.delivery_id
        WHERE t.machine = ${pg ? 'false' : '0'} AND t.at <= ${at} AND t.at > ${engagementFrom}
        GROUP BY d.customer_id
      )${label === '' ? '' : `,\n      ya AS (${label})`}${stated === '' ? '' : `,\n      sa AS (${stated})`}
      SELECT c.id, oa.*, ea.opens, ea.clicks${label === '' ? '' : ', CASE WHEN ya.customer_id IS NULL THEN 0 ELSE 1 END'}${topics.map((_, j) => `, sa.t${j}`).join('')}
      FROM customers c
      LEFT JOIN oa ON oa.customer_id = c.id
      LEFT JOIN ea ON ea.customer_id = c.id
      ${label === '' ? '' : 'LEFT JOIN ya ON ya.customer_id = c.id'}
      ${stated === '' ? '' : 'LEFT JOIN sa ON sa.customer_id = c.id'}
      WHERE ${window.allCustomers === true ? '1 = 1' : knownBy} AND ${profilingAllowedSql('c.id', admittedAt, { dialect: this.database.dialect })}
      ORDER BY c.id`;
    const raw = await this.rows(text, p.values);
    return toFeatureRows(raw, spec, categories, topics, fMs, window.labelsUntil !== undefined);
  }

  async insertModel(m: NewPredictionModel): Promise<number> {
    const p = new SqlParams();
    const json = (v: unknown): string => p.param(JSON.stringify(v));
    const values = [
      p.param(m.kind),
      p.param(m.category),
      p.param(m.horizonDays),
      p.param(m.asOf),
      p.param(m.trainedAt),
      json(m.features),
      json(m.model),
      p.param(m.auc),
      json(m.calibration),
      p.param(m.trainedOn),
      p.param(m.evaluatedOn),
      json(m.windows),
    ];
    const rows = await this.objects<{ id: number }>(
      `INSERT INTO prediction_models (kind, category, horizon_days, as_of, trained_at, features, model, auc, calibration, trained_on, evaluated_on, windows)
       VALUES (${values.join(', ')}) RETURNING id`,
      p.values,
    );
    return Number(rows[0]?.id);
  }

  async model(id: number): Promise<PredictionModel | null> {
    const rows = await this.objects<ModelRow>(`SELECT * FROM prediction_models WHERE id = ${this.database.dialect === 'postgres' ? '$1' : '?'}`, [id]);
    const row = rows[0];
    return row === undefined ? null : toModel(row);
  }

  async models(): Promise<PredictionModel[]> {
    return (await this.objects<ModelRow>('SELECT * FROM prediction_models ORDER BY id DESC')).map(toModel);
  }

  /**
   * The model's scores replaced in one transaction. The features were read before it began, so an
   * objection recorded since would otherwise keep a score it already deleted: the objectors as of
   * `computedAt` are taken out again before the commit (rule 7), and on PostgreSQL an objection
   * recorded during the transaction waits for it (migration 0039).
   */
  async replaceScores(modelId: number, customerIds: readonly string[], scores: ArrayLike<number>, computedAt: string): Promise<void> {
    const state = JSON.stringify(await this.state());
    if (this.database.dialect === 'sqlite') {
      const sqlite = this.database.sqlite;
      const chunk = 500;
      const insert = (n: number): string =>
        `INSERT INTO prediction_scores (model_id, customer_id, score, computed_at) VALUES ${Array.from({ length: n }, () => '(?, ?, ?, ?)').join(', ')}`;
      const full = sqlite.prepare(insert(chunk));
      sqlite.transaction(() => {
        sqlite.prepare('DELETE FROM prediction_scores WHERE model_id = ?').run(modelId);
        for (let from = 0; from < customerIds.length; from += chunk) {
          const n = Math.min(chunk, customerIds.length - from);
          const values: SqlValue[] = [];
          for (let i = from; i < from + n; i++) values.push(modelId, customerIds[i] ?? '', scores[i] ?? 0, computedAt);
          (n === chunk ? full : sqlite.prepare(insert(n))).run(...values);
        }
        sqlite.prepare(`DELETE FROM prediction_scores WHERE model_id = @model AND NOT (${profilingAllowedSql('customer_id', '@at', { dialect: 'sqlite' })})`).run({ model: modelId, at: computedAt });
        sqlite.prepare('UPDATE prediction_models SET scored_at = ?, scored_state = ? WHERE id = ?').run(computedAt, state, modelId);
      })();
      return;
    }
    const client = await this.database.pool.connect();
    try {
      await client.query('BEGIN');
      // Held to the commit: an objection recorded meanwhile waits, then deletes what this run wrote (migration 0039).
      await client.query(`SELECT pg_advisory_xact_lock(hashtext('${SCORE_LOCK}' || current_schema()))`);
      await client.query('DELETE FROM prediction_scores WHERE model_id = $1', [modelId]);
      const chunk = 50_000;
      for (let from = 0; from < customerIds.length; from += chunk) {
        const ids = customerIds.slice(from, from + chunk);
        const values = Array.from(ids, (_, k) => scores[from + k] ?? 0);
        await client.query(
          `INSERT INTO prediction_scores (model_id, customer_id, score, computed_at)
           SELECT $1, u.customer_id, u.score, $4 FROM unnest($2::text[], $3::float8[]) AS u (customer_id, score)`,
          [modelId, ids, values, computedAt],
        );
      }
      await client.query(`DELETE FROM prediction_scores WHERE model_id = $1 AND NOT (${profilingAllowedSql('customer_id', 'CAST($2 AS timestamptz)')})`, [modelId, computedAt]);
      await client.query('UPDATE prediction_models SET scored_at = $1, scored_state = $2 WHERE id = $3', [computedAt, state, modelId]);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    } finally {
      client.release();
    }
  }

  /** What scores depend on besides the model: the ledger's last row and the number of customers. */
  private async state(): Promise<{ ledgerSeq: number; customers: number }> {
    const rows = await this.objects<{ seq: number | null; customers: number }>(
      'SELECT (SELECT MAX(seq) FROM ledger) AS seq, (SELECT COUNT(*) FROM customers) AS customers',
    );
    return { ledgerSeq: Number(rows[0]?.seq ?? 0), customers: Number(rows[0]?.customers ?? 0) };
  }

  async scoresStale(modelId: number): Promise<boolean> {
    const rows = await this.objects<{ scored_state: unknown }>(
      `SELECT scored_state FROM prediction_models WHERE id = ${this.database.dialect === 'postgres' ? '$1' : '?'}`,
      [modelId],
    );
    const stored = rows[0]?.scored_state;
    if (stored === null || stored === undefined) return true;
    const was = parseJson<{ ledgerSeq: number; customers: number }>(stored);
    const now = await this.state();
    return was.ledgerSeq !== now.ledgerSeq || was.customers !== now.customers;
  }

  async *scores(modelId: number, at: string): AsyncIterable<{ customerId: string; score: number }> {
    let after = '';
    for (;;) {
      const p = new SqlParams();
      const atSql = this.database.dialect === 'postgres' ? `CAST(${p.param(at)} AS timestamptz)` : p.param(at);
      const rows = await this.rows(
        `SELECT s.customer_id, s.score FROM prediction_scores s
         WHERE s.model_id = ${p.param(modelId)} AND s.customer_id > ${p.param(after)} AND ${profilingAllowedSql('s.customer_id', atSql, { dialect: this.database.dialect })}
         ORDER BY s.customer_id LIMIT ${SCORE_PAGE}`,
        p.values,
      );
      for (const [customerId, score] of rows) yield { customerId: String(customerId), score: Number(score) };
      if (rows.length < SCORE_PAGE) return;
      after = String(rows[rows.length - 1]?.[0]);
    }
  }
}

interface ModelRow {
  id: number;
  kind: PredictionModel['kind'];
  category: string | null;
  horizon_days: number;
  as_of: string;
  trained_at: string;
  features: unknown;
  model: unknown;
  auc: number | null;
  calibration: unknown;
  trained_on: number;
  evaluated_on: number;
  windows: unknown;
  scored_at: string | null;
}

function toModel(r: ModelRow): PredictionModel {
  return {
    id: Number(r.id),
    kind: r.kind,
    category: r.category,
    horizonDays: Number(r.horizon_days),
    asOf: r.as_of,
    trainedAt: r.trained_at,
    features: parseJson(r.features),
    model: parseJson(r.model),
    auc: r.auc === null ? null : Number(r.auc),
    calibration: parseJson(r.calibration),
    trainedOn: Number(r.trained_on),
    evaluatedOn: Number(r.evaluated_on),
    windows: parseJson(r.windows),
    scoredAt: r.scored_at,
  };
}

const logDays = (fromIso: unknown, toMs: number): number =>
  fromIso === null || fromIso === undefined ? 0 : Math.log1p(Math.max(0, (toMs - Date.parse(String(fromIso))) / DAY_MS));

/** The statement's rows → feature vectors (counts as they are, times as log days). */
function toFeatureRows(raw: unknown[][], spec: ModelSpec, categories: readonly string[], topics: readonly string[], fMs: number, withLabels: boolean): FeatureRows {
  const names = featureNames(categories, topics);
  const d = names.length;
  const n = raw.length;
  const values = new Float64Array(n * d);
  const customerIds = new Array<string>(n);
  const labels = withLabels ? new Uint8Array(n) : undefined;
  const eligible = spec.kind === 'churn' ? new Uint8Array(n) : undefined;
  const extra = categories.length + SALES_CHANNELS.length;
  // Columns: c.id, then oa.*: customer_id, orders, last_start, first_start, active, last_active_start,
  // trials, focus_orders, focus_active, focus_trials, focus_recent_trial, focus_running_recent, one
  // per category, one per sales channel; then opens, clicks, the label and one per interest topic.
  const perKind = 13;
  for (let i = 0; i < n; i++) {
    const r = raw[i] ?? [];
    customerIds[i] = String(r[0]);
    const num = (k: number): number => Number(r[k] ?? 0);
    const orders = num(2);
    const base = i * d;
    values[base] = orders > 0 ? 1 : 0;
    values[base + 1] = Math.log1p(orders);
    values[base + 2] = logDays(r[3], fMs);
    values[base + 3] = logDays(r[4], fMs);
    values[base + 4] = num(5);
    values[base + 5] = logDays(r[6], fMs);
    for (let k = 7; k <= 12; k++) values[base + k - 1] = num(k);
    values[base + 12] = Math.log1p(num(perKind + extra));
    values[base + 13] = Math.log1p(num(perKind + extra + 1));
    for (let k = 0; k < extra; k++) values[base + 14 + k] = num(perKind + k);
    if (labels !== undefined) labels[i] = num(perKind + extra + 2) === 1 ? 1 : 0;
    const topicsFrom = perKind + extra + (withLabels ? 3 : 2);
    for (let j = 0; j < topics.length; j++) values[base + 14 + extra + j] = num(topicsFrom + j) > 0 ? 1 : 0;
    // Churn: only a subscription running (in the category, if one is named) can end.
    if (eligible !== undefined) eligible[i] = (spec.category === null ? num(5) : num(9)) > 0 ? 1 : 0;
  }
  return { names, customerIds, values, ...(labels === undefined ? {} : { labels }), ...(eligible === undefined ? {} : { eligible }) };
}
