/**
 * Sends e-mail over SMTP through a pooled relay (nodemailer), DKIM-signed. Marketing messages get
 * `List-Unsubscribe` (HTTPS first, then a `mailto:` when an unsubscribe mailbox is configured) and
 * `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 2369, RFC 8058); every message gets a
 * globally unique Message-ID, a signed per-delivery return path (VERP) and a `Feedback-ID`. The
 * headers no one else may add are over-signed (dkim-signature.ts), so an added copy breaks the
 * signature.
 */
import { connect, type Socket } from 'node:net';
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import { DEFAULT_BRAND } from '../../core/brands.ts';
import type { EmailMessage, MessageSender, SendResult } from '../../core/email-message.ts';
import type { TokenSigner } from '../../security/signed-tokens.ts';
import { dkimSignatureField, type DkimHeaderPolicy, type DkimKey } from './dkim-signature.ts';
import { feedbackIdHeader } from './feedback-id.ts';
import { unsubscribeMailAddress, type UnsubscribeMailbox } from './unsubscribe-mailbox.ts';
import { bounceAddress } from './verp.ts';

export interface SmtpSettings {
  /** `smtp://host:port` or `smtps://user:pass@host:465`. */
  url: string;
  /** Domain of the return-path addresses; bounces to it come back to Lupa's inbound SMTP. */
  bounceDomain: string;
  /** Domain of Message-IDs. */
  messageIdDomain: string;
  /** The installation's random part of every Message-ID (made once per store, `installationId` of the app). */
  installationId: string;
  /** The SenderId ending every `Feedback-ID` (LUPA_FEEDBACK_SENDER_ID). */
  feedbackSenderId: string;
  /** Where `List-Unsubscribe`'s mailto goes (LUPA_UNSUBSCRIBE_MAILBOX); null: no mailto. */
  unsubscribeMailbox: UnsubscribeMailbox | null;
  maxConnections: number;
  /**
   * The default brand's DKIM key, or its keys (an Ed25519 one beside the RSA one, RFC 8463: a
   * DKIM-Signature each); null or none: its messages are not signed.
   */
  dkim: DkimKeys;
  /** Other brands' keys by brand name: a message of such a brand is signed with its own (core/brands.ts); a brand not here is not signed. */
  brandDkim?: ReadonlyMap<string, DkimKeys>;
  /** Only for local relays without a certificate (the development inbox). */
  allowInsecure?: boolean;
}

/**
 * What the DKIM signature covers: RFC 6376 §5.4.1's recommended headers plus the one-click pair
 * (RFC 8058 §4) and Feedback-ID; over-signed, the headers a receiver trusts and no relay has a
 * reason to add, so that a second copy of any of them fails verification.
 */
export const DKIM_HEADERS: DkimHeaderPolicy = {
  signed: ['from', 'sender', 'reply-to', 'subject', 'date', 'message-id', 'to', 'cc', 'mime-version', 'content-type', 'content-transfer-encoding', 'in-reply-to', 'references', 'list-id', 'list-unsubscribe', 'list-unsubscribe-post', 'feedback-id'],
  overSigned: ['from', 'reply-to', 'subject', 'list-unsubscribe', 'list-unsubscribe-post', 'feedback-id'],
};

export type { DkimKey };

/** One key, several (each makes a signature of its own) or none. */
export type DkimKeys = DkimKey | readonly DkimKey[] | null;

export class SmtpMessageSender implements MessageSender {
  private readonly transport: nodemailer.Transporter<SMTPPool.SentMessageInfo>;

  constructor(
    private readonly settings: SmtpSettings,
    private readonly signer: TokenSigner,
  ) {
    const url = new URL(settings.url);
    this.transport = nodemailer.createTransport({
      pool: true,
      host: url.hostname,
      port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 25)),
      secure: url.protocol === 'smtps:',
      ...(url.username === '' ? {} : { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }),
      maxConnections: settings.maxConnections,
      maxMessages: Infinity,
      ignoreTLS: settings.allowInsecure === true,
      // STARTTLS upgrades this socket in place; implicit TLS (smtps) keeps nodemailer's own.
      ...(url.protocol === 'smtps:' ? {} : { getSocket: noDelaySocket }),
    });
  }

  async send(message: EmailMessage): Promise<SendResult> {
    const messageId = messageIdFor(message, this.settings.messageIdDomain, this.settings.installationId);
    const built = await new MailComposer({
      from: message.from,
      to: message.to,
      ...(message.replyTo === undefined ? {} : { replyTo: message.replyTo }),
      subject: message.subject,
      html: message.html,
      text: message.text,
      headers: this.headersFor(message),
      // Chosen, not detected: nodemailer's scan for the best encoding and its JS quoted-printable
      // encoder were the largest costs of building a message (profiled); base64 is native.
      textEncoding: 'base64',
      messageId,
    })
      .compile()
      .build();
    // A 7bit part keeps the text's bare line feeds; SMTP sends them as CRLF, and the signature must
    // be over the message as sent (RFC 6376 §5.3).
    const composed = Buffer.from(built.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
    const signatures = this.dkimKeysFor(message).map((key) => Buffer.from(dkimSignatureField(composed, key, DKIM_HEADERS), 'latin1'));
    const raw = Buffer.concat([...signatures, composed]);
    const info = await this.transport.sendMail({
      raw,
      envelope: { from: returnPathFor(message, this.signer, this.settings.bounceDomain), to: [message.to] },
    });
    return { messageId, response: info.response };
  }

  /**
   * The keys this message is signed with, its brand's (one sender sends for several brands and
   * sender domains, core/brands.ts), in the order their signatures go on top; none: unsigned.
   */
  private dkimKeysFor(message: EmailMessage): readonly DkimKey[] {
    const keys = message.brand === undefined || message.brand === DEFAULT_BRAND ? this.settings.dkim : (this.settings.brandDkim?.get(message.brand) ?? null);
    return keys === null ? [] : 'privateKey' in keys ? [keys] : keys;
  }

  /** Feedback-ID always; In-Reply-To and References for an answer in a thread; for marketing the one-click pair, HTTPS first (RFC 8058 §3.1), then the signed mailto. */
  private headersFor(message: EmailMessage): Record<string, string> {
    const headers: Record<string, string> = { 'Feedback-ID': feedbackIdHeader(message.feedback, this.settings.feedbackSenderId) };
    if (message.thread?.inReplyTo != null) headers['In-Reply-To'] = message.thread.inReplyTo;
    if (message.thread !== undefined && message.thread.references.length > 0) headers['References'] = message.thread.references.join(' ');
    if (message.unsubscribe !== null) {
      const mailbox = this.settings.unsubscribeMailbox;
      const mailto = mailbox === null ? [] : [`<mailto:${unsubscribeMailAddress(this.signer, mailbox, message.deliveryId)}?subject=unsubscribe>`];
      headers['List-Unsubscribe'] = [`<${message.unsubscribe.https}>`, ...mailto].join(', ');
      headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
    }
    return headers;
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}

/**
 * One Message-ID per delivery and attempt, unique in the world (RFC 5322 §3.6.4): a message handed
 * off twice after a crash is recognisably the same one, a retry after a soft bounce is a new
 * message, and two installations (a test and a production store sending from one domain) never
 * make the same one, as their random parts differ: `<d{id}.{attempt}.{installation}@{domain}>`.
 * A notice of Lupa's own (no delivery) is `<n.{noticeId}@{domain}>`, its id random.
 */
export function messageIdFor(message: Pick<EmailMessage, 'deliveryId' | 'attempt' | 'noticeId'>, domain: string, installationId: string): string {
  if (message.noticeId !== undefined) return `<n.${message.noticeId}@${domain}>`;
  return `<d${message.deliveryId}.${Math.max(1, message.attempt)}.${installationId}@${domain}>`;
}

/** The envelope sender: the delivery's signed return path (VERP), or for a notice of Lupa's own the plain `notices@`. */
function returnPathFor(message: Pick<EmailMessage, 'deliveryId' | 'noticeId'>, signer: TokenSigner, bounceDomain: string): string {
  return message.noticeId === undefined ? bounceAddress(signer, message.deliveryId, bounceDomain) : `notices@${bounceDomain}`;
}

/**
 * A TCP connection with Nagle's algorithm off. SMTP ends each message with a small write that
 * would otherwise wait for the relay's delayed ACK: measured here, 22 messages/s per connection
 * with Nagle, 430 without. SMTP waits for the relay's greeting, so the socket need not be connected yet.
 */
export function noDelaySocket(
  options: { host?: string; port?: number },
  callback: (err: Error | null, socketOptions?: { connection: Socket }) => void,
): void {
  const socket = connect(options.port ?? 25, options.host ?? '127.0.0.1');
  socket.setNoDelay(true);
  // Handed over while it connects, so that a refused connection reaches the SMTP connection as its
  // error and the pool lets go of it. An error passed to this callback instead leaves the pool
  // counting a connection that never comes: after LUPA_SMTP_CONNECTIONS refusals every later
  // message waited for ever and `campaign send` ended without a word (nodemailer 7).
  callback(null, { connection: socket });
}
