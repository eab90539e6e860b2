/**
 * Heuristics for bounces that carry no usable RFC 3464 part: the human-readable text that
 * Postfix, Sendmail, qmail, Exim, Exchange, Gmail, Notes and others write. Each pattern finds the
 * failed recipient and the text that explains that recipient's failure. Pure: no I/O.
 */
import { findAddress } from './dsn.ts';

export interface VendorFinding {
  readonly recipient: string | null;
  /** The lines that explain the failure of that recipient (the remote server's reply, usually). */
  readonly diagnostic: string | null;
}

interface Pattern {
  /** Which MTA writes this layout; for readers, never used in logic. */
  readonly vendor: string;
  readonly re: RegExp;
}

/**
 * Each regex captures `addr` and, when the layout has it on the same line, `diag`; the lines after
 * the match that are indented or non-empty are taken as the diagnostic otherwise.
 */
const PATTERNS: readonly Pattern[] = [
  // Gmail: "Delivery to the following recipient failed permanently:\n\n     user@example.com"
  { vendor: 'Gmail', re: /following (?:recipient|address)(?:es)? failed[^:\n]*:\s*\n\s*\n?[ \t]*<?(?<addr>[^\s<>]+@[^\s<>]+?)>?[ \t]*$/im },
  // Postfix, qmail, Courier, OpenSMTPD: "<user@example.com>: host mx said: 550 …"
  { vendor: 'Postfix/qmail', re: /^[ \t]*<(?<addr>[^\s<>]+@[^\s<>]+)>(?:[ \t]*\(expanded from[^)]*\))?:[ \t]*(?<diag>.*)$/m },
  // Sendmail: "550 5.1.1 <user@example.com>... User unknown"
  { vendor: 'Sendmail', re: /^(?:[ \t]*\d{3}[ -](?:\d\.\d{1,3}\.\d{1,3} )?)?[ \t]*<?(?<addr>[^\s<>]+@[^\s<>]+?)>?\.\.\.[ \t]*(?<diag>.*)$/m },
  // Exim: "  user@example.com\n    SMTP error from remote mail server after RCPT TO:…"
  { vendor: 'Exim', re: /^[ \t]+<?(?<addr>[^\s<>:]+@[^\s<>:]+?)>?[ \t]*(?:\n|$)(?=[ \t]+\S)/m },
  // Exchange, Office 365: "user@example.com on 4/1/2015 …" or "Delivery has failed to these recipients or groups:\n\nuser@…"
  { vendor: 'Exchange', re: /(?:failed to these recipients or groups|could not be delivered to the following recipients?|the following recipient\(s\) could not be reached|following addresses had permanent fatal errors|could not be delivered to)[^\n]*:?\s*\n(?:[ \t]*\n)*[ \t]*(?:[^\n<]*<)?(?<addr>[^\s<>()]+@[^\s<>()]+?)>?(?:[ \t)\]:]|$)(?<diag>.*)$/im },
  // Generic: "Recipient: user@…", "Original-Recipient: …", "Failed recipient: …"
  { vendor: 'generic', re: /^[ \t]*(?:failed |final |original |invalid )?(?:recipient|address|to)(?:\(s\))?[ \t]*(?:address)?[ \t]*:[ \t]*(?:rfc822;)?[ \t]*<?(?<addr>[^\s<>]+@[^\s<>]+?)>?[ \t]*$/im },
  // SMTP transcripts: "RCPT TO:<user@example.com>"
  { vendor: 'transcript', re: /RCPT TO:[ \t]*<(?<addr>[^\s<>]+@[^\s<>]+)>/i },
];

export function findVendorFailure(text: string): VendorFinding {
  for (const { re } of PATTERNS) {
    const m = re.exec(text);
    const addr = m?.groups?.['addr'];
    if (m === null || addr === undefined) continue;
    const recipient = findAddress(addr);
    if (recipient === null) continue;
    const sameLine = m.groups?.['diag']?.trim() ?? '';
    const after = followingLines(text, m.index + m[0].length);
    const diagnostic = [sameLine, after].filter((s) => s !== '').join(' ');
    return { recipient, diagnostic: diagnostic === '' ? null : diagnostic };
  }
  return { recipient: null, diagnostic: null };
}

/** The paragraph after a match: lines up to the next blank line or separator, joined. */
function followingLines(text: string, from: number): string {
  const rest = text.slice(from).replace(/^[^\n]*\n?/, '');
  const lines: string[] = [];
  for (const line of rest.split(/\r?\n/)) {
    if (line.trim() === '' && lines.length > 0) break;
    if (/^[ \t]*(-{2,}|={2,}|\*{2,})/.test(line) || /^[ \t]*<[^\s<>]+@[^\s<>]+>:/.test(line)) break;
    if (line.trim() !== '') lines.push(line.trim());
    if (lines.length >= 8) break;
  }
  return lines.join(' ');
}

/** Amazon SES notification (directly or inside an SNS envelope) found as JSON in the text. */
export interface SesNotification {
  readonly type: 'Bounce' | 'Complaint' | 'Delivery';
  readonly recipient: string | null;
  readonly status: string | null;
  readonly bounceType: string | null;
  readonly feedbackType: string | null;
  readonly diagnostic: string | null;
}

export function findSesNotification(text: string): SesNotification | null {
  const start = text.indexOf('{"notificationType"');
  const alt = start < 0 ? text.indexOf('{"Type"') : start;
  if (alt < 0) return null;
  // SNS mail wraps long JSON lines with a leading space; undo that before parsing.
  const candidate = text.slice(alt).replace(/\r?\n /g, '');
  const end = candidate.lastIndexOf('}');
  let json: unknown;
  try {
    json = JSON.parse(candidate.slice(0, end + 1));
  } catch {
    return null;
  }
  let obj = asRecord(json);
  if (obj !== null && typeof obj['Message'] === 'string') {
    try {
      obj = asRecord(JSON.parse(obj['Message']));
    } catch {
      return null;
    }
  }
  if (obj === null) return null;
  const type = obj['notificationType'] ?? obj['eventType'];
  if (type !== 'Bounce' && type !== 'Complaint' && type !== 'Delivery') return null;
  if (type === 'Complaint') {
    const c = asRecord(obj['complaint']);
    const first = asRecord(asArray(c?.['complainedRecipients'])[0]);
    return { type, recipient: str(first?.['emailAddress']), status: null, bounceType: null, feedbackType: str(c?.['complaintFeedbackType']), diagnostic: null };
  }
  if (type === 'Delivery') {
    const d = asRecord(obj['delivery']);
    const rcpt = str(asArray(d?.['recipients'])[0]);
    const smtp = str(d?.['smtpResponse']);
    return { type, recipient: rcpt, status: null, bounceType: null, feedbackType: null, diagnostic: smtp };
  }
  const b = asRecord(obj['bounce']);
  const first = asRecord(asArray(b?.['bouncedRecipients'])[0]);
  return {
    type,
    recipient: str(first?.['emailAddress']),
    status: str(first?.['status']),
    bounceType: str(b?.['bounceType']),
    feedbackType: null,
    diagnostic: str(first?.['diagnosticCode']),
  };
}

function asRecord(v: unknown): Record<string, unknown> | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}
function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}
