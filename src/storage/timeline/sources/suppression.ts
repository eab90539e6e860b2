/**
 * Timeline source: suppressions of the customer's addresses (the address `decide` matches on each
 * channel: e-mail, phone for SMS and calls, the postal key), with the time of their lift if any.
 */
import { sql } from 'kysely';
import { CHANNELS } from '../../../core/vocabulary.ts';
import { addressColumn } from '../../audience-facts.ts';
import { keysetPage, type TimelineSource } from '../source.ts';

// Channel names and columns are the vocabulary's constants, never input.
const OF_CUSTOMER = CHANNELS.flatMap((ch) => {
  const column = addressColumn(ch);
  return column === null ? [] : [`(x.channel = '${ch}' AND x.address = ${column})`];
}).join(' OR ');

export const suppressions: TimelineSource = {
  kind: 'suppression',
  read: (db, q) =>
    keysetPage(
      db
        .selectFrom('suppressions as x')
        .innerJoin('customers as c', (join) => join.on(sql.raw<boolean>(`(${OF_CUSTOMER})`)))
        .where('c.id', '=', q.customerId)
        .select([
          'x.channel',
          'x.address',
          'x.reason',
          'x.source',
          'x.valid_until as validUntil',
          sql<string | null>`(SELECT MIN(k.at) FROM suppression_lifts k WHERE k.suppression_id = x.id)`.as('liftedAt'),
        ]),
      'suppression',
      { at: 'x.at', id: 'x.id' },
      q,
    ).execute(),
};
