/** Content hashes that make appends idempotent: the same record imported twice is stored once. */
import { hash as digest } from 'node:crypto';
import type { NewLedgerRecord, NewSuppression } from '../core/ports.ts';

export function ledgerFingerprint(r: NewLedgerRecord): string {
  const subject = r.kind === 'consent' ? [r.purpose, r.channel ?? '*'] : [r.scope, '*'];
  return hash([r.customerId, r.kind, ...subject, r.value, r.at, r.source, r.noticeVersion ?? '', r.evidenceRef ?? '']);
}

export function suppressionFingerprint(s: NewSuppression): string {
  return hash([s.channel, s.address, s.reason, s.at, s.validUntil ?? '', s.source]);
}

function hash(parts: string[]): string {
  // One-shot hashing: about twice as fast as createHash on the import path.
  return digest('sha256', parts.join('\u001f'), 'base64url').slice(0, 32);
}
