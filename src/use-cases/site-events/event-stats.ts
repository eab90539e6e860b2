/**
 * `lupa events stats`: the sites' events over a time range, per site, page, slot and event name,
 * those kept per visitor (with `site_ads` consent) beside those only counted (without it). Counts
 * only: no visitor or customer is named.
 */
import type { Instant } from '../../core/records.ts';
import type { EventCount, SiteEventStore } from '../../core/site-events/site-events.ts';

export interface EventStatsRow {
  site: string;
  page: string;
  slot: string;
  name: string;
  withConsent: number;
  withoutConsent: number;
}

/** Rows sorted by all events, most first; `from` ≤ time < `to`. */
export async function eventStats(events: SiteEventStore, q: { from: Instant; to: Instant; site?: string }): Promise<EventStatsRow[]> {
  const [consented, counted] = await Promise.all([events.consentedCounts(q), events.counts(q)]);
  const rows = new Map<string, EventStatsRow>();
  const add = (c: EventCount, field: 'withConsent' | 'withoutConsent'): void => {
    const key = `${c.site}\u0000${c.page}\u0000${c.slot}\u0000${c.name}`;
    const row = rows.get(key) ?? { site: c.site, page: c.page, slot: c.slot, name: c.name, withConsent: 0, withoutConsent: 0 };
    row[field] += c.count;
    rows.set(key, row);
  };
  for (const c of consented) add(c, 'withConsent');
  for (const c of counted) add(c, 'withoutConsent');
  return [...rows.values()].sort((a, b) => b.withConsent + b.withoutConsent - (a.withConsent + a.withoutConsent) || a.page.localeCompare(b.page) || a.name.localeCompare(b.name));
}
