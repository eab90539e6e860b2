/**
 * The public support form (`POST /v1/support/requests`, docs/customer-service.md): a request from a
 * web page becomes a ticket, without a CAPTCHA. Spam is told by a honeypot field (hidden from
 * people, filled in by bots) and by the time the form took to fill (a person needs seconds); a
 * request that fails either is answered exactly as an accepted one, so that a bot learns nothing,
 * and kept nowhere. Each address (IP) may send LUPA_SUPPORT_FORM_PER_HOUR requests an hour.
 */
import { DomainError } from '../../core/errors.ts';
import type { Instant } from '../../core/records.ts';
import { toInstant } from '../../core/time.ts';
import { canonicalContact, openTicket, type TicketDeps } from './tickets.ts';

export interface SupportFormRequest {
  name: string;
  email: string | null;
  phone: string | null;
  subject: string;
  message: string;
  /** The honeypot: a field people never see; anything in it is a bot's. */
  website: string;
  /** When the page showed the form, ms since the epoch (set by the page's script or server). */
  startedAt: number | null;
}

export interface SpamRules {
  minSeconds: number;
}

/** Why a request was taken for spam, or null when it passes (pure). */
export function spamReason(req: SupportFormRequest, now: Instant, rules: SpamRules): 'honeypot' | 'too_fast' | null {
  if (req.website.trim() !== '') return 'honeypot';
  if (req.startedAt === null || Date.parse(now) - req.startedAt < rules.minSeconds * 1000) return 'too_fast';
  return null;
}

/** Requests per address within a sliding hour, in this process (a restart forgets them: a limit against floods, not a ledger). */
export class HourlyLimiter {
  private readonly seen = new Map<string, number[]>();

  constructor(private readonly perHour: number) {}

  /** Counts a request from `key` at `now`; throws RATE_LIMITED (with `retryAt`) past the limit. */
  take(key: string, now: Instant): void {
    const at = Date.parse(now);
    const recent = (this.seen.get(key) ?? []).filter((t) => t > at - 3_600_000);
    if (recent.length >= this.perHour) {
      throw new DomainError('RATE_LIMITED', 'too many support requests from this address; try again later', { details: { retryAt: toInstant((recent[0] ?? at) + 3_600_000) } });
    }
    recent.push(at);
    this.seen.set(key, recent);
    // Keep the map from growing without bound under a spread-out flood.
    if (this.seen.size > 100_000) for (const k of [...this.seen.keys()].slice(0, 50_000)) this.seen.delete(k);
  }
}

/** Files a form request as a ticket, or drops it as spam; the ticket's id, or null when dropped. */
export async function receiveSupportForm(deps: TicketDeps & { spam: SpamRules }, req: SupportFormRequest): Promise<number | null> {
  if (spamReason(req, deps.now(), deps.spam) !== null) return null;
  const contact = req.email ?? req.phone;
  if (contact === null) throw new DomainError('VALIDATION_FAILED', 'give an e-mail address or a phone number', { field: 'email' });
  if (canonicalContact(contact) === null) throw new DomainError('VALIDATION_FAILED', `not a readable ${req.email === null ? 'phone number' : 'e-mail address'}`, { field: req.email === null ? 'phone' : 'email' });
  const { ticket } = await openTicket(deps, { channel: 'web', contact, contactName: req.name.trim() === '' ? null : req.name.trim(), subject: req.subject, body: req.message });
  return ticket.id;
}
