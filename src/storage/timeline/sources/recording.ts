/** Timeline source: a call recording (its call, format, size and when it will be deleted); playing it is audited on its own. */
import { keysetPage, type TimelineSource } from '../source.ts';

export const recordings: TimelineSource = {
  kind: 'recording',
  read: (db, q) =>
    keysetPage(
      db
        .selectFrom('call_recordings as r')
        .where('r.customer_id', '=', q.customerId)
        .select(['r.call_id as callId', 'r.format', 'r.bytes', 'r.notice_played_at as noticePlayedAt', 'r.retention_ends_at as retentionEndsAt']),
      'recording',
      { at: 'r.started_at', id: 'r.id' },
      q,
    ).execute(),
};
