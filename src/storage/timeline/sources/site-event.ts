/**
 * Timeline source: what the customer did on the sites (a page view, an event), signed in or before
 * signing in on the same browser. Only events of visitors who consented to site tracking are kept
 * per visitor at all (compliance.md §2 rule 9, docs/sites-and-ads.md#site-events); the rest are
 * counts that name no one, so they never reach a timeline.
 */
import { keysetPage, type TimelineSource } from '../source.ts';

export const siteEvents: TimelineSource = {
  kind: 'site_event',
  read: (db, q) =>
    keysetPage(
      db.selectFrom('site_events as e').where('e.customer_id', '=', q.customerId).select(['e.site', 'e.type', 'e.name', 'e.page', 'e.slot']),
      'site_event',
      { at: 'e.at', id: 'e.id' },
      q,
    ).execute(),
};
