/**
 * The answer page's use case (docs/customer-service.md#feedback): reading a signed answer link and
 * recording its one answer. A link whose signature fails, whose request is unknown or was never
 * sent is FEEDBACK_LINK_INVALID; one past its time FEEDBACK_LINK_EXPIRED; a second answer
 * FEEDBACK_ALREADY_ANSWERED (the first stands).
 */
import { DomainError } from '../../core/errors.ts';
import { MAX_COMMENT_CHARS, SCALES, type FeedbackRequest } from '../../core/feedback/feedback.ts';
import type { Customer, CustomerId } from '../../core/records.ts';
import type { FeedbackDeps } from './feedback-deps.ts';

export interface OpenedLink {
  request: FeedbackRequest;
  customer: Customer | null;
  expired: boolean;
}

/** The request a token names, with its customer (for the page's language). Throws FEEDBACK_LINK_INVALID. */
export async function openFeedbackLink(deps: Pick<FeedbackDeps, 'signer' | 'feedback' | 'customers' | 'now'>, token: string): Promise<OpenedLink> {
  const fields = deps.signer.verify('feedback', token);
  const id = fields?.length === 1 && /^[1-9][0-9]{0,15}$/.test(fields[0] ?? '') ? Number(fields[0]) : null;
  const request = id === null ? null : await deps.feedback.get(id);
  if (request === null || request.sentAt === null) throw new DomainError('FEEDBACK_LINK_INVALID', 'this feedback link is not valid', { field: 'token' });
  const customer = await deps.customers.getCustomer(request.customerId as CustomerId);
  return { request, customer, expired: Date.parse(deps.now()) >= Date.parse(request.expiresAt) };
}

/**
 * Records the answer of the link's request: `score` on the kind's scale (CSAT 1–5, NPS 0–10), an
 * optional comment (trimmed, at most MAX_COMMENT_CHARS; empty: none). Throws FEEDBACK_LINK_INVALID,
 * FEEDBACK_LINK_EXPIRED, FEEDBACK_ALREADY_ANSWERED, VALIDATION_FAILED (score off the scale).
 */
export async function answerFeedback(deps: Pick<FeedbackDeps, 'signer' | 'feedback' | 'customers' | 'now'>, token: string, score: number, comment: string | null): Promise<OpenedLink> {
  const opened = await openFeedbackLink(deps, token);
  const { request } = opened;
  if (request.answeredAt !== null) throw alreadyAnswered();
  if (opened.expired) throw new DomainError('FEEDBACK_LINK_EXPIRED', 'this feedback question has closed', { field: 'token' });
  const scale = SCALES[request.kind];
  if (!Number.isInteger(score) || score < scale.min || score > scale.max) {
    throw new DomainError('VALIDATION_FAILED', `the score must be a whole number ${scale.min}–${scale.max}`, { field: 'score' });
  }
  const text = comment?.trim().slice(0, MAX_COMMENT_CHARS) ?? '';
  if (!(await deps.feedback.answer(request.id, score, text === '' ? null : text, deps.now()))) throw alreadyAnswered();
  return { ...opened, request: (await deps.feedback.get(request.id)) ?? request };
}

function alreadyAnswered(): DomainError {
  return new DomainError('FEEDBACK_ALREADY_ANSWERED', 'this question has been answered already; the first answer stands', { field: 'token' });
}
