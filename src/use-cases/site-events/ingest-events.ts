/**
 * `POST /v1/events`: a batch from the browser SDK checked, sorted by consent and stored
 * (docs/sites-and-ads.md). The answer comes only after the batch is committed (group commit), so
 * an acknowledged event is durable; a batch with any fault is refused whole, every fault named by
 * the event's index and field. The banner's consent is the browser's word; the ledger has the last
 * one: a visitor signed in as a customer whose ledger refuses ads on the sites (a `site_ads`
 * withdrawal, an objection) is counted only, and their earlier events are not joined to them.
 */
import { DomainError } from '../../core/errors.ts';
import type { Instant } from '../../core/records.ts';
import { parseSiteEventBatch, type EventFault } from '../../core/site-events/site-event-batch.ts';
import { countedOnly, type SiteEventStore } from '../../core/site-events/site-events.ts';
import { IDENTIFY_REFUSALS, verifyIdentifyToken, type IdentifyTokenDeps } from './identify-tokens.ts';

export interface IngestDeps extends Pick<IdentifyTokenDeps, 'signer' | 'ttlSeconds'> {
  events: SiteEventStore;
  now: () => Instant;
  /** Whether the customer's ledger refuses ads chosen for them on the sites now (use-cases/ad-server.ts). */
  refusesSiteAds: (customerId: string) => Promise<boolean>;
}

export interface IngestResult {
  /** Events kept per visitor (with site_ads consent). */
  stored: number;
  /** Events only counted (without it). */
  counted: number;
  /** Sign-ins recorded. */
  identified: number;
}

/** VALIDATION_FAILED with `details.errors` [{index, field, message}] when any event is at fault; nothing is stored then. */
export async function ingestEvents(deps: IngestDeps, body: unknown): Promise<IngestResult> {
  const now = deps.now();
  const parsed = parseSiteEventBatch(body, now);
  if (!parsed.ok) throw batchRefused(parsed.faults);
  const { batch, identifies, site, visitorId } = parsed.value;
  const faults: EventFault[] = [];
  for (const pending of identifies) {
    const verdict = verifyIdentifyToken({ signer: deps.signer, now: deps.now, ttlSeconds: deps.ttlSeconds }, pending.token, pending.customerId);
    if (!verdict.ok) faults.push({ index: pending.index, field: `events.${pending.index}.token`, message: IDENTIFY_REFUSALS[verdict.refusal] });
    else if (visitorId !== null) batch.identifications.push({ site, visitorId, customerId: verdict.customerId, at: pending.at });
  }
  if (faults.length > 0) throw batchRefused(faults);
  const kept = visitorId !== null && (await refusedByLedger(deps, visitorId, batch.identifications.at(-1)?.customerId)) ? countedOnly(batch) : batch;
  await deps.events.append(kept);
  const counted = kept.counts.reduce((sum, c) => sum + c.count, 0);
  return { stored: kept.events.length, counted, identified: kept.identifications.length };
}

/** The customer the visitor signs in as now, or signed in as before; whether their ledger refuses. */
async function refusedByLedger(deps: IngestDeps, visitorId: string, signingIn: string | undefined): Promise<boolean> {
  const customerId = signingIn ?? (await deps.events.customerOfVisitor(visitorId));
  return customerId !== null && (await deps.refusesSiteAds(customerId));
}

function batchRefused(faults: EventFault[]): DomainError {
  const first = faults[0];
  const message = faults.length === 1 ? `${first?.field}: ${first?.message}` : `${faults.length} faults, the first ${first?.field}: ${first?.message}`;
  return new DomainError('VALIDATION_FAILED', message, { field: first?.field ?? 'body', details: { errors: faults } });
}
