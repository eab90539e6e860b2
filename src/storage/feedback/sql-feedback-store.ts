/**
 * Feedback requests and their answers, and NPS surveys, on SQLite and PostgreSQL (migration 0042).
 * The sample is drawn in one INSERT … SELECT ordered by md5(seed:id) (PostgreSQL's md5, registered
 * on SQLite's connection in database.ts), so a seed draws the same customers on either store; the
 * results are one GROUP BY. An answer is written once: the UPDATE only matches an unanswered request.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type {
  FeedbackChannel,
  FeedbackKind,
  FeedbackRequest,
  FeedbackStore,
  NpsSurvey,
  RequestState,
  ResultsQuery,
  SampleVerdict,
  ScoreCount,
} from '../../core/feedback/feedback.ts';
import type { Instant } from '../../core/records.ts';
import type { Basis } from '../../core/vocabulary.ts';
import type { Dialect } from '../database.ts';
import type { Schema } from '../schema.ts';

interface RequestRow {
  id: number;
  kind: FeedbackKind;
  ticket_id: number | null;
  survey_id: number | null;
  customer_id: string;
  channel: FeedbackChannel;
  agent: string | null;
  queue: string | null;
  state: RequestState;
  basis: Basis | null;
  reasons: string;
  month: string;
  created_at: string;
  sent_at: string | null;
  expires_at: string;
  score: number | null;
  comment: string | null;
  answered_at: string | null;
}

interface SurveyRow {
  id: number;
  seed: string;
  drawn: number;
  channel: FeedbackChannel;
  created_at: string;
  created_by: string;
}

export class SqlFeedbackStore implements FeedbackStore {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly dialect: Dialect,
  ) {}

  /** A time bound as a parameter: typed on PostgreSQL (a text parameter would not compare with timestamptz in every position). */
  private time(value: Instant): RawBuilder<unknown> {
    return this.dialect === 'postgres' ? sql`CAST(${value} AS TIMESTAMPTZ)` : sql`${value}`;
  }

  private int(value: number): RawBuilder<unknown> {
    return this.dialect === 'postgres' ? sql`CAST(${value} AS BIGINT)` : sql`${value}`;
  }

  async claimCsat(r: Parameters<FeedbackStore['claimCsat']>[0]): Promise<FeedbackRequest | null> {
    const { rows } = await sql<RequestRow>`
      INSERT INTO feedback_requests (kind, ticket_id, customer_id, channel, agent, queue, state, basis, reasons, month, created_at, expires_at)
      VALUES ('csat', ${r.ticketId}, ${r.customerId}, ${r.channel}, ${r.agent}, ${r.queue}, ${r.state}, ${r.basis}, ${r.reasons.join(',')}, ${r.month}, ${this.time(r.createdAt)}, ${this.time(r.expiresAt)})
      ON CONFLICT (ticket_id) DO NOTHING
      RETURNING *`.execute(this.db);
    return rows[0] === undefined ? null : fromRow(rows[0]);
  }

  async drawNpsSample(survey: Omit<NpsSurvey, 'id' | 'drawn'>, size: number, expiresAt: Instant, month: string): Promise<NpsSurvey> {
    return this.db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ id: number }>`
        INSERT INTO nps_surveys (seed, drawn, channel, created_at, created_by)
        VALUES (${survey.seed}, 0, ${survey.channel}, ${this.time(survey.createdAt)}, ${survey.createdBy}) RETURNING id`.execute(trx);
      const id = Number(rows[0]?.id);
      const inserted = await sql`
        INSERT INTO feedback_requests (kind, survey_id, customer_id, channel, state, reasons, month, created_at, expires_at)
        SELECT 'nps', ${this.int(id)}, c.id, CAST(${survey.channel} AS TEXT), 'pending', '', CAST(${month} AS TEXT), ${this.time(survey.createdAt)}, ${this.time(expiresAt)}
        FROM customers c
        ORDER BY md5(CAST(${survey.seed} AS TEXT) || ':' || c.id), c.id
        LIMIT ${this.int(size)}`.execute(trx);
      const drawn = Number(inserted.numAffectedRows ?? 0n);
      await sql`UPDATE nps_surveys SET drawn = ${drawn} WHERE id = ${id}`.execute(trx);
      return { ...survey, id, drawn };
    });
  }

  async customerCount(): Promise<number> {
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM customers`.execute(this.db);
    return Number(rows[0]?.n ?? 0);
  }

  async undecided(surveyId: number, afterId: number, limit: number): Promise<{ id: number; customerId: string }[]> {
    const { rows } = await sql<{ id: number; customer_id: string }>`
      SELECT id, customer_id FROM feedback_requests
      WHERE survey_id = ${surveyId} AND state = 'pending' AND basis IS NULL AND id > ${afterId}
      ORDER BY id LIMIT ${limit}`.execute(this.db);
    return rows.map((r) => ({ id: Number(r.id), customerId: r.customer_id }));
  }

  async recordDecisions(surveyId: number, verdicts: readonly SampleVerdict[]): Promise<void> {
    // Few distinct decisions in a batch: one UPDATE per distinct (state, basis, reasons).
    const byDecision = new Map<string, { v: SampleVerdict; ids: string[] }>();
    for (const v of verdicts) {
      const key = `${v.state}|${v.basis ?? ''}|${v.reasons.join(',')}`;
      const group = byDecision.get(key) ?? { v, ids: [] };
      group.ids.push(v.customerId);
      byDecision.set(key, group);
    }
    await this.db.transaction().execute(async (trx) => {
      for (const { v, ids } of byDecision.values()) {
        await sql`UPDATE feedback_requests SET state = ${v.state}, basis = ${v.basis}, reasons = ${v.reasons.join(',')}
          WHERE survey_id = ${surveyId} AND customer_id IN (${sql.join(ids)})`.execute(trx);
      }
    });
  }

  async pendingOf(surveyId: number, afterId: number, limit: number): Promise<FeedbackRequest[]> {
    const { rows } = await sql<RequestRow>`
      SELECT * FROM feedback_requests WHERE survey_id = ${surveyId} AND state = 'pending' AND basis IS NOT NULL AND id > ${afterId}
      ORDER BY id LIMIT ${limit}`.execute(this.db);
    return rows.map(fromRow);
  }

  async markSent(id: number, at: Instant): Promise<void> {
    await sql`UPDATE feedback_requests SET state = 'sent', sent_at = ${this.time(at)} WHERE id = ${id}`.execute(this.db);
  }

  async markFailed(id: number): Promise<void> {
    await sql`UPDATE feedback_requests SET state = 'failed' WHERE id = ${id}`.execute(this.db);
  }

  async get(id: number): Promise<FeedbackRequest | null> {
    const { rows } = await sql<RequestRow>`SELECT * FROM feedback_requests WHERE id = ${id}`.execute(this.db);
    return rows[0] === undefined ? null : fromRow(rows[0]);
  }

  async ofTicket(ticketId: number): Promise<FeedbackRequest | null> {
    const { rows } = await sql<RequestRow>`SELECT * FROM feedback_requests WHERE ticket_id = ${ticketId}`.execute(this.db);
    return rows[0] === undefined ? null : fromRow(rows[0]);
  }

  async survey(id: number): Promise<NpsSurvey | null> {
    const { rows } = await sql<SurveyRow>`SELECT * FROM nps_surveys WHERE id = ${id}`.execute(this.db);
    const r = rows[0];
    return r === undefined ? null : { id: Number(r.id), seed: r.seed, drawn: Number(r.drawn), channel: r.channel, createdAt: r.created_at as Instant, createdBy: r.created_by };
  }

  async answer(id: number, score: number, comment: string | null, at: Instant): Promise<boolean> {
    const result = await sql`UPDATE feedback_requests SET score = ${score}, comment = ${comment}, answered_at = ${this.time(at)}
      WHERE id = ${id} AND answered_at IS NULL AND state = 'sent'`.execute(this.db);
    return Number(result.numAffectedRows ?? 0n) === 1;
  }

  async scoreCounts(q: ResultsQuery): Promise<ScoreCount[]> {
    const { rows } = await sql<{ kind: FeedbackKind; month: string; agent: string | null; queue: string | null; score: number | null; n: number }>`
      SELECT kind, month, agent, queue, score, count(*) AS n FROM feedback_requests
      WHERE state = 'sent' ${conditions(q)}
      GROUP BY kind, month, agent, queue, score`.execute(this.db);
    return rows.map((r) => ({ kind: r.kind, month: r.month, agent: r.agent, queue: r.queue, score: r.score === null ? null : Number(r.score), count: Number(r.n) }));
  }

  async comments(q: ResultsQuery & { limit: number }): Promise<FeedbackRequest[]> {
    const { rows } = await sql<RequestRow>`
      SELECT * FROM feedback_requests WHERE answered_at IS NOT NULL AND comment IS NOT NULL ${conditions(q)}
      ORDER BY answered_at DESC, id DESC LIMIT ${q.limit}`.execute(this.db);
    return rows.map(fromRow);
  }
}

function conditions(q: ResultsQuery): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [];
  if (q.kind !== undefined) parts.push(sql`AND kind = ${q.kind}`);
  if (q.fromMonth !== undefined) parts.push(sql`AND month >= ${q.fromMonth}`);
  if (q.toMonth !== undefined) parts.push(sql`AND month <= ${q.toMonth}`);
  if (q.agent !== undefined) parts.push(sql`AND agent = ${q.agent}`);
  if (q.queue !== undefined) parts.push(sql`AND queue = ${q.queue}`);
  return parts.length === 0 ? sql`` : sql.join(parts, sql` `);
}

function fromRow(r: RequestRow): FeedbackRequest {
  return {
    id: Number(r.id),
    kind: r.kind,
    ticketId: r.ticket_id === null ? null : Number(r.ticket_id),
    surveyId: r.survey_id === null ? null : Number(r.survey_id),
    customerId: r.customer_id,
    channel: r.channel,
    agent: r.agent,
    queue: r.queue,
    state: r.state,
    basis: r.basis,
    reasons: r.reasons === '' ? [] : r.reasons.split(','),
    month: r.month,
    createdAt: r.created_at as Instant,
    sentAt: r.sent_at as Instant | null,
    expiresAt: r.expires_at as Instant,
    score: r.score === null ? null : Number(r.score),
    comment: r.comment,
    answeredAt: r.answered_at as Instant | null,
  };
}
