/**
 * The `Feedback-ID` header for mailbox providers' feedback loops, in Google's `a:b:c:SenderId`
 * form (Gmail Postmaster Tools, "Feedback Loop"): up to three identifiers the complaint rates are
 * counted by, then the sender's own id. Lupa's are the campaign, the purpose the message was sent
 * as and its template: `42:marketing:autumn:uutisvirta.fi`. The campaign comes first, so a
 * Feedback-ID quoted in a report still names its campaign by its leading number. No personal data.
 */
import type { FeedbackIdentifiers } from '../../core/email-message.ts';

/** Characters an identifier keeps; anything else (a colon above all, the separator) becomes `-`. */
const UNSAFE = /[^A-Za-z0-9._-]+/g;

/** One identifier, made safe for the header: at most 64 of the kept characters. */
export function feedbackIdentifier(value: string): string {
  return value.replace(UNSAFE, '-').slice(0, 64) || '-';
}

/** `campaign:purpose:template:SenderId`. */
export function feedbackIdHeader(ids: FeedbackIdentifiers, senderId: string): string {
  return [String(ids.campaignId), ids.purpose, ids.templateId, senderId].map(feedbackIdentifier).join(':');
}

/** The campaign a Feedback-ID of Lupa's names, or null when it does not start with one. */
export function campaignOfFeedbackId(header: string): number | null {
  const m = /^\s*(\d{1,15}):[^:]+:[^:]+:[^:\s]+\s*$/.exec(header);
  return m?.[1] === undefined ? null : Number(m[1]);
}

/** The SenderId when none is configured: the mail domain, as it is unique to the installation's sending. */
export function defaultFeedbackSenderId(mailDomain: string): string {
  return feedbackIdentifier(mailDomain.toLowerCase());
}
