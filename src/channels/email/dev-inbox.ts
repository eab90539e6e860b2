/**
 * A local SMTP inbox for trying Lupa out: `npm start` runs it on loopback and the default
 * configuration sends there, so a new user sees real messages travel over SMTP and can read them
 * (headers, text, HTML, raw source) on the /inbox page or through the API. It keeps the most recent
 * messages (up to LUPA_DEV_INBOX_LIMIT) in memory only: it is a development tool, not a mail store.
 * Off unless enabled (LUPA_DEV_INBOX), except for the embedded SQLite demo: see src/config.ts.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface InboxMessageSummary {
  id: number;
  receivedAt: string;
  envelopeFrom: string | null;
  envelopeTo: string[];
  from: string;
  to: string;
  subject: string;
  size: number;
}

export interface InboxMessage extends InboxMessageSummary {
  headers: { name: string; value: string }[];
  text: string;
  html: string | null;
  raw: string;
}

/** One page of the list, newest first; `next` is the `before` cursor of the following page, null on the last. */
export interface InboxPage {
  messages: InboxMessageSummary[];
  next: number | null;
}

interface Received {
  id: number;
  receivedAt: string;
  envelope: { from: string | null; to: string[] };
  raw: Buffer;
  /** Parsed on first read: receiving stays cheap, so the inbox keeps up with a sending benchmark. */
  parsed?: Promise<InboxMessage>;
}

export class DevInbox {
  private readonly messages: Received[] = [];
  private nextId = 1;
  private server: SMTPServer | null = null;

  constructor(
    private readonly limit = 500,
    private readonly clock: () => string = () => new Date().toISOString(),
  ) {}

  /** Starts listening; port 0 picks a free port. Resolves with the address actually bound. */
  async start(host: string, port: number): Promise<{ host: string; port: number }> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      size: 20 * 1024 * 1024,
      logger: false,
      banner: 'Lupa development inbox',
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const envelope = {
            from: session.envelope.mailFrom === false ? null : session.envelope.mailFrom.address,
            to: session.envelope.rcptTo.map((r) => r.address),
          };
          this.store(Buffer.concat(chunks), envelope);
          callback();
        });
      },
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const address = server.server.address() as AddressInfo;
    return { host, port: address.port };
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server !== null) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Every message kept, newest first. */
  async list(): Promise<InboxMessageSummary[]> {
    return this.summaries(this.messages.slice().reverse());
  }

  /**
   * Up to `size` messages older than the id `before` (all, without it), newest first. Keyset paging:
   * ids only grow, so walking `next` visits every message once even while new mail arrives. Only
   * the page's messages are parsed.
   */
  async page(opts: { before?: number; size: number }): Promise<InboxPage> {
    const before = opts.before ?? Number.POSITIVE_INFINITY;
    // Ids are ascending in `messages`: the older ones are a prefix.
    let end = this.messages.length;
    while (end > 0 && (this.messages[end - 1]?.id ?? 0) >= before) end--;
    const start = Math.max(0, end - opts.size);
    const messages = await this.summaries(this.messages.slice(start, end).reverse());
    return { messages, next: start > 0 ? (messages.at(-1)?.id ?? null) : null };
  }

  async get(id: number): Promise<InboxMessage | null> {
    const message = this.messages.find((m) => m.id === id);
    return message === undefined ? null : this.parse(message);
  }

  private async summaries(received: Received[]): Promise<InboxMessageSummary[]> {
    const all = await Promise.all(received.map((m) => this.parse(m)));
    return all.map(({ headers: _h, text: _t, html: _html, raw: _r, ...summary }) => summary);
  }

  clear(): void {
    this.messages.length = 0;
  }

  private store(raw: Buffer, envelope: { from: string | null; to: string[] }): void {
    this.messages.push({ id: this.nextId++, receivedAt: this.clock(), envelope, raw });
    if (this.messages.length > this.limit) this.messages.splice(0, this.messages.length - this.limit);
  }

  private parse(m: Received): Promise<InboxMessage> {
    m.parsed ??= parseMessage(m);
    return m.parsed;
  }
}

async function parseMessage(m: Received): Promise<InboxMessage> {
  const { raw, envelope } = m;
  const parsed = await simpleParser(raw, { skipImageLinks: true }).catch(() => null);
  if (parsed === null) {
    // Still shown, with its raw source: the inbox is where one looks at malformed mail.
    return { id: m.id, receivedAt: m.receivedAt, envelopeFrom: envelope.from, envelopeTo: envelope.to, from: '', to: '', subject: '(could not be parsed)', size: raw.length, headers: [], text: '', html: null, raw: raw.toString('utf8') };
  }
  const headers = displayHeaders(parsed);
  const addressText = (a: typeof parsed.from | typeof parsed.to): string =>
    a === undefined ? '' : Array.isArray(a) ? a.map((x) => x.text).join(', ') : a.text;
  return {
    id: m.id,
    receivedAt: m.receivedAt,
    envelopeFrom: envelope.from,
    envelopeTo: envelope.to,
    from: addressText(parsed.from),
    to: addressText(parsed.to),
    subject: parsed.subject ?? '',
    size: raw.length,
    headers,
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : null,
    raw: raw.toString('utf8'),
  };
}

/**
 * The header lines in their order, each as mailparser decoded it where that is plain text (encoded
 * words of RFC 2047 such as `=?UTF-8?B?…?=` as the text they stand for; addresses with their names),
 * else as sent, unfolded (RFC 5322 §2.2.3) so that a value reads as one line.
 */
function displayHeaders(parsed: ParsedMail): { name: string; value: string }[] {
  const seen = new Map<string, number>();
  const counts = new Map<string, number>();
  for (const h of parsed.headerLines) counts.set(h.key, (counts.get(h.key) ?? 0) + 1);
  return parsed.headerLines.map((h) => {
    const occurrence = seen.get(h.key) ?? 0;
    seen.set(h.key, occurrence + 1);
    const sent = h.line.slice(h.line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
    return { name: h.key, value: decodedText(parsed.headers.get(h.key), occurrence, counts.get(h.key) ?? 1) ?? sent };
  });
}

/** A decoded header value as text, or null when mailparser made it a structure better shown as sent. */
function decodedText(value: unknown, occurrence: number, lines: number): string | null {
  if (typeof value === 'string') return lines === 1 ? value : null;
  // A repeated header is an array with one entry per line, unless mailparser split values further.
  if (Array.isArray(value)) return value.length === lines ? decodedText(value[occurrence], 0, 1) : null;
  if (typeof value === 'object' && value !== null && 'text' in value && typeof value.text === 'string' && lines === 1) return value.text;
  return null;
}
