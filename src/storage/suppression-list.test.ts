/** The suppression list as a person works it, on both stores: manual entries with a note, lifts with a note, the search. */
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import type { Instant } from '../core/records.ts';
import type { SuppressionFilter } from '../core/suppression-list.ts';
import { describeEachStore } from '../../test/support/stores.ts';

const T1 = '2025-03-01T00:00:00.000Z' as Instant;
const T2 = '2025-04-01T00:00:00.000Z' as Instant;

describeEachStore('the suppression list', (ctx) => {
  const store = () => ctx.app.stores.suppressions;

  it('stores a manual entry with its note, and a lift with its note beside it, the entry unchanged', async () => {
    const added = await store().add({ channel: 'email', address: 'kirje@example.fi', reason: 'manual', at: T1, validUntil: null, source: 'user_dpo', note: 'Asked by letter' });
    const before = await store().entry(added.id);
    expect(before).toMatchObject({ reason: 'manual', note: 'Asked by letter', source: 'user_dpo', lift: null, liftedAt: null });
    await store().lift({ suppressionId: added.id, at: T2, source: 'user_dpo', evidenceRef: null, note: 'Letter withdrawn by phone' });
    expect(await store().entry(added.id)).toEqual({ ...before, liftedAt: T2, lift: { at: T2, recordedAt: expect.any(String), source: 'user_dpo', note: 'Letter withdrawn by phone' } });
    // The row itself is as it was: a lift is a row of its own.
    const db = ctx.app.database.db;
    const rows = await sql<{ note: string | null; reason: string }>`SELECT note, reason FROM suppressions WHERE id = ${added.id}`.execute(db);
    expect(rows.rows).toEqual([{ note: 'Asked by letter', reason: 'manual' }]);
    await expect(sql`INSERT INTO suppression_lifts (suppression_id, at, recorded_at, source) VALUES (${added.id}, ${T2}, ${T2}, 'sql')`.execute(db)).rejects.toThrow(
      /SUPPRESSION_LIFT_NEEDS_NOTE/,
    );
    expect(await store().entry(999_999)).toBeNull();
  });

  it('searches newest first by address prefix or exact address, channel, reason and state, a page at a time', async () => {
    const add = (channel: 'email' | 'sms', address: string, reason: 'manual' | 'hard_bounce' | 'unsubscribe', source: string) =>
      store().add({ channel, address, reason, at: T1, validUntil: null, source, note: reason === 'manual' ? 'why' : null });
    const a = await add('email', 'haku.anna@example.fi', 'manual', 's1');
    const b = await add('email', 'haku.anna@example.com', 'hard_bounce', 's2');
    const c = await add('email', 'haku.bertta@example.fi', 'unsubscribe', 's3');
    const d = await add('sms', '+358401230001', 'manual', 's4');
    await store().lift({ suppressionId: b.id, at: T2, source: 'user_dpo', evidenceRef: null, note: 'fixed' });
    const ids = async (filter: SuppressionFilter, after: number | null = null, limit = 50) => (await store().search(filter, { after, limit })).map((e) => e.id);
    expect(await ids({ address: { value: 'haku.anna@', match: 'prefix' } })).toEqual([b.id, a.id]);
    expect(await ids({ address: { value: 'haku.', match: 'prefix' } })).toEqual([c.id, b.id, a.id]);
    expect(await ids({ address: { value: 'haku.anna@example.fi', match: 'exact' } })).toEqual([a.id]);
    expect(await ids({ address: { value: 'haku.anna', match: 'exact' } })).toEqual([]);
    expect(await ids({ address: { value: '+35840123', match: 'prefix' }, channel: 'sms' })).toEqual([d.id]);
    expect(await ids({ address: { value: 'haku.', match: 'prefix' }, reason: 'manual' })).toEqual([a.id]);
    expect(await ids({ address: { value: 'haku.', match: 'prefix' }, state: 'lifted' })).toEqual([b.id]);
    expect(await ids({ address: { value: 'haku.', match: 'prefix' }, state: 'active' })).toEqual([c.id, a.id]);
    expect(await ids({ channel: 'sms' })).toContain(d.id);
    expect(await ids({ channel: 'email' })).not.toContain(d.id);
    // Keyset pages: every entry once.
    const first = await ids({ address: { value: 'haku.', match: 'prefix' } }, null, 2);
    const second = await ids({ address: { value: 'haku.', match: 'prefix' } }, first[1] ?? null, 2);
    expect([...first, ...second]).toEqual([c.id, b.id, a.id]);
  });
});
