/**
 * Which delivery a bounce or complaint report is about (compliance.md §3): only one it is bound to
 * by something Lupa made. In order: a signed return path (VERP) the report was sent to, the signed
 * return path of the original message quoted inside it, or that message's Message-ID. A Message-ID
 * (`<d{id}.{attempt}.{installation}@…>`; before the installation part, `<d{id}@…>` and
 * `<d{id}.{attempt}@…>`) is not signed, so it binds only a delivery that was handed off and whose
 * recorded Message-ID is exactly that one: another installation's, with the same delivery id, binds
 * nothing here. Addresses quoted in the report never bind.
 */
import type { DeliveryRecord, DeliveryStore } from '../core/campaign.ts';
import type { HoldReason } from '../core/bounce-reports.ts';
import { deliveryFromBounceAddress } from '../channels/email/verp.ts';
import type { TokenSigner } from '../security/signed-tokens.ts';

export interface ReportEvidence {
  /** The SMTP envelope recipients the report came to. */
  envelopeTo: readonly string[];
  /** Return-Path and Message-ID of the original message inside the report, when it carries them. */
  original?: { returnPath: string | null; messageId: string | null } | undefined;
}

export type Binding = { delivery: DeliveryRecord } | { held: HoldReason };

/** The delivery id a Lupa Message-ID names, or null when it is not one. */
function deliveryFromMessageId(messageId: string): number | null {
  const m = /^<d(\d{1,15})(?:\.\d{1,6}(?:\.[0-9a-f]{16})?)?@[^<>\s@]+>$/.exec(messageId);
  return m?.[1] === undefined ? null : Number(m[1]);
}

export async function bindReport(deps: { deliveries: DeliveryStore; signer: TokenSigner }, evidence: ReportEvidence): Promise<Binding> {
  const returnPaths = [...evidence.envelopeTo, ...(evidence.original?.returnPath == null ? [] : [evidence.original.returnPath])];
  const signed = new Set(returnPaths.map((a) => deliveryFromBounceAddress(deps.signer, a)).filter((id): id is number => id !== null));
  const bound = new Map<number, DeliveryRecord>();
  for (const id of signed) {
    const delivery = await deps.deliveries.find(id);
    if (delivery !== null) bound.set(id, delivery);
  }
  const messageId = evidence.original?.messageId ?? null;
  const named = messageId === null ? null : deliveryFromMessageId(messageId);
  if (named !== null && !bound.has(named)) {
    const delivery = await deps.deliveries.find(named);
    if (delivery !== null && delivery.sentAt !== null && delivery.messageId === messageId) bound.set(named, delivery);
  }
  const [only, ...more] = bound.values();
  if (only === undefined) return { held: 'unbound' };
  return more.length > 0 ? { held: 'ambiguous' } : { delivery: only };
}
