/** Timeline source: the customer's ledger records (consents, withdrawals, objections, opt-outs), as of when they were given. */
import { keysetPage, type TimelineSource } from '../source.ts';

export const ledgerRecords: TimelineSource = {
  kind: 'ledger',
  read: (db, q) =>
    keysetPage(
      db
        .selectFrom('ledger as l')
        .where('l.customer_id', '=', q.customerId)
        .select(['l.kind as recordKind', 'l.purpose', 'l.channel', 'l.value', 'l.source', 'l.notice_version as noticeVersion', 'l.recorded_at as recordedAt']),
      'ledger',
      { at: 'l.at', id: 'l.seq' },
      q,
    ).execute(),
};
