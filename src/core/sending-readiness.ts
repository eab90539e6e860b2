/**
 * Whether mail sent with this setup can arrive, item by item, with the fix: the public URL that
 * unsubscribe links start with (RFC 8058 one-click needs https a mailbox provider can reach), each
 * brand's DKIM (fully on or fully off, RFC 6376; keys of 1024 bits or more, RFC 8301 §3.2), each
 * sender domain's DMARC alignment (RFC 7489 §3.1, relaxed) and the return path. These are the
 * requirements Gmail and Yahoo enforce for bulk senders since February 2024. `lupa doctor`, the
 * start-up banner and `GET /v1/admin/readiness` show the items; a marketing launch is refused on a
 * blocking one (src/use-cases/sending-readiness.ts).
 */
import { DEFAULT_BRAND, type Brand } from './brands.ts';
import { domainOf, notPublicDomain, organisationalDomain, relaxedAligned } from './mail-domains.ts';

export type ReadinessStatus = 'ok' | 'warning' | 'blocking';

export interface ReadinessItem {
  /** Stable: `sending`, `public_url`, `dkim:BRAND`, `dkim_ed25519:BRAND`, `from:ADDRESS`, `brand:NAME`, `return_path`, `bounce_receiver`. */
  id: string;
  status: ReadinessStatus;
  /** What was found. */
  summary: string;
  /** What to change; absent when the item is ok. */
  fix?: string;
}

/** What a DKIM key file holds, as read (`publicKey`: base64, in the form the DNS record carries). */
export type DkimKeyFacts = { ok: true; algorithm: string; bits: number | null; publicKey: string } | { ok: false; problem: string };

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

/** RFC 8301 §3.2: verifiers must not accept signatures with RSA keys under 1024 bits; §3.1 asks signers for 2048. */
const RSA_MIN_BITS = 1024;
const RSA_GOOD_BITS = 2048;

const LOOPBACK_HOSTS = /^(localhost|.*\.localhost|127(\.\d{1,3}){3}|0\.0\.0\.0|\[::1?\])$/i;
const PRIVATE_IPV4 = /^(10\.\d+|192\.168|172\.(1[6-9]|2\d|3[01])|169\.254)\.\d+\.\d+$/;

/** The public URL unsubscribe links start with: https, well-formed, reachable from the internet. */
export function publicUrlItem(publicUrl: string): ReadinessItem {
  const id = 'public_url';
  const fix = 'set LUPA_PUBLIC_URL to the https:// address people reach Lupa at from the internet (e.g. https://lupa.example.fi)';
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch {
    return { id, status: 'blocking', summary: `the public URL ${publicUrl} is not a URL`, fix };
  }
  if (url.protocol !== 'https:') {
    return { id, status: 'blocking', summary: `unsubscribe links would start ${url.protocol}//: one-click unsubscribe (RFC 8058) needs https`, fix };
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    return { id, status: 'blocking', summary: 'the public URL has a query, fragment or credentials; links are made by appending paths to it', fix };
  }
  if (LOOPBACK_HOSTS.test(url.hostname) || PRIVATE_IPV4.test(url.hostname) || url.hostname.startsWith('[')) {
    return { id, status: 'blocking', summary: `unsubscribe links would point at ${url.hostname}, which no mailbox provider and no recipient can reach`, fix };
  }
  const notPublic = notPublicDomain(url.hostname);
  if (notPublic !== null) return { id, status: 'blocking', summary: `the public URL's host ${url.hostname} ${notPublic}`, fix };
  return { id, status: 'ok', summary: `unsubscribe and preference links start ${url.origin}${url.pathname.replace(/\/$/, '')}` };
}

/** A brand's signing: fully on (with a usable RSA key) or fully off, never half. */
export function dkimItem(brand: Brand, key: DkimKeyFacts | null): ReadinessItem {
  const id = `dkim:${brand.name}`;
  const who = brand.name === DEFAULT_BRAND ? 'LUPA_DKIM_DOMAIN, LUPA_DKIM_SELECTOR, LUPA_DKIM_KEY_FILE' : `brand ${brand.name}'s "dkim" in LUPA_BRANDS_FILE`;
  const dkim = brand.dkim;
  if (dkim.state === 'partial' && dkim.given.every((name) => name.startsWith('LUPA_DKIM_ED25519_'))) {
    return {
      id,
      status: 'blocking',
      summary: `an Ed25519 key is set (${dkim.given.join(', ')}) without an RSA key (${dkim.missing.join(', ')} missing): many receivers do not verify Ed25519 (RFC 8463) yet, so to them the mail would be unsigned`,
      fix: `set ${who} for an RSA key as well (lupa dkim generate), which Ed25519 signs beside; or unset the Ed25519 settings`,
    };
  }
  if (dkim.state === 'partial') {
    return { id, status: 'blocking', summary: `DKIM is half configured (${dkim.given.join(', ')} set, ${dkim.missing.join(', ')} missing): mail would go out unsigned`, fix: `set all of ${who}, or none` };
  }
  if (dkim.state === 'off') {
    return {
      id,
      status: 'warning',
      summary: `brand ${brand.name}: Lupa does not sign its mail; Gmail and Yahoo require DKIM from bulk senders`,
      fix: `create a key (lupa dkim generate --domain DOMAIN --selector SELECTOR --out FILE), publish its record and set ${who}; or make sure the relay signs with a d= aligned with the From domain`,
    };
  }
  const where = `d=${dkim.domain} s=${dkim.selector}`;
  const notPublic = notPublicDomain(dkim.domain);
  if (notPublic !== null) return { id, status: 'blocking', summary: `DKIM ${where}: the domain ${notPublic}`, fix: `sign for the domain you send from (${who})` };
  if (key === null || !key.ok) {
    return { id, status: 'blocking', summary: `DKIM ${where}: the key file ${dkim.keyFile} cannot be used (${key === null ? 'not read' : key.problem})`, fix: 'point the key file setting at a PEM private key readable by Lupa (lupa dkim generate writes one)' };
  }
  if (key.algorithm !== 'rsa') {
    const edSetting = brand.name === DEFAULT_BRAND ? 'LUPA_DKIM_ED25519_SELECTOR and LUPA_DKIM_ED25519_KEY_FILE' : '"dkim.ed25519"';
    return { id, status: 'blocking', summary: `DKIM ${where}: the key is ${key.algorithm}; this key must be RSA, which every receiver verifies`, fix: `use an RSA key here (lupa dkim generate --algorithm rsa); an Ed25519 key signs beside it, given as ${edSetting}` };
  }
  const bits = key.bits ?? 0;
  if (bits < RSA_MIN_BITS) return { id, status: 'blocking', summary: `DKIM ${where}: a ${bits}-bit RSA key, which verifiers reject (RFC 8301)`, fix: 'create a 2048-bit key: lupa dkim generate' };
  const signs = `signs as ${where}, rsa-sha256, ${bits}-bit key`;
  if (bits < RSA_GOOD_BITS) return { id, status: 'warning', summary: `${signs}: shorter than the 2048 bits RFC 8301 asks for`, fix: 'create a 2048-bit key under a new selector (lupa dkim generate), publish it, then switch' };
  return { id, status: 'ok', summary: `brand ${brand.name} ${signs}` };
}

/**
 * A brand's second key, Ed25519 (RFC 8463), signed beside its RSA key: null when it has none. Half
 * a setup, a key of another type or the RSA key's selector is blocking, as for the RSA key.
 */
export function ed25519Item(brand: Brand, key: DkimKeyFacts | null): ReadinessItem | null {
  if (brand.dkim.state !== 'on' || brand.dkim.ed25519.state === 'off') return null;
  const id = `dkim_ed25519:${brand.name}`;
  const who = brand.name === DEFAULT_BRAND ? 'LUPA_DKIM_ED25519_SELECTOR, LUPA_DKIM_ED25519_KEY_FILE' : `brand ${brand.name}'s "dkim.ed25519" in LUPA_BRANDS_FILE`;
  const ed = brand.dkim.ed25519;
  if (ed.state === 'partial') {
    return { id, status: 'blocking', summary: `the Ed25519 DKIM key is half configured (${ed.given.join(', ')} set, ${ed.missing.join(', ')} missing): it would not sign`, fix: `set both of ${who}, or neither` };
  }
  const where = `d=${brand.dkim.domain} s=${ed.selector}`;
  if (ed.selector.toLowerCase() === brand.dkim.selector.toLowerCase()) {
    return { id, status: 'blocking', summary: `DKIM ${where}: the Ed25519 key has the RSA key's selector, but each key's record is published at a name of its own (SELECTOR._domainkey.DOMAIN)`, fix: `give the Ed25519 key a selector of its own (${who})` };
  }
  if (key === null || !key.ok) {
    return { id, status: 'blocking', summary: `DKIM ${where}: the Ed25519 key file ${ed.keyFile} cannot be used (${key === null ? 'not read' : key.problem})`, fix: 'point it at the PEM private key lupa dkim generate --algorithm ed25519 wrote, readable by Lupa' };
  }
  if (key.algorithm !== 'ed25519') {
    return { id, status: 'blocking', summary: `DKIM ${where}: the key is ${key.algorithm}, not Ed25519`, fix: `make an Ed25519 key (lupa dkim generate --algorithm ed25519) and set it as ${who}` };
  }
  return { id, status: 'ok', summary: `brand ${brand.name} also signs as ${where}, ed25519-sha256 (RFC 8463), beside its RSA signature` };
}

/**
 * Whether a sender address can pass DMARC: its domain aligned (relaxed) with the brand's DKIM d=,
 * or, for a brand Lupa does not sign for, with the return path (SPF alignment). `usedBy` says where
 * the address is used (for the report); an override turns a refusal into a recorded warning.
 */
export function fromItem(address: string, brand: Brand, bounceDomain: string, usedBy: string, override: UnalignedFromOverride | null = null): ReadinessItem {
  const id = `from:${address}`;
  const domain = domainOf(address);
  const notPublic = notPublicDomain(domain);
  if (notPublic !== null) {
    return { id, status: 'blocking', summary: `sender ${address} (${usedBy}): the domain ${notPublic}`, fix: 'send from an address at your own domain: --from-address, or the brand\'s fromAddress (LUPA_SENDER_ADDRESS for the default brand)' };
  }
  const signs = brand.dkim.state === 'on';
  const against = brand.dkim.state === 'on' ? brand.dkim.domain : bounceDomain;
  const by = signs ? `DKIM d=${against}` : `the return path's domain ${against} (SPF; brand ${brand.name} is not signed by Lupa)`;
  if (relaxedAligned(domain, against)) return { id, status: 'ok', summary: `sender ${address} (${usedBy}) aligns with ${by}` };
  const summary = `sender ${address} (${usedBy}) does not align with ${by}: organisational domains ${organisationalDomain(domain) ?? domain} and ${organisationalDomain(against) ?? against} differ, so DMARC fails`;
  if (override !== null) return { id, status: 'warning', summary: `${summary}; allowed for this campaign by ${override.by} at ${override.at}: ${override.reason}` };
  return {
    id,
    status: 'blocking',
    summary,
    fix: signs
      ? `send from an address at ${organisationalDomain(against) ?? against} (--from-address), or as a brand that signs for ${organisationalDomain(domain) ?? domain} (--brand; brands in LUPA_BRANDS_FILE)`
      : `sign for ${organisationalDomain(domain) ?? domain} (DKIM settings of brand ${brand.name}), or send from an address at ${organisationalDomain(against) ?? against}`,
  };
}

/** The return path handed to the relay as MAIL FROM: a public domain whose MX reaches Lupa. What the relay does with it is not visible from here. */
export function returnPathItem(bounceDomain: string): ReadinessItem {
  const notPublic = notPublicDomain(bounceDomain);
  if (notPublic !== null) {
    return { id: 'return_path', status: 'blocking', summary: `the return path domain ${bounceDomain} ${notPublic}: receivers refuse mail whose envelope sender does not resolve`, fix: 'set LUPA_BOUNCE_DOMAIN to a subdomain of your sending domain (e.g. bounces.example.fi) and publish its MX and SPF records' };
  }
  return {
    id: 'return_path',
    status: 'ok',
    summary: `each message goes to the relay with MAIL FROM b-…@${bounceDomain}; checked: the domain is a public name (whether the relay keeps it cannot be seen from here: look at the Return-Path of a message you receive)`,
  };
}

/** Whether bounces and complaints can come back by SMTP (LUPA_BOUNCE_PORT). */
export function bounceReceiverItem(port: number, bounceDomain: string): ReadinessItem {
  if (port === 0) {
    return { id: 'bounce_receiver', status: 'warning', summary: 'LUPA_BOUNCE_PORT is 0: Lupa receives no bounces by SMTP, so bad addresses are not suppressed unless a provider posts them to /v1/webhooks/bounces', fix: `set LUPA_BOUNCE_PORT and point the MX of ${bounceDomain} at this host` };
  }
  return { id: 'bounce_receiver', status: 'ok', summary: `bounces and complaints for @${bounceDomain} are received by SMTP on port ${port}` };
}

/** A campaign's brand that the configuration no longer has. */
export function unknownBrandItem(name: string, known: readonly string[]): ReadinessItem {
  return { id: `brand:${name}`, status: 'blocking', summary: `brand ${name} is not configured (known: ${known.join(', ')})`, fix: 'add it to LUPA_BRANDS_FILE, or cancel the campaign and create it with another --brand' };
}

/**
 * In the development inbox nothing leaves the machine, so nothing is refused: a blocking item is
 * shown as a warning that says it would block real sending.
 */
export function asDevelopment(item: ReadinessItem): ReadinessItem {
  return item.status === 'blocking' ? { ...item, status: 'warning', summary: `${item.summary} (blocks sending through a real relay)` } : item;
}
