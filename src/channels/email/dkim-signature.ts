/**
 * DKIM signing (RFC 6376) of a whole composed message, with over-signing: each header named in
 * `overSigned` is listed in the signature's `h=` tag once more than it occurs (RFC 6376 §5.4.2,
 * §8.15), so that a copy added in transit (a second `List-Unsubscribe`, `From` or `Subject`) breaks
 * the signature instead of riding on it. Neither nodemailer's signer nor mailauth's can list a
 * header more often than it occurs, which is why Lupa signs here, relaxed/relaxed: rsa-sha256 with
 * an RSA key, ed25519-sha256 with an Ed25519 key (RFC 8463 §3: the Ed25519 signature is made over
 * the SHA-256 hash of the canonicalised header data, not over the data itself).
 */
import { createHash, createPrivateKey, sign, type KeyObject } from 'node:crypto';

export interface DkimKey {
  /** `d=`: the signing domain. */
  domainName: string;
  /** `s=`: the selector; the public key is published at `<selector>._domainkey.<domain>`. */
  keySelector: string;
  /** PEM private key: RSA (PKCS#1 or PKCS#8) signs rsa-sha256, Ed25519 (PKCS#8) signs ed25519-sha256. */
  privateKey: string;
}

export interface DkimHeaderPolicy {
  /** Header names (any case) whose present instances the signature covers. */
  signed: readonly string[];
  /** Of those or beyond, the ones listed once more than they occur, so none can be added. */
  overSigned: readonly string[];
}

interface HeaderField {
  /** Lower-case name. */
  name: string;
  /** The whole field as it stands in the message, continuation lines included, without its final CRLF. */
  raw: string;
}

/** Caches parsed keys: a key is parsed once, not once per message. */
const parsedKeys = new Map<string, KeyObject>();

/**
 * The `DKIM-Signature: …` field (CRLF-terminated, folded) to put on top of `message`, which must
 * use CRLF line ends as composed for SMTP. Several signatures (an Ed25519 one beside the RSA one)
 * are each made over the message as composed and put on top in any order: none covers another.
 * Throws when the key is not a usable RSA or Ed25519 private key.
 */
export function dkimSignatureField(message: Buffer, key: DkimKey, policy: DkimHeaderPolicy): string {
  const split = message.indexOf('\r\n\r\n');
  const headerText = (split === -1 ? message : message.subarray(0, split)).toString('latin1');
  const body = split === -1 ? Buffer.alloc(0) : message.subarray(split + 4);
  const fields = headerFields(headerText);

  const names: string[] = [];
  const hashed: string[] = [];
  const overSigned = new Set(policy.overSigned.map((n) => n.toLowerCase()));
  for (const name of new Set([...policy.signed, ...policy.overSigned].map((n) => n.toLowerCase()))) {
    // Instances are signed from the bottom up (RFC 6376 §5.4.2).
    const present = fields.filter((f) => f.name === name).reverse();
    for (const field of present) {
      names.push(name);
      hashed.push(relaxedHeader(field.raw));
    }
    // A name listed beyond its instances stands for "no further instance" and hashes nothing.
    if (overSigned.has(name)) names.push(name);
  }

  const bodyHash = createHash('sha256').update(relaxedBody(body)).digest('base64');
  const privateKey = privateKeyOf(key.privateKey);
  const ed25519 = privateKey.asymmetricKeyType === 'ed25519';
  const head = foldTokens([
    { text: 'DKIM-Signature: v=1;', glue: ' ' },
    ...[ed25519 ? 'a=ed25519-sha256;' : 'a=rsa-sha256;', 'c=relaxed/relaxed;', `d=${key.domainName};`, `s=${key.keySelector};`, `bh=${bodyHash};`].map((text) => ({ text, glue: ' ' })),
    // The list may break only after a colon (RFC 6376 §3.5, FWS around the colons).
    ...names.map((name, i) => ({ text: `${i === 0 ? 'h=' : ''}${name}${i === names.length - 1 ? ';' : ':'}`, glue: i === 0 ? ' ' : '' })),
    { text: 'b=', glue: ' ' },
  ]);
  // The signature covers this very field with an empty b= (RFC 6376 §3.7), folded as sent.
  const data = Buffer.from(`${hashed.join('')}${relaxedHeader(head).replace(/\r\n$/, '')}`, 'latin1');
  const signature = (ed25519 ? sign(null, createHash('sha256').update(data).digest(), privateKey) : sign('sha256', data, privateKey)).toString('base64');
  // The b= value is removed before verifying, whitespace and all: it may break anywhere.
  const lastLine = head.length - head.lastIndexOf('\n');
  const first = Math.max(0, 76 - lastLine);
  const chunks = [signature.slice(0, first), ...(signature.slice(first).match(/.{1,74}/g) ?? [])];
  return `${head}${chunks.join('\r\n ')}\r\n`;
}

function privateKeyOf(pem: string): KeyObject {
  let key = parsedKeys.get(pem);
  if (key === undefined) {
    key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'ed25519') throw new Error('the DKIM key must be an RSA or Ed25519 private key');
    parsedKeys.set(pem, key);
  }
  return key;
}

/** The header block's fields, each with its continuation lines. */
function headerFields(headerText: string): HeaderField[] {
  const fields: HeaderField[] = [];
  for (const line of headerText.split('\r\n')) {
    const last = fields.at(-1);
    if ((line.startsWith(' ') || line.startsWith('\t')) && last !== undefined) {
      last.raw += `\r\n${line}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon > 0) fields.push({ name: line.slice(0, colon).trim().toLowerCase(), raw: line });
  }
  return fields;
}

/** Relaxed header canonicalisation (RFC 6376 §3.4.2), CRLF-terminated. */
function relaxedHeader(raw: string): string {
  const colon = raw.indexOf(':');
  const name = raw.slice(0, colon).trim().toLowerCase();
  const value = raw
    .slice(colon + 1)
    .replace(/\r\n(?=[ \t])/g, '')
    .replace(/[ \t]+/g, ' ')
    .trim();
  return `${name}:${value}\r\n`;
}

/** Relaxed body canonicalisation (RFC 6376 §3.4.4): spaces folded, line-end spaces and trailing empty lines dropped. */
function relaxedBody(body: Buffer): Buffer {
  const lines = body
    .toString('latin1')
    .split('\r\n')
    .map((l) => l.replace(/[ \t]+/g, ' ').replace(/ $/, ''));
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return Buffer.from(lines.length === 0 ? '' : `${lines.join('\r\n')}\r\n`, 'latin1');
}

/** Joins tokens (each with the glue it takes when it stays on the line), breaking lines before 77 characters. */
function foldTokens(tokens: readonly { text: string; glue: string }[]): string {
  const lines: string[] = [];
  let line = '';
  for (const { text, glue } of tokens) {
    if (line !== '' && line.length + glue.length + text.length > 76) {
      lines.push(line);
      line = ` ${text}`;
    } else {
      line = line === '' ? text : `${line}${glue}${text}`;
    }
  }
  lines.push(line);
  return lines.join('\r\n');
}
