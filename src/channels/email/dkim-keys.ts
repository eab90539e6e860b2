/**
 * DKIM keys on disk: read one (what it is, how long, its public half in the form the DNS record
 * carries) and make a new pair. RSA records carry the DER SubjectPublicKeyInfo (RFC 6376 §3.6.1);
 * Ed25519 records the bare 32-byte key (RFC 8463 §4), which is the last 32 bytes of its 44-byte
 * SubjectPublicKeyInfo.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import type { DkimAlgorithm } from '../../core/dns-records.ts';
import type { DkimKeyFacts } from '../../core/sending-readiness.ts';

/** Reads a PEM private key; never throws (a problem is part of the answer). */
export function readDkimKey(path: string): DkimKeyFacts {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (err) {
    const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : 'unreadable';
    return { ok: false, problem: `cannot read it (${code})`, problemCode: { code: 'key_unreadable', params: { code } } };
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    return { ok: false, problem: 'not a PEM private key', problemCode: { code: 'key_not_pem', params: {} } };
  }
  return describeKey(key);
}

/** What a private key is, and its public half as the DKIM record carries it. */
export function describeKey(key: KeyObject): DkimKeyFacts {
  const algorithm = key.asymmetricKeyType ?? 'unknown';
  if (algorithm !== 'rsa' && algorithm !== 'ed25519') return { ok: true, algorithm, bits: null, publicKey: '' };
  return { ok: true, algorithm, bits: algorithm === 'rsa' ? (key.asymmetricKeyDetails?.modulusLength ?? null) : 256, publicKey: recordPublicKey(key) };
}

/** The base64 public key of a private (or public) key as the `p=` of its DKIM record. */
export function recordPublicKey(key: KeyObject): string {
  const der = createPublicKey(key).export({ type: 'spki', format: 'der' });
  return (key.asymmetricKeyType === 'ed25519' ? der.subarray(der.length - 32) : der).toString('base64');
}

/** A new key pair: RSA 2048 bits (RFC 8301 §3.1) or Ed25519 (RFC 8463). The private key as PKCS#8 PEM. */
export function generateDkimKey(algorithm: DkimAlgorithm): { privateKeyPem: string; publicKey: string; bits: number } {
  const { privateKey } = algorithm === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: recordPublicKey(privateKey),
    bits: algorithm === 'rsa' ? 2048 : 256,
  };
}

/**
 * Writes a private key readable by its owner only (mode 0600). An existing file is never
 * overwritten: it may be the key in use, and replacing it would break every signature until the
 * DNS record followed.
 */
export function writePrivateKey(path: string, pem: string): void {
  writeFileSync(path, pem, { mode: 0o600, flag: 'wx' });
}
