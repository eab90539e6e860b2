/**
 * The predictions' store, both dialects: every customer's features as of a time (feature-reads.ts:
 * orders started by then, tracking events by then; nothing later is read), restricted to customers
 * who may be profiled (`profilingAllowedSql`, compliance.md §2 rule 7); the models; and the scores,
 * replaced in one transaction with multi-row inserts. Rows come back as arrays (no object per row).
 */
import type { Database } from '../database.ts';
import { objectorsSql, profilingAllowedSql } from '../profiling-gate.ts';
import { SqlParams, type SqlValue } from '../sql-text.ts';
import { positional, readFeatures, type FeatureWindow } from './feature-reads.ts';
import type {
  FeatureRows,
  ModelSpec,
  NewPredictionModel,
  PredictionModel,
  PredictionStore,
} from '../../core/predictions/model.ts';

/** The advisory lock a scoring run holds on PostgreSQL, and an objection's trigger waits for (migration 0039). */
const SCORE_LOCK = 'lupa.predictions.score';
/**
 * Scores read per statement. Each statement evaluates the profiling gate (the objectors as of now)
 * once, which costs about as much as reading tens of thousands of scores: 100,000 a page (some
 * 10 MB of rows) keeps that to a tenth of the read at a million customers.
 */
const SCORE_PAGE = 100_000;

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

  async features(spec: ModelSpec, categories: readonly string[], window: FeatureWindow, topics: readonly string[] = []): Promise<FeatureRows> {
    return readFeatures(this.database, spec, categories, window, topics);
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
        sqlite.prepare(`DELETE FROM prediction_scores WHERE model_id = @model AND customer_id IN (${objectorsSql('@at', { dialect: 'sqlite' })})`).run({ model: modelId, at: computedAt });
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
      await client.query(`DELETE FROM prediction_scores WHERE model_id = $1 AND customer_id IN (${objectorsSql('CAST($2 AS timestamptz)')})`, [modelId, computedAt]);
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
