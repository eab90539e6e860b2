/** An e-mail ready to hand to a channel, in the core's words, and the port that sends it. */

export interface EmailMessage {
  /** Our delivery id: becomes the signed bounce (VERP) address and the Message-ID's local part. */
  deliveryId: number;
  /** Which hand-off of the delivery this is (1, then 2… for retries after soft bounces): part of the Message-ID. */
  attempt: number;
  /**
   * Set for a notice of Lupa's own that is no campaign's delivery (a fresh preference link): it
   * names the Message-ID (`<n.{noticeId}@…>`), and the return path is the bounce domain's plain
   * `notices@…`, so that a report about the notice is held, never bound to a delivery. `deliveryId`
   * is then 0 (no delivery has it) and `attempt` 1.
   */
  noticeId?: string;
  to: string;
  from: { name: string; address: string };
  /** The brand it is sent as: its DKIM key signs it (core/brands.ts; `default` when absent). */
  brand?: string;
  replyTo?: string;
  subject: string;
  html: string;
  text: string;
  /**
   * Marketing messages carry one-click unsubscribe headers (RFC 8058): this link, and a mailto the
   * channel makes for the delivery when it has a mailbox for it. Service messages carry none.
   */
  unsubscribe: { https: string } | null;
  /** What mailbox providers' feedback loops count complaints by (the channel adds its SenderId); no personal data. */
  feedback: FeedbackIdentifiers;
  locale: string;
  /**
   * For an answer in a conversation (a support reply): the Message-ID it answers and the thread's
   * earlier ones, sent as In-Reply-To and References (RFC 5322 §3.6.4) so the reader's client and
   * the reader's answer stay in the thread.
   */
  thread?: { inReplyTo: string | null; references: readonly string[] };
}

/** The identifiers of a `Feedback-ID` (src/channels/email/feedback-id.ts). */
export interface FeedbackIdentifiers {
  campaignId: number;
  /** The purpose the message was sent as (its primary purpose). */
  purpose: string;
  /** The campaign's template id. */
  templateId: string;
}

export interface SendResult {
  messageId: string;
  /** The relay's answer, for the delivery record (no personal data). */
  response: string;
}

export interface MessageSender {
  send(message: EmailMessage): Promise<SendResult>;
  close(): Promise<void>;
}
