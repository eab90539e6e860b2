/**
 * Whether mail sent with this setup can arrive, item by item, with the fix: the public URL that
 * unsubscribe links start with (RFC 8058 one-click needs https a mailbox provider can reach), each
 * brand's DKIM (fully on or fully off, RFC 6376; keys of 1024 bits or more, RFC 8301 §3.2), each
 * sender domain's DMARC alignment (RFC 7489 §3.1, relaxed) and the return path. These are the
 * requirements Gmail and Yahoo enforce for bulk senders since February 2024. `lupa doctor`, the
 * start-up banner and `GET /v1/admin/readiness` show the items; a marketing launch is refused on a
 * blocking one (src/use-cases/sending-readiness.ts).
 */
import { brandNameOf, DEFAULT_BRAND, senderOf, type Brand } from './brands.ts';
import { DomainError } from './errors.ts';
import { domainOf, organisationalDomain, relaxedAligned, whyNotPublic } from './mail-domains.ts';
import { english, englishAll, phrase, type InnerPhrase, type Phrase, type PhraseParam } from './phrases.ts';

export type ReadinessStatus = 'ok' | 'warning' | 'blocking';

export interface ReadinessItem {
  /** Stable: `sending`, `public_url`, `dkim:BRAND`, `dkim_ed25519:BRAND`, `from:ADDRESS`, `brand:NAME`, `return_path`, `bounce_receiver`. */
  id: string;
  status: ReadinessStatus;
  /** What was found. */
  summary: string;
  /** What to change; absent when the item is ok. */
  fix?: string;
  /** `summary` (with the notes added to it) and `fix` as phrases, for a reader of any language (core/phrases.ts). */
  says: { summary: Phrase[]; fix?: Phrase };
}

/** What a DKIM key file holds, as read (`publicKey`: base64, in the form the DNS record carries). */
export type DkimKeyFacts = { ok: true; algorithm: string; bits: number | null; publicKey: string } | { ok: false; problem: string; problemCode: InnerPhrase };

/** A campaign's own permission to send from a domain its signature does not align with. */
export interface UnalignedFromOverride {
  reason: string;
  /** Who recorded it: `cli:USER` or the API key's name. */
  by: string;
  at: string;
}

/** The sending configuration as the checks need it (built once per process from src/config.ts). */
export interface SendingSetup {
  /**
   * True when mail goes to the development inbox (LUPA_SMTP_URL is its loopback address and port):
   * nothing leaves the machine, so nothing is refused and what would block is shown as a warning.
   */
  development: boolean;
  /** The relay, without credentials (`smtp://relay.example.fi:587`). */
  relay: string;
  /** Where unsubscribe and preference links start. */
  publicUrl: string;
  /** The return path's domain (LUPA_BOUNCE_DOMAIN). */
  bounceDomain: string;
  /** Where Lupa receives bounces by SMTP (0: not at all) and the host the bounce domain's MX names. */
  bounceReceiver: { port: number; mxHost: string };
  /** Every brand by name; `default` always. */
  brands: ReadonlyMap<string, Brand>;
  /** The key in the brand's DKIM key file, read once; null for a brand whose DKIM is not on. */
  dkimKey(brand: Brand): DkimKeyFacts | null;
  /** The key in the brand's Ed25519 key file, read once; null when the brand has none (or no DKIM on). */
  ed25519Key(brand: Brand): DkimKeyFacts | null;
}

/**
 * The From a campaign's messages carry: the campaign's own, else its brand's (the default brand's
 * when it names no configured brand). CONFIG_INVALID when a setup has no default brand.
 */
export function campaignFrom(campaign: { from: { name: string; address: string } | null; brand: string | null }, setup: Pick<SendingSetup, 'brands'>): { name: string; address: string } {
  const brand = setup.brands.get(brandNameOf(campaign)) ?? setup.brands.get(DEFAULT_BRAND);
  if (brand === undefined) throw new DomainError('CONFIG_INVALID', 'no default brand', { field: 'LUPA_SENDER_NAME' });
  return senderOf(campaign, brand);
}

/** RFC 8301 §3.2: verifiers must not accept signatures with RSA keys under 1024 bits; §3.1 asks signers for 2048. */
const RSA_MIN_BITS = 1024;
const RSA_GOOD_BITS = 2048;

const LOOPBACK_HOSTS = /^(localhost|.*\.localhost|127(\.\d{1,3}){3}|0\.0\.0\.0|\[::1?\])$/i;
const PRIVATE_IPV4 = /^(10\.\d+|192\.168|172\.(1[6-9]|2\d|3[01])|169\.254)\.\d+\.\d+$/;

/** An item from its phrases: `summary` and `fix` in English, `says` for a reader of any language. */
export function item(id: string, status: ReadinessStatus, summary: Phrase, fix?: Phrase): ReadinessItem {
  return { id, status, summary: english(summary), ...(fix === undefined ? {} : { fix: english(fix) }), says: { summary: [summary], ...(fix === undefined ? {} : { fix }) } };
}

/** The item with a note added to its summary ("; every campaign using it has an override"). */
export function withNote(it: ReadinessItem, note: Phrase, status: ReadinessStatus = it.status): ReadinessItem {
  const summary = [...it.says.summary, note];
  return { ...it, status, summary: englishAll(summary), says: { ...it.says, summary } };
}

/** The public URL unsubscribe links start with: https, well-formed, reachable from the internet. */
export function publicUrlItem(publicUrl: string): ReadinessItem {
  const id = 'public_url';
  const fix = phrase('fix_public_url');
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch {
    return item(id, 'blocking', phrase('url_invalid', { url: publicUrl }), fix);
  }
  if (url.protocol !== 'https:') return item(id, 'blocking', phrase('url_not_https', { protocol: url.protocol }), fix);
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') return item(id, 'blocking', phrase('url_extras'), fix);
  if (LOOPBACK_HOSTS.test(url.hostname) || PRIVATE_IPV4.test(url.hostname) || url.hostname.startsWith('[')) {
    return item(id, 'blocking', phrase('url_unreachable', { host: url.hostname }), fix);
  }
  const why = whyNotPublic(url.hostname);
  if (why !== null) return item(id, 'blocking', phrase('url_not_public', { host: url.hostname, why }), fix);
  return item(id, 'ok', phrase('url_ok', { start: `${url.origin}${url.pathname.replace(/\/$/, '')}` }));
}

/** Where a key's problem is said: not read at all, or what reading it found. */
function keyProblem(key: DkimKeyFacts | null): InnerPhrase {
  return key === null || key.ok ? { code: 'key_not_read', params: {} } : key.problemCode;
}

/** A brand's signing: fully on (with a usable RSA key) or fully off, never half. */
export function dkimItem(brand: Brand, key: DkimKeyFacts | null): ReadinessItem {
  const id = `dkim:${brand.name}`;
  const who: PhraseParam = brand.name === DEFAULT_BRAND ? 'LUPA_DKIM_DOMAIN, LUPA_DKIM_SELECTOR, LUPA_DKIM_KEY_FILE' : { code: 'who_brand_dkim', params: { brand: brand.name } };
  const dkim = brand.dkim;
  if (dkim.state === 'partial' && dkim.given.every((name) => name.startsWith('LUPA_DKIM_ED25519_'))) {
    return item(id, 'blocking', phrase('dkim_ed_without_rsa', { given: dkim.given.join(', '), missing: dkim.missing.join(', ') }), phrase('fix_dkim_ed_without_rsa', { who }));
  }
  if (dkim.state === 'partial') {
    return item(id, 'blocking', phrase('dkim_partial', { given: dkim.given.join(', '), missing: dkim.missing.join(', ') }), phrase('fix_set_all', { who }));
  }
  if (dkim.state === 'off') return item(id, 'warning', phrase('dkim_off', { brand: brand.name }), phrase('fix_dkim_off', { who }));
  const where = `d=${dkim.domain} s=${dkim.selector}`;
  const why = whyNotPublic(dkim.domain);
  if (why !== null) return item(id, 'blocking', phrase('dkim_domain_not_public', { where, why }), phrase('fix_sign_own_domain', { who }));
  if (key === null || !key.ok) {
    return item(id, 'blocking', phrase('dkim_key_unusable', { where, file: dkim.keyFile, problem: keyProblem(key) }), phrase('fix_dkim_key_file'));
  }
  if (key.algorithm !== 'rsa') {
    const setting = brand.name === DEFAULT_BRAND ? 'LUPA_DKIM_ED25519_SELECTOR and LUPA_DKIM_ED25519_KEY_FILE' : '"dkim.ed25519"';
    return item(id, 'blocking', phrase('dkim_key_not_rsa', { where, algorithm: key.algorithm }), phrase('fix_dkim_key_not_rsa', { setting }));
  }
  const bits = key.bits ?? 0;
  if (bits < RSA_MIN_BITS) return item(id, 'blocking', phrase('dkim_key_too_short', { where, bits }), phrase('fix_dkim_key_2048'));
  if (bits < RSA_GOOD_BITS) return item(id, 'warning', phrase('dkim_key_short', { where, bits }), phrase('fix_dkim_key_rotate'));
  return item(id, 'ok', phrase('dkim_ok', { brand: brand.name, where, bits }));
}

/**
 * A brand's second key, Ed25519 (RFC 8463), signed beside its RSA key: null when it has none. Half
 * a setup, a key of another type or the RSA key's selector is blocking, as for the RSA key.
 */
export function ed25519Item(brand: Brand, key: DkimKeyFacts | null): ReadinessItem | null {
  if (brand.dkim.state !== 'on' || brand.dkim.ed25519.state === 'off') return null;
  const id = `dkim_ed25519:${brand.name}`;
  const who: PhraseParam = brand.name === DEFAULT_BRAND ? 'LUPA_DKIM_ED25519_SELECTOR, LUPA_DKIM_ED25519_KEY_FILE' : { code: 'who_brand_ed25519', params: { brand: brand.name } };
  const ed = brand.dkim.ed25519;
  if (ed.state === 'partial') return item(id, 'blocking', phrase('ed_partial', { given: ed.given.join(', '), missing: ed.missing.join(', ') }), phrase('fix_set_both', { who }));
  const where = `d=${brand.dkim.domain} s=${ed.selector}`;
  if (ed.selector.toLowerCase() === brand.dkim.selector.toLowerCase()) return item(id, 'blocking', phrase('ed_same_selector', { where }), phrase('fix_ed_selector', { who }));
  if (key === null || !key.ok) return item(id, 'blocking', phrase('ed_key_unusable', { where, file: ed.keyFile, problem: keyProblem(key) }), phrase('fix_ed_key_file'));
  if (key.algorithm !== 'ed25519') return item(id, 'blocking', phrase('ed_not_ed25519', { where, algorithm: key.algorithm }), phrase('fix_ed_make', { who }));
  return item(id, 'ok', phrase('ed_ok', { brand: brand.name, where }));
}

/**
 * Whether a sender address can pass DMARC: its domain aligned (relaxed) with the brand's DKIM d=,
 * or, for a brand Lupa does not sign for, with the return path (SPF alignment). `usedBy` says where
 * the address is used (for the report); an override turns a refusal into a recorded warning.
 */
export function fromItem(address: string, brand: Brand, bounceDomain: string, usedBy: InnerPhrase[], override: UnalignedFromOverride | null = null): ReadinessItem {
  const id = `from:${address}`;
  const domain = domainOf(address);
  const why = whyNotPublic(domain);
  if (why !== null) return item(id, 'blocking', phrase('from_not_public', { address, usedBy, why }), phrase('fix_from_own_domain'));
  const signs = brand.dkim.state === 'on';
  const against = brand.dkim.state === 'on' ? brand.dkim.domain : bounceDomain;
  const by: InnerPhrase = signs ? { code: 'aligned_by_dkim', params: { domain: against } } : { code: 'aligned_by_spf', params: { domain: against, brand: brand.name } };
  if (relaxedAligned(domain, against)) return item(id, 'ok', phrase('from_aligned', { address, usedBy, by }));
  const domainOrg = organisationalDomain(domain) ?? domain;
  const againstOrg = organisationalDomain(against) ?? against;
  const unaligned = phrase('from_unaligned', { address, usedBy, by, domain: domainOrg, against: againstOrg });
  if (override !== null) return withNote(item(id, 'warning', unaligned), phrase('note_overridden', { by: override.by, at: override.at, reason: override.reason }));
  return item(
    id,
    'blocking',
    unaligned,
    signs ? phrase('fix_from_signed', { against: againstOrg, domain: domainOrg }) : phrase('fix_from_unsigned', { domain: domainOrg, brand: brand.name, against: againstOrg }),
  );
}

/** The return path handed to the relay as MAIL FROM: a public domain whose MX reaches Lupa. What the relay does with it is not visible from here. */
export function returnPathItem(bounceDomain: string): ReadinessItem {
  const why = whyNotPublic(bounceDomain);
  if (why !== null) return item('return_path', 'blocking', phrase('return_path_not_public', { domain: bounceDomain, why }), phrase('fix_return_path'));
  return item('return_path', 'ok', phrase('return_path_ok', { domain: bounceDomain }));
}

/** Whether bounces and complaints can come back by SMTP (LUPA_BOUNCE_PORT). */
export function bounceReceiverItem(port: number, bounceDomain: string): ReadinessItem {
  if (port === 0) return item('bounce_receiver', 'warning', phrase('bounce_receiver_off'), phrase('fix_bounce_receiver', { domain: bounceDomain }));
  return item('bounce_receiver', 'ok', phrase('bounce_receiver_ok', { domain: bounceDomain, port }));
}

/** A campaign's brand that the configuration no longer has. */
export function unknownBrandItem(name: string, known: readonly string[]): ReadinessItem {
  return item(`brand:${name}`, 'blocking', phrase('brand_unknown', { brand: name, known: known.join(', ') }), phrase('fix_brand_unknown'));
}

/**
 * In the development inbox nothing leaves the machine, so nothing is refused: a blocking item is
 * shown as a warning that says it would block real sending.
 */
export function asDevelopment(it: ReadinessItem): ReadinessItem {
  return it.status === 'blocking' ? withNote(it, phrase('note_development'), 'warning') : it;
}
