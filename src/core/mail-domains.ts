/**
 * Mail domains as DMARC sees them: the organisational domain of a name (RFC 7489 §3.2, from the
 * Public Suffix List through `tldts`, ICANN and private sections both, as DMARC verifiers read it),
 * relaxed alignment of two names (RFC 7489 §3.1), and whether a name can be a sender's on the
 * internet at all (not a reserved or private name, RFC 2606 / RFC 6761 / RFC 6762).
 */
import { parse } from 'tldts';
import { english, type InnerPhrase } from './phrases.ts';

const PSL = { allowIcannDomains: true, allowPrivateDomains: true } as const;

/** Names no mailbox provider resolves: `localhost`, `test`, `example`, `invalid` (RFC 2606, RFC 6761), `local` (mDNS, RFC 6762). */
const RESERVED_SUFFIXES = ['localhost', 'test', 'example', 'invalid', 'local'];

/**
 * The organisational domain of `name` (`news.uutisvirta.fi` → `uutisvirta.fi`, `a.b.co.uk` →
 * `b.co.uk`), lowercased without a trailing dot; null for an IP address or a name that is itself
 * a public suffix or has none the list knows.
 */
export function organisationalDomain(name: string): string | null {
  const parsed = parse(name.toLowerCase().replace(/\.$/, ''), PSL);
  if (parsed.isIp === true || parsed.domain === null || parsed.publicSuffix === null) return null;
  return parsed.domain;
}

/** Relaxed alignment (RFC 7489 §3.1.1, §3.1.2): both names have the same organisational domain. */
export function relaxedAligned(a: string, b: string): boolean {
  const left = organisationalDomain(a);
  return left !== null && left === organisationalDomain(b);
}

/**
 * Why `name` cannot stand for a sender on the internet, or null when it can: an IP address, a
 * reserved or local name (`*.localhost`, `*.test`, `*.example`, `*.invalid`, `*.local`), or a name
 * under no public suffix the Public Suffix List knows (an intranet name).
 */
export function notPublicDomain(name: string): string | null {
  const why = whyNotPublic(name);
  return why === null ? null : english(why);
}

/** `notPublicDomain` as a phrase, for a reader of any language. */
export function whyNotPublic(name: string): InnerPhrase | null {
  const lower = name.toLowerCase().replace(/\.$/, '');
  const parsed = parse(lower, PSL);
  if (parsed.isIp === true) return { code: 'not_public_ip', params: {} };
  const last = lower.split('.').pop() ?? '';
  if (RESERVED_SUFFIXES.includes(last)) return { code: 'not_public_reserved', params: { suffix: last } };
  if (parsed.publicSuffix === null || parsed.domain === null || (parsed.isIcann !== true && parsed.isPrivate !== true)) {
    return { code: 'not_public_internal', params: {} };
  }
  return null;
}

/** The domain part of an address (`uutiset@Uutisvirta.fi` → `uutisvirta.fi`). */
export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}
