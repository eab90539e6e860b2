/**
 * `POST /v1/events`: a batch from the browser SDK checked, sorted by consent and stored
 * (docs/sites-and-ads.md). The answer comes only after the batch is committed (group commit), so
 * an acknowledged event is durable; a batch with any fault is refused whole, every fault named by
 * the event's index and field.
 */
import { DomainError } from '../../core/errors.ts';
import type { Instant } from '../../core/records.ts';
import { parseSiteEventBatch, type EventFault } from '../../core/site-events/site-event-batch.ts';
import type { SiteEventStore } from '../../core/site-events/site-events.ts';
import { IDENTIFY_REFUSALS, verifyIdentifyToken, type IdentifyTokenDeps } from './identify-tokens.ts';

export interface IngestDeps extends Pick<IdentifyTokenDeps, 'signer' | 'ttlSeconds'> {
  events: SiteEventStore;
  now: () => Instant;
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
  await deps.events.append(batch);
  const counted = batch.counts.reduce((sum, c) => sum + c.count, 0);
  return { stored: batch.events.length, counted, identified: batch.identifications.length };
}

function batchRefused(faults: EventFault[]): DomainError {
  const first = faults[0];
  const message = faults.length === 1 ? `${first?.field}: ${first?.message}` : `${faults.length} faults, the first ${first?.field}: ${first?.message}`;
  return new DomainError('VALIDATION_FAILED', message, { field: first?.field ?? 'body', details: { errors: faults } });
}
