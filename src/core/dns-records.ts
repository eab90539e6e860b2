/**
 * The DNS records a sender publishes, as text ready to paste into a zone file: DKIM (RFC 6376
 * §3.6.1, Ed25519 keys per RFC 8463), an SPF suggestion (RFC 7208), a first DMARC policy
 * (RFC 7489 §6.3) and the bounce domain's MX. A TXT value longer than 255 characters is split into
 * several quoted strings, as one DNS character-string holds at most 255 (RFC 1035 §3.3.14; a
 * verifier joins them, RFC 6376 §3.6.2.2).
 */

export interface DnsRecord {
  /** Owner name, fully qualified, without the trailing dot. */
  name: string;
  type: 'TXT' | 'MX';
  /** The record's value: the TXT text whole (before splitting), or `10 host.` for MX. */
  value: string;
  /** What the record is for, one line. */
  purpose: string;
}

/** The longest DNS character-string (RFC 1035 §3.3.14). */
export const TXT_STRING_MAX = 255;

/** `value` cut into strings of at most 255 characters, in order (joined they give `value` back). */
export function txtStrings(value: string): string[] {
  const out: string[] = [];
  for (let at = 0; at < value.length; at += TXT_STRING_MAX) out.push(value.slice(at, at + TXT_STRING_MAX));
  return out.length === 0 ? [''] : out;
}

/** One zone-file line: `name. 3600 IN TXT "…" "…"` (each string quoted; `"` and `\` escaped) or `name. 3600 IN MX 10 host.`. */
export function zoneLine(record: DnsRecord): string {
  const data = record.type === 'TXT' ? txtStrings(record.value).map((s) => `"${s.replace(/[\\"]/g, '\\$&')}"`).join(' ') : record.value;
  return `${record.name}. 3600 IN ${record.type} ${data}`;
}

export type DkimAlgorithm = 'rsa' | 'ed25519';

/**
 * The DKIM key record's text: `v=DKIM1; k=rsa; p=BASE64`. `publicKey` is the base64 of the key as
 * the record carries it: for RSA the DER SubjectPublicKeyInfo (RFC 6376 §3.6.1), for Ed25519 the
 * bare 32-byte key (RFC 8463 §4).
 */
export function dkimTxtValue(algorithm: DkimAlgorithm, publicKey: string): string {
  return `v=DKIM1; k=${algorithm}; p=${publicKey}`;
}

export function dkimRecord(domain: string, selector: string, algorithm: DkimAlgorithm, publicKey: string): DnsRecord {
  return { name: `${selector}._domainkey.${domain}`, type: 'TXT', value: dkimTxtValue(algorithm, publicKey), purpose: `DKIM key of selector ${selector} (${algorithm}) for d=${domain}` };
}

/**
 * An SPF suggestion for the return path's domain: the relay's address or name as the one sender
 * (`ip4:`/`ip6:` for an address, `a:` for a name), `~all` for a start. A relay that sends from other
 * addresses than its name resolves to documents an `include:` to use instead.
 */
export function spfRecord(bounceDomain: string, relayHost: string): DnsRecord {
  const mechanism = /^\d{1,3}(\.\d{1,3}){3}$/.test(relayHost) ? `ip4:${relayHost}` : relayHost.includes(':') ? `ip6:${relayHost.replace(/^\[|\]$/g, '')}` : `a:${relayHost}`;
  return { name: bounceDomain, type: 'TXT', value: `v=spf1 ${mechanism} ~all`, purpose: `SPF for the return path domain (checked against the relay that hands the mail to the recipient's server)` };
}

/**
 * A first DMARC policy for an organisational domain: monitor only (`p=none`), relaxed alignment,
 * aggregate reports to a mailbox of the same domain (an address elsewhere needs that domain's
 * consent record, RFC 7489 §7.1).
 */
export function dmarcRecord(organisationalDomain: string): DnsRecord {
  return {
    name: `_dmarc.${organisationalDomain}`,
    type: 'TXT',
    value: `v=DMARC1; p=none; rua=mailto:dmarc-reports@${organisationalDomain}; adkim=r; aspf=r`,
    purpose: `DMARC for ${organisationalDomain}: start with p=none and read the reports, then quarantine or reject`,
  };
}

/** The bounce domain's MX, pointing at the host whose port 25 reaches Lupa's inbound receiver. */
export function bounceMxRecord(bounceDomain: string, receiverHost: string): DnsRecord {
  return { name: bounceDomain, type: 'MX', value: `10 ${receiverHost}.`, purpose: 'bounces and complaints come back to Lupa\'s inbound receiver' };
}
