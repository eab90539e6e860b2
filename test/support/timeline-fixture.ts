/**
 * A customer's history across every timeline source, written straight into the tables (both
 * dialects): `events` entries in rounds over the sources, several sources sharing each time, so
 * paging must order equal times by kind and id. Used by the timeline's tests and `bench/timeline.ts`.
 */
import { sql, type Kysely } from 'kysely';
import type { TimelineTables } from '../../src/storage/timeline/source.ts';

/** Entries one round writes: one of each of the 15 sources' kinds. */
export const ROUND = 15;

export interface HistoryOptions {
  customerId: string;
  /** The customer's e-mail address as stored (the suppression is of this address). */
  email: string;
  /** Rounds of 15 entries (one per kind). */
  rounds: number;
  /** The newest round's time; each earlier round is a minute earlier, every 3rd round the same minute as the one after. */
  newest: number;
}

/** Writes the history; returns the number of entries the timeline has for the customer. */
export async function seedHistory(db: Kysely<TimelineTables>, o: HistoryOptions): Promise<number> {
  const at = (round: number) => new Date(o.newest - Math.floor(round / 3) * 60_000 * 2 - (round % 3 === 2 ? 60_000 : 0)).toISOString();
  const rounds = Array.from({ length: o.rounds }, (_, r) => ({ r, at: at(r), tag: `${o.customerId}-${r}` }));
  await db.insertInto('products').values({ sku: 'TL-SKU', name: 'Timeline Daily', brand: null, category: 'print' }).onConflict((c) => c.doNothing()).execute();
  const offer = await db
    .insertInto('offers')
    .values({ code: `TL-${o.customerId}`, name: 'Three months', sku: 'TL-SKU', price_cents: 990, currency: 'EUR', period_months: 3, channels: 'web,phone,email', valid_from: '2020-01-01T00:00:00.000Z', valid_until: null, segment_id: null, exclude_subscribed: 1, min_days_since_last_offer: 0, relationship: 'any', value_weight: null, explanation: '{"fi":"","sv":"","en":""}', priority: 100, created_at: '2020-01-01T00:00:00.000Z', created_by: 'test', updated_at: '2020-01-01T00:00:00.000Z' })
    .returning('id')
    .executeTakeFirstOrThrow();
  // PostgreSQL keeps site events in day partitions (migration 0040): the fixture's days need theirs.
  if (db.getExecutor().adapter.constructor.name === 'PostgresAdapter') {
    for (const day of new Set(rounds.map((r) => r.at.slice(0, 10)))) {
      const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      await sql.raw(`CREATE TABLE IF NOT EXISTS site_events_p${day.replaceAll('-', '')} PARTITION OF site_events FOR VALUES FROM ('${day}T00:00:00Z') TO ('${next}T00:00:00Z')`).execute(db);
    }
  }
  for (let from = 0; from < rounds.length; from += 200) {
    const batch = rounds.slice(from, from + 200);
    // order_started and order_ended: one order each round, ended at the same time it started.
    await db.insertInto('orders').values(batch.map((b) => ({ id: `O-${b.tag}`, customer_id: o.customerId, sku: 'TL-SKU', started_at: b.at, ended_at: b.at, sold_via: 'web', opt_out_offered: 0 }))).execute();
    await db
      .insertInto('ledger')
      .values(batch.map((b) => ({ customer_id: o.customerId, kind: 'consent', purpose: 'marketing', channel: 'email', value: b.r % 2 === 0 ? 'granted' : 'withdrawn', at: b.at, recorded_at: b.at, source: 'test', notice_version: null, notice_locale: null, evidence_ref: null, fingerprint: `fp-${b.tag}` })))
      .execute();
    await db.insertInto('suppressions').values(batch.map((b) => ({ channel: 'email', address: o.email, reason: 'unsubscribe', at: b.at, valid_until: null, recorded_at: b.at, source: 'test', fingerprint: `sx-${b.tag}` }))).execute();
    // One message per campaign and customer: a campaign each round.
    const campaigns = await db
      .insertInto('campaigns')
      .values(batch.map((b) => ({ name: `History ${b.r}`, purpose: 'marketing', channel: 'email', sku: null, filter: '{}', template_id: null, status: 'done', created_at: b.at, launched_at: null, as_of: null, from_name: null, from_address: null, per_second: null, send_at: null })))
      .returning('id')
      .execute();
    const deliveries = await db
      .insertInto('deliveries')
      .values(batch.map((b, k) => ({ campaign_id: campaigns[k]?.id ?? 0, customer_id: o.customerId, state: b.r % 2 === 0 ? 'sent' : 'skipped', basis: null, reasons: b.r % 2 === 0 ? '' : 'NO_CONSENT,SUPPRESSED', created_at: b.at, claimed_by: null, lease_until: null, sent_at: b.r % 2 === 0 ? b.at : null, message_id: null, last_error: null, bounce: null, not_before: null, sent_to: null })))
      .returning('id')
      .execute();
    await db.insertInto('tracking_events').values(deliveries.map((d, k) => ({ campaign_id: campaigns[k]?.id ?? 0, delivery_id: d.id, kind: 'open', link_idx: null, at: batch[k]?.at ?? '', machine: 0 }))).execute();
    const calls = await db
      .insertInto('calls')
      .values(batch.map((b) => ({ external_id: null, direction: 'outbound' as const, agent: 'agent-1', customer_id: o.customerId, number: '+358401000001', started_at: b.at, ended_at: null, queue: null, call_list: null, purpose: 'service' as const, outcome: 'reached' as const, callback_at: null, recorded_at: b.at, recorded_by: 'test' })))
      .returning('id')
      .execute();
    await db
      .insertInto('call_recordings')
      .values(calls.map((c, k) => ({ call_id: c.id, customer_id: o.customerId, format: 'wav' as const, bytes: 1000, started_at: batch[k]?.at ?? '', notice_played_at: batch[k]?.at ?? '', retention_ends_at: '2099-01-01T00:00:00.000Z', file_key: `rec-${batch[k]?.tag ?? k}`, attached_at: batch[k]?.at ?? '', attached_by: 'test' })))
      .execute();
    const tickets = await db
      .insertInto('tickets')
      .values(batch.map((b) => ({ customer_id: o.customerId, contact: o.email, contact_name: null, channel: 'email', subject: `Question ${b.r}`, status: 'solved', priority: 'normal', queue: 'support', assignee: null, tags: '[]', created_at: b.at, updated_at: b.at, first_response_due: b.at, first_responded_at: null, resolution_due: b.at, solved_at: b.at })))
      .returning('id')
      .execute();
    await db.insertInto('ticket_messages').values(tickets.map((t, k) => ({ ticket_id: t.id, author: 'customer', author_name: null, body: `Hello ${k}`, message_id: null, created_at: batch[k]?.at ?? '' }))).execute();
    await db.insertInto('offer_outcomes').values(batch.map((b) => ({ offer_id: offer.id, customer_id: o.customerId, channel: 'web', outcome: 'shown', at: b.at, recorded_at: b.at, source: 'test', campaign_id: null }))).execute();
    await db.insertInto('stated_interests').values(batch.map((b) => ({ customer_id: o.customerId, topic: 'news', value: 'interested', source: 'agent', actor: 'test', at: b.at, recorded_at: b.at }))).execute();
    // A sale on each round's call, waiting for the customer's written acceptance.
    await db
      .insertInto('phone_sales')
      .values(calls.map((c, k) => ({ call_id: c.id, customer_id: o.customerId, agent: 'agent-1', sku: 'TL-SKU', product_name: 'Timeline Daily', offer_id: null, offer_code: null, kind: 'fixed_term', period_months: 3, price_cents: 990, currency: 'EUR', regular_monthly_cents: null, basis: 'written_acceptance', request_evidence: null, delivery: 'email', delivered_to: o.email, created_at: batch[k]?.at ?? '', accept_by: '2099-01-01T00:00:00.000Z', state: 'pending', offer_sent_at: batch[k]?.at ?? '', offer_message_id: null, accepted_at: null, order_id: null, lapsed_at: null })))
      .execute();
    await db.insertInto('site_events').values(batch.map((b) => ({ at: b.at, site: 'paper.example', visitor_id: `v-${o.customerId}`, customer_id: o.customerId, type: 'page', name: 'page_view', page: `/news/${b.r}`, slot: null, props: null, client_at: null }))).execute();
    // A CSAT question for each round's ticket, every other one answered.
    await db
      .insertInto('feedback_requests')
      .values(tickets.map((t, k) => ({ kind: 'csat', ticket_id: t.id, survey_id: null, customer_id: o.customerId, channel: 'email', agent: null, queue: 'support', state: 'sent', basis: 'legitimate_interest', month: (batch[k]?.at ?? '').slice(0, 7), created_at: batch[k]?.at ?? '', sent_at: batch[k]?.at ?? '', expires_at: '2099-01-01T00:00:00.000Z', score: k % 2 === 0 ? 5 : null, comment: k % 2 === 0 ? 'Thanks' : null, answered_at: k % 2 === 0 ? (batch[k]?.at ?? '') : null })))
      .execute();
  }
  return rounds.length * ROUND;
}
