/**
 * Timeline source: a campaign's message to the customer, as of when it was decided: its campaign,
 * state (sent, skipped with its reason codes, failed, …), when it went out, its bounce, and the
 * first open and click a person made (machine hits left out).
 */
import { sql } from 'kysely';
import { keysetPage, type TimelineSource } from '../source.ts';

const firstHit = (kind: 'open' | 'click') =>
  sql<string | null>`(SELECT MIN(t.at) FROM tracking_events t WHERE t.delivery_id = d.id AND t.kind = ${kind} AND NOT t.machine)`;

export const messages: TimelineSource = {
  kind: 'message',
  read: (db, q) =>
    keysetPage(
      db
        .selectFrom('deliveries as d')
        .innerJoin('campaigns as k', 'k.id', 'd.campaign_id')
        .where('d.customer_id', '=', q.customerId)
        .select([
          'k.id as campaignId',
          'k.name as campaign',
          'k.purpose',
          'k.channel',
          'd.state',
          'd.reasons',
          'd.sent_at as sentAt',
          'd.bounce',
          firstHit('open').as('openedAt'),
          firstHit('click').as('clickedAt'),
        ]),
      'message',
      { at: 'd.created_at', id: 'd.id' },
      q,
    ).execute(),
  summary: ({ reasons, ...rest }) => ({ ...(rest as Record<string, string | number | null>), reasons: reasonCodes(reasons) }),
};

/** The stored reason codes: a comma list, as decided at launch. */
function reasonCodes(value: unknown): string[] {
  return typeof value === 'string' && value !== '' ? value.split(',') : [];
}
