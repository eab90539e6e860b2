/**
 * NPS surveys (docs/customer-service.md#feedback): a seeded sample of customers is drawn in one
 * statement, the sample's decisions for (research, channel) are taken set-based with the audience
 * store and `evaluate` (the same rules as decide, compliance.md §2 rule 11), and the question goes
 * to those allowed. Everyone drawn keeps a row: sent, or skipped with the reasons, so the response
 * rate is counted over what was sent and a DPO can see who was left out and why.
 */
import { DomainError } from '../../core/errors.ts';
import { monthOf, type FeedbackChannel, type NpsSurvey, type SampleVerdict } from '../../core/feedback/feedback.ts';
import type { AudienceStore, CatalogueStore } from '../../core/ports.ts';
import type { CustomerId } from '../../core/records.ts';
import { resolveAudienceQuery } from '../audience.ts';
import { evaluate } from '../../core/evaluate.ts';
import { expiresAfter, sendQuestion, type FeedbackDeps } from './feedback-deps.ts';

export interface NpsDeps extends FeedbackDeps {
  audience: AudienceStore;
  catalogue: CatalogueStore;
}

export interface NpsInput {
  /** How many customers to draw, or … */
  size?: number;
  /** … which share of all customers (0 < fraction ≤ 1), rounded up. */
  fraction?: number;
  /** The sample's seed: the same seed over the same customers draws the same sample. Default: random. */
  seed?: string;
  channel: FeedbackChannel;
  by: string;
}

export interface NpsOutcome {
  survey: NpsSurvey;
  sent: number;
  skipped: number;
  failed: number;
  /** Customers skipped by each reason code. */
  reasons: Record<string, number>;
}

/** Largest sample of one survey. */
export const MAX_SAMPLE = 100_000;
/** Customers decided per audience query (their ids are bound as parameters). */
const BATCH = 500;

/**
 * Draws the sample, decides it and sends the questions on `channel` (e-mail, or SMS through the
 * configured gateway). Throws VALIDATION_FAILED for a missing or out-of-range size or fraction, and
 * CONFIG_INVALID for SMS without a gateway (before anything is drawn).
 */
export async function sendNpsSurvey(deps: NpsDeps, input: NpsInput): Promise<NpsOutcome> {
  if (input.channel === 'sms' && deps.sms === undefined) {
    throw new DomainError('CONFIG_INVALID', 'no SMS gateway is configured (LUPA_SMS_ACCOUNT_SID, LUPA_SMS_AUTH_TOKEN, LUPA_SMS_FROM)', { field: 'LUPA_SMS_ACCOUNT_SID' });
  }
  const size = await sampleSize(deps, input);
  const at = deps.now();
  const seed = input.seed ?? Math.random().toString(36).slice(2, 10);
  const survey = await deps.feedback.drawNpsSample({ seed, channel: input.channel, createdAt: at, createdBy: input.by }, size, expiresAfter(at, deps.linkDays), monthOf(at));
  const outcome: NpsOutcome = { survey, sent: 0, skipped: 0, failed: 0, reasons: {} };
  // The decisions, a batch of the sample at a time: one audience query per batch, evaluate per distinct facts.
  for (let after = 0; ; ) {
    const batch = await deps.feedback.undecided(survey.id, after, BATCH);
    if (batch.length === 0) break;
    after = batch[batch.length - 1]?.id ?? after;
    const query = await resolveAudienceQuery(deps, { purpose: 'research', channel: input.channel, sku: null, at, filter: { customerIds: batch.map((r) => r.customerId as CustomerId) } });
    const verdicts: SampleVerdict[] = [];
    for await (const row of deps.audience.streamFacts(query, batch.length + 1)) {
      const v = evaluate({ purpose: 'research', channel: input.channel, hasProduct: false }, row.facts);
      verdicts.push({ customerId: row.customerId, state: v.allowed ? 'pending' : 'skipped', basis: v.basis, reasons: v.reasons });
      if (!v.allowed) {
        outcome.skipped++;
        for (const r of v.reasons) outcome.reasons[r] = (outcome.reasons[r] ?? 0) + 1;
      }
    }
    await deps.feedback.recordDecisions(survey.id, verdicts);
  }
  for (let after = 0; ; ) {
    const pending = await deps.feedback.pendingOf(survey.id, after, BATCH);
    if (pending.length === 0) break;
    after = pending[pending.length - 1]?.id ?? after;
    const customers = new Map((await deps.customers.getCustomers(pending.map((r) => r.customerId as CustomerId))).map((c) => [c.id as string, c]));
    for (const request of pending) {
      const customer = customers.get(request.customerId);
      if (customer !== undefined && (await sendQuestion(deps, request, customer))) outcome.sent++;
      else outcome.failed++;
    }
  }
  return outcome;
}

async function sampleSize(deps: NpsDeps, input: NpsInput): Promise<number> {
  if ((input.size === undefined) === (input.fraction === undefined)) {
    throw new DomainError('VALIDATION_FAILED', 'give the sample as a size or as a fraction, one of them', { field: 'size' });
  }
  if (input.size !== undefined) {
    if (!Number.isInteger(input.size) || input.size < 1 || input.size > MAX_SAMPLE) throw new DomainError('VALIDATION_FAILED', `the sample size must be 1–${MAX_SAMPLE}`, { field: 'size' });
    return input.size;
  }
  const fraction = input.fraction ?? 0;
  if (!(fraction > 0 && fraction <= 1)) throw new DomainError('VALIDATION_FAILED', 'the fraction must be over 0 and at most 1', { field: 'fraction' });
  return Math.min(MAX_SAMPLE, Math.ceil(fraction * (await deps.feedback.customerCount())));
}
