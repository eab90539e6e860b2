/** An e-mail ready to hand to a channel, in the core's words, and the port that sends it. */

export interface EmailMessage {
  /** Our delivery id: becomes the signed bounce (VERP) address and the Message-ID's local part. */
  deliveryId: number;
  /** Which hand-off of the delivery this is (1, then 2… for retries after soft bounces): part of the Message-ID. */
  attempt: number;
  to: string;
  from: { name: string; address: string };
  /** The brand it is sent as: its DKIM key signs it (core/brands.ts; `default` when absent). */
  brand?: string;
  replyTo?: string;
  subject: string;
  html: string;
  text: string;
  /** Marketing messages carry one-click unsubscribe headers (RFC 8058); service messages need not. */
  unsubscribe: { https: string; mailto?: string } | null;
  /** `campaign:kind:sender` style id for mailbox providers' feedback loops (no personal data). */
  feedbackId: string;
  locale: string;
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
