/**
 * Customer feedback [S25] in the core's words (docs/customer-service.md#feedback): a CSAT question
 * after a solved ticket (1–5) and NPS surveys (0–10) sent to a sample of customers. Both ask the
 * customer's opinion and carry no marketing, so both are `research` (compliance.md §2 rule 11):
 * sent only where decide(research, channel) allows, on legitimate interest for an existing customer.
 */
import type { Instant } from '../records.ts';
import type { Basis } from '../vocabulary.ts';

export const FEEDBACK_KINDS = ['csat', 'nps'] as const;
export type FeedbackKind = (typeof FEEDBACK_KINDS)[number];

/** The channels a feedback question goes out on. */
export const FEEDBACK_CHANNELS = ['email', 'sms'] as const;
export type FeedbackChannel = (typeof FEEDBACK_CHANNELS)[number];

/** `pending`: decided and claimed, not handed off yet; `skipped`: the decision did not allow it; `failed`: the hand-off failed. */
export const REQUEST_STATES = ['pending', 'sent', 'skipped', 'failed'] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

/** The answer scale of each kind: CSAT 1–5 (very dissatisfied … very satisfied), NPS 0–10 (how likely to recommend). */
export const SCALES: Record<FeedbackKind, { min: number; max: number }> = { csat: { min: 1, max: 5 }, nps: { min: 0, max: 10 } };

/** Longest comment kept, in characters. */
export const MAX_COMMENT_CHARS = 2000;

export interface FeedbackRequest {
  id: number;
  kind: FeedbackKind;
  ticketId: number | null;
  surveyId: number | null;
  customerId: string;
  channel: FeedbackChannel;
  agent: string | null;
  queue: string | null;
  state: RequestState;
  basis: Basis | null;
  reasons: string[];
  /** YYYY-MM (UTC) of `createdAt`: the reporting period. */
  month: string;
  createdAt: Instant;
  sentAt: Instant | null;
  expiresAt: Instant;
  score: number | null;
  comment: string | null;
  answeredAt: Instant | null;
}

export interface NpsSurvey {
  id: number;
  seed: string;
  drawn: number;
  channel: FeedbackChannel;
  createdAt: Instant;
  createdBy: string;
}

/** A sampled customer's decision, written back in bulk. */
export interface SampleVerdict {
  customerId: string;
  state: 'pending' | 'skipped';
  basis: Basis | null;
  reasons: readonly string[];
}

/** One cell of the results: how many requests sent in `month` to `agent`/`queue` got `score` (null: no answer yet). */
export interface ScoreCount {
  kind: FeedbackKind;
  month: string;
  agent: string | null;
  queue: string | null;
  score: number | null;
  count: number;
}

export interface ResultsQuery {
  kind?: FeedbackKind;
  /** First and last month (YYYY-MM), both included. */
  fromMonth?: string;
  toMonth?: string;
  agent?: string;
  queue?: string;
}

export interface FeedbackStore {
  /**
   * Claims the one CSAT request of a ticket: stored as `pending` (or `skipped` with the reasons),
   * or null when the ticket has one already (of two solves at once, one claims it).
   */
  claimCsat(request: Omit<FeedbackRequest, 'id' | 'kind' | 'surveyId' | 'sentAt' | 'score' | 'comment' | 'answeredAt'> & { ticketId: number }): Promise<FeedbackRequest | null>;
  /**
   * Creates a survey and draws its sample in one set-based statement: the `size` customers first
   * in the order of md5(seed || ':' || id) (the same seed draws the same customers on either store),
   * each stored as a `pending` request. Returns the survey.
   */
  drawNpsSample(survey: Omit<NpsSurvey, 'id' | 'drawn'>, size: number, expiresAt: Instant, month: string): Promise<NpsSurvey>;
  /** How many customers there are (for a sample given as a fraction). */
  customerCount(): Promise<number>;
  /** The customer ids of a survey's requests still `pending` with no decision recorded, in id order, from `afterId`. */
  undecided(surveyId: number, afterId: number, limit: number): Promise<{ id: number; customerId: string }[]>;
  /** Writes the decisions of sampled customers (set-based per batch). */
  recordDecisions(surveyId: number, verdicts: readonly SampleVerdict[]): Promise<void>;
  /** The survey's requests that are allowed and not handed off yet, in id order, from `afterId`. */
  pendingOf(surveyId: number, afterId: number, limit: number): Promise<FeedbackRequest[]>;
  markSent(id: number, at: Instant): Promise<void>;
  markFailed(id: number): Promise<void>;
  get(id: number): Promise<FeedbackRequest | null>;
  ofTicket(ticketId: number): Promise<FeedbackRequest | null>;
  survey(id: number): Promise<NpsSurvey | null>;
  /** Records the one answer: true when stored, false when the request had one already. */
  answer(id: number, score: number, comment: string | null, at: Instant): Promise<boolean>;
  /** The sent requests counted by kind, month, agent, queue and score: one GROUP BY statement. */
  scoreCounts(query: ResultsQuery): Promise<ScoreCount[]>;
  /** Answered requests with a comment, newest first. */
  comments(query: ResultsQuery & { limit: number }): Promise<FeedbackRequest[]>;
}

/** YYYY-MM of an instant (UTC). */
export function monthOf(at: Instant): string {
  return at.slice(0, 7);
}
