/**
 * What sending and answering feedback questions needs (docs/customer-service.md#feedback), and the
 * signed answer link: `/f/<token>`, an HMAC-signed request id with its issue time (src/security/
 * signed-tokens.ts); the request's own `expiresAt` (LUPA_FEEDBACK_LINK_DAYS after it was made) ends it.
 */
import { randomUUID } from 'node:crypto';
import type { MessageSender } from '../../core/email-message.ts';
import type { FeedbackRequest, FeedbackStore } from '../../core/feedback/feedback.ts';
import type { CustomerStore, DecisionRecordsStore } from '../../core/ports.ts';
import type { Customer, Instant } from '../../core/records.ts';
import type { DecisionSettings } from '../../core/settings.ts';
import { tokenIssueTime } from '../../core/preference-links.ts';
import { toInstant } from '../../core/time.ts';
import type { TokenSigner } from '../../security/signed-tokens.ts';
import { feedbackQuestion, feedbackSms, FEEDBACK_TEMPLATES } from '../../templates/feedback-question.ts';

export interface FeedbackDeps {
  feedback: FeedbackStore;
  customers: CustomerStore;
  decisionRecords: DecisionRecordsStore;
  settings: DecisionSettings;
  signer: TokenSigner;
  /** The e-mail sender questions go out through, made when first needed. */
  sender: () => MessageSender;
  /** The default brand's sender; replies go to the support address. */
  from: { name: string; address: string };
  replyTo: string;
  publicUrl: string;
  /** Days an answer link works (LUPA_FEEDBACK_LINK_DAYS). */
  linkDays: number;
  /** The SMS gateway (the campaigns' own), when one is configured: questions by SMS need it. */
  sms?: { send(message: { to: string; body: string }): Promise<unknown> };
  now: () => Instant;
}

const DAY_MS = 86_400_000;

/** When a question made at `at` stops taking answers. */
export function expiresAfter(at: Instant, days: number): Instant {
  return toInstant(Date.parse(at) + days * DAY_MS);
}

/** The public answer page of a request. */
export function answerUrl(deps: Pick<FeedbackDeps, 'signer' | 'publicUrl'>, requestId: number, at: Instant): string {
  return `${deps.publicUrl.replace(/\/$/, '')}/f/${deps.signer.sign('feedback', [requestId], tokenIssueTime(at))}`;
}

/**
 * Sends a request's question to the customer's address on its channel (the one decide looked at:
 * the first e-mail address, or the first phone number for SMS) and marks it sent; a failed hand-off
 * marks it failed (it is not retried: a question is not worth a second message). Returns whether it
 * was sent.
 */
export async function sendQuestion(deps: FeedbackDeps, request: FeedbackRequest, customer: Customer, ticket?: { id: number; subject: string }): Promise<boolean> {
  if (request.channel === 'sms') return sendSmsQuestion(deps, request, customer);
  const to = customer.emails[0];
  if (to === undefined) {
    await deps.feedback.markFailed(request.id);
    return false;
  }
  const locale = customer.locale ?? 'fi';
  const message = await feedbackQuestion(request.kind, { url: answerUrl(deps, request.id, request.createdAt), days: deps.linkDays, locale, ...(ticket === undefined ? {} : { ticket }) });
  try {
    await deps.sender().send({
      deliveryId: 0,
      attempt: 1,
      noticeId: `f${request.id}.${randomUUID()}`,
      to,
      from: deps.from,
      replyTo: deps.replyTo,
      subject: message.subject,
      html: message.html,
      text: message.text,
      // No unsubscribe headers: nothing here is marketing. Saying no to questions is a research withdrawal.
      unsubscribe: null,
      feedback: { campaignId: 0, purpose: 'research', templateId: FEEDBACK_TEMPLATES[request.kind].id },
      locale: message.locale,
    });
  } catch {
    // The relay's error may name the address: it is not logged; the request says it failed.
    await deps.feedback.markFailed(request.id);
    return false;
  }
  await deps.feedback.markSent(request.id, deps.now());
  return true;
}

async function sendSmsQuestion(deps: FeedbackDeps, request: FeedbackRequest, customer: Customer): Promise<boolean> {
  const to = customer.phones[0];
  if (to === undefined || deps.sms === undefined) {
    await deps.feedback.markFailed(request.id);
    return false;
  }
  try {
    await deps.sms.send({ to, body: feedbackSms(request.kind, answerUrl(deps, request.id, request.createdAt), customer.locale ?? 'fi') });
  } catch {
    // The gateway's error may quote the number: not logged; the request says it failed.
    await deps.feedback.markFailed(request.id);
    return false;
  }
  await deps.feedback.markSent(request.id, deps.now());
  return true;
}
