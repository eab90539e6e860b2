/**
 * Entry point: raw bounce, delay, feedback or auto-reply message → one classified result.
 * Order of evidence, most reliable first: RFC 5965 feedback report, Amazon SES JSON notification,
 * RFC 3464 delivery status, known non-standard complaint mails, auto-replies, and finally the
 * vendor text heuristics. Never logs: the messages are full of personal data.
 */
import { classify, detectReason, type BounceCause, type BounceClass, type Reason } from './classify.ts';
import { cleanAddress, findAddress, findAllStatusCodes, findReplyCode, findStatusCode, type DsnRecipient } from './dsn.ts';
import { headerValue, type Headers } from './headers.ts';
import { parseMime } from './mime.ts';
import { parseMessage, type ParsedMessage } from './parse-message.ts';
import { findSesNotification, findVendorFailure } from './vendor-formats.ts';

export interface BounceResult {
  class: BounceClass;
  /** The failed (or complaining) recipient, lower-cased, bare address. */
  recipient: string | null;
  /** Enhanced status code (`5.1.1`) where one is given or can be derived. */
  status: string | null;
  /** RFC 5965 Feedback-Type for complaints and other feedback reports. */
  feedbackType?: string | null;
  /** The remote server's explanation, when there is one. */
  diagnostic?: string | null;
  /**
   * A delay warning: the reporting mail system has not given up and keeps retrying itself (DSN
   * `Action: delayed`, or a "will be retried" notice). The message may still arrive.
   */
  delayed?: boolean;
  /** The failure's cause (Sisimai's reason word), when one is stated. */
  reason?: Reason | null;
  /** Whose side the failure is on: `sender` means the recipient's address is fine (class `other`). */
  cause?: BounceCause | null;
  /**
   * The returned original message's Return-Path and Message-ID, when the report carries its
   * headers: what binds the report to the delivery it is about.
   */
  original?: { returnPath: string | null; messageId: string | null };
}

export async function parseBounce(raw: string | Buffer): Promise<BounceResult> {
  return parseBounceSync(raw);
}

export function parseBounceSync(raw: string | Buffer): BounceResult {
  const msg = parseMessage(raw);
  const result = fromFeedbackReport(msg) ?? fromSes(msg) ?? fromNonStandardComplaint(msg) ?? fromDsn(msg) ?? fromAutoReply(msg) ?? fromText(msg);
  return { ...result, original: originalIds(msg.originalHeaders) };
}

/**
 * Whom the message itself says it was delivered to (`Delivered-To`, else `To`): the envelope
 * recipient to assume for a stored message. Null when it names none.
 */
export function reportAddressee(raw: string | Buffer): string | null {
  const { headers } = parseMime(raw);
  return findAddress(headerValue(headers, 'delivered-to') ?? headerValue(headers, 'to') ?? '');
}

/** Return-Path and Message-ID of the returned message, as written there (angle brackets kept for the Message-ID). */
function originalIds(headers: Headers | null): { returnPath: string | null; messageId: string | null } {
  if (headers === null) return { returnPath: null, messageId: null };
  const messageId = /<[^<>\s]{1,250}>/.exec(headerValue(headers, 'message-id') ?? '')?.[0] ?? null;
  return { returnPath: findAddress(headerValue(headers, 'return-path') ?? ''), messageId };
}

/** Feedback types that are about the sending domain's authentication, not a person's complaint. */
const NON_COMPLAINT_FEEDBACK = new Set(['auth-failure', 'dmarc', 'not-spam']);

function fromFeedbackReport(msg: ParsedMessage): BounceResult | null {
  const fb = msg.feedback;
  const type = fb === null ? undefined : headerValue(fb, 'feedback-type')?.trim().toLowerCase();
  if (fb === null || type === undefined) return null;
  const recipient =
    cleanAddress(headerValue(fb, 'original-rcpt-to')) ?? cleanAddress(headerValue(fb, 'removal-recipient')) ?? originalTo(msg.originalHeaders);
  return { class: NON_COMPLAINT_FEEDBACK.has(type) ? 'other' : 'complaint', recipient, status: null, feedbackType: type, diagnostic: null };
}

function fromSes(msg: ParsedMessage): BounceResult | null {
  const ses = findSesNotification(msg.text);
  if (ses === null) return null;
  const recipient = ses.recipient === null ? null : findAddress(ses.recipient);
  if (ses.type === 'Complaint') return { class: 'complaint', recipient, status: null, feedbackType: ses.feedbackType ?? 'abuse', diagnostic: null };
  const diag = ses.diagnostic ?? '';
  if (ses.type === 'Delivery') return { class: 'other', recipient, status: findStatusCode(diag) ?? '2.0.0', diagnostic: ses.diagnostic };
  const status = (ses.status === null ? null : findStatusCode(ses.status)) ?? findStatusCode(diag);
  const c = classify({ status, replyCode: findReplyCode(diag), text: diag, action: 'failed', verdict: ses.verdict, reason: ses.reason });
  return { class: c.class, recipient, status: c.status, diagnostic: ses.diagnostic, reason: c.reason, cause: c.cause };
}

/** Complaint mails that are not RFC 5965: Hotmail/Outlook JMRP forwards and Apple Mail "unsubscribe". */
function fromNonStandardComplaint(msg: ParsedMessage): BounceResult | null {
  if (/^\s*complaint about message from/i.test(msg.subject) && msg.originalHeaders !== null) {
    return { class: 'complaint', recipient: originalTo(msg.originalHeaders), status: null, feedbackType: 'abuse', diagnostic: null };
  }
  if (/^\s*unsubscribe\s*$/i.test(msg.subject) && /sent this email to unsubscribe/i.test(msg.text)) {
    return { class: 'complaint', recipient: findAddress(msg.from), status: null, feedbackType: 'opt-out', diagnostic: null };
  }
  return null;
}

const SUCCESS_ACTIONS = new Set(['delivered', 'relayed', 'expanded']);

function fromDsn(msg: ParsedMessage): BounceResult | null {
  const recipients = msg.dsn?.recipients ?? [];
  const usable = recipients.filter((r) => r.status !== null || r.action !== null || r.diagnostic !== null);
  const chosen = usable.find((r) => r.action !== null && !SUCCESS_ACTIONS.has(r.action)) ?? usable[0];
  if (chosen === undefined) return null;
  const vendor = findVendorFailure(msg.text);
  const recipient = chosen.finalRecipient ?? chosen.originalRecipient ?? vendor.recipient ?? originalTo(msg.originalHeaders);
  const diag = chosen.diagnostic ?? vendor.diagnostic ?? '';
  const status = bestStatus(chosen, diag, msg.text) ?? findStatusCode(msg.text);
  const c = classify({ status, replyCode: findReplyCode(diag), text: reasonText(diag, msg), action: chosen.action });
  return { class: c.class, recipient, status: c.status, diagnostic: chosen.diagnostic ?? vendor.diagnostic, reason: c.reason, cause: c.cause, ...stillRetrying(c.class, chosen.action) };
}

/**
 * The DSN Status, unless the diagnostic says more: a generic status (`5.0.0`) yields to a specific
 * code in the diagnostic, and the queue-expiry code `x.4.7` (the reporting MTA gave up) yields to
 * the last remote reply that caused the retries, which names the actual problem.
 */
function bestStatus(r: DsnRecipient, diag: string, text: string): string | null {
  const fromDiag = findStatusCode(diag);
  if (r.status === null) return fromDiag;
  if (/^\d\.4\.7$/.test(r.status)) {
    const underlying = (source: string): string | undefined =>
      findAllStatusCodes(source).filter((s) => s[0] === r.status?.[0] && !/^\d\.4\.7$/.test(s)).at(-1);
    return underlying(diag) ?? underlying(text) ?? r.status;
  }
  if (/^\d\.0\.0$/.test(r.status) && fromDiag !== null && fromDiag[0] === r.status[0]) return fromDiag;
  return r.status;
}

function fromAutoReply(msg: ParsedMessage): BounceResult | null {
  if (isFromMailSystem(msg) || !isAutoReply(msg)) return null;
  return { class: 'other', recipient: findAddress(msg.from), status: null, diagnostic: null };
}

function isAutoReply(msg: ParsedMessage): boolean {
  const h = msg.headers;
  const autoSubmitted = headerValue(h, 'auto-submitted')?.toLowerCase() ?? '';
  return (
    autoSubmitted.startsWith('auto-replied') ||
    headerValue(h, 'x-autoreply') !== undefined ||
    headerValue(h, 'x-autorespond') !== undefined ||
    /^(auto(matic)?[ -]?(reply|response)|out of (the )?office|away|vacation|abwesend|autosvar|r[ée]ponse automatique)/i.test(msg.subject.trim())
  );
}

const MAIL_SYSTEM_SENDER = /mailer-daemon|postmaster|mail delivery|mail administrator|mailer|bounce|notification|daemon/i;
const BOUNCE_SUBJECT = /undeliver|undelivered|delivery (status|failure|has failed|notification)|returned mail|failure notice|could not be delivered|non[- ]?delivery|mail delivery failed|delivery problem|nicht zustellbar|no se puede entregar|delayed mail|warning:|error|returned to sender/i;

function isFromMailSystem(msg: ParsedMessage): boolean {
  return MAIL_SYSTEM_SENDER.test(msg.from) || BOUNCE_SUBJECT.test(msg.subject);
}

const DELAY_SUBJECT = /delay|still being retried|warning: (could not send|message [^\n]{0,200} delayed)|not yet been delivered|temporary failure/i;

const DELAY_TEXT = /warning message only|will be retried|still being retried|delivery (attempts )?will continue|has not yet been delivered/i;

function fromText(msg: ParsedMessage): BounceResult {
  const vendor = findVendorFailure(msg.text);
  const diag = vendor.diagnostic ?? '';
  const status = findStatusCode(diag) ?? findStatusCode(msg.text);
  const replyCode = findReplyCode(diag) ?? findReplyCode(msg.text);
  const isBounce = isFromMailSystem(msg) || vendor.recipient !== null || failedRecipients(msg) !== null;
  if (!isBounce && status === null) return { class: 'other', recipient: findAddress(msg.from), status: null, diagnostic: null };
  const action = DELAY_SUBJECT.test(msg.subject) || DELAY_TEXT.test(msg.text) ? 'delayed' : 'failed';
  const c = classify({ status, replyCode, text: reasonText(diag, msg), action });
  const fallbackStatus = c.status ?? (action === 'delayed' ? '4.0.0' : '5.0.0');
  return { class: c.class, recipient: failedRecipients(msg) ?? vendor.recipient ?? originalTo(msg.originalHeaders), status: fallbackStatus, diagnostic: vendor.diagnostic, reason: c.reason, cause: c.cause, ...stillRetrying(c.class, action) };
}

/**
 * Where the cause is read: the recipient's own diagnostic when it names one; otherwise also the
 * report's vendor fields, subject and human-readable text (a generic `5.0.0` says nothing itself).
 */
function reasonText(diag: string, msg: ParsedMessage): string {
  if (detectReason(diag) === null) return `${diag}\n${msg.vendorDiagnostics}\n${msg.subject}\n${msg.text}`;
  // Which SMTP command the reply answered ("in reply to end of DATA command") is part of its meaning.
  const stage = /in reply to (?:end of )?[A-Za-z]{2,10}\s+command/i.exec(msg.text)?.[0];
  return stage === undefined ? diag : `${diag}\n${stage}`;
}

/** Marks a temporary failure whose reporter is still retrying (see `BounceResult.delayed`). */
function stillRetrying(bounceClass: BounceClass, action: string | null): { delayed?: true } {
  return bounceClass === 'soft' && action?.toLowerCase() === 'delayed' ? { delayed: true } : {};
}

/** Exim and Google name the failed address in a header. */
function failedRecipients(msg: ParsedMessage): string | null {
  const v = headerValue(msg.headers, 'x-failed-recipients');
  return v === undefined ? null : findAddress(v);
}

/** The single To address of the returned original message, if there is exactly one. */
function originalTo(headers: Headers | null): string | null {
  if (headers === null) return null;
  const to = headerValue(headers, 'to') ?? headerValue(headers, 'delivered-to') ?? headerValue(headers, 'x-original-to');
  return to === undefined ? null : findAddress(to);
}
