/**
 * Calls as stored, on both stores: "don't call me" and its opt-out are one write (an unknown
 * customer stores neither), a telephony system's id is stored once, and the database itself
 * refuses a recording that started before its notice.
 */
import { expect, it } from 'vitest';
import type { NewCall } from '../../core/calls/call.ts';
import type { CustomerId, Instant } from '../../core/records.ts';
import { describeEachStore } from '../../../test/support/stores.ts';

const AT = '2026-03-01T10:00:00.000Z' as Instant;
const call = (over: Partial<NewCall> = {}): NewCall => ({
  direction: 'outbound',
  agent: 'agent-1',
  customerId: 'S1' as CustomerId,
  number: '+358401000001',
  startedAt: AT,
  endedAt: null,
  queue: null,
  callList: 'list',
  purpose: 'telesales',
  outcome: 'do_not_call',
  callbackAt: null,
  externalId: null,
  recordedBy: 'test',
  ...over,
});

describeEachStore('call records as stored', (ctx) => {
  it('stores "don’t call me" with its opt-out, and neither for an unknown customer', async () => {
    const s = ctx.app.stores;
    await s.customers.insertCustomer({ id: 'S1' as CustomerId, kind: 'person', name: 'S1', emails: [], phones: [], address: null, locale: null, createdAt: AT, updatedAt: AT });
    await expect(s.calls.insert(call({ customerId: 'S404' as CustomerId }))).rejects.toMatchObject({ code: 'UNKNOWN_CUSTOMER' });
    expect(await s.calls.ofCustomer('S404' as CustomerId, 10)).toEqual([]);

    const { call: first } = await s.calls.insert(call());
    const { call: second } = await s.calls.insert(call({ startedAt: '2026-03-02T10:00:00.000Z' as Instant }));
    expect((await s.ledger.historyOf('S1' as CustomerId)).map((r) => r.evidenceRef)).toEqual([`call:${first.id}`, `call:${second.id}`]);
    expect((await s.calls.ofCustomer('S1' as CustomerId, 10)).map((c) => c.id)).toEqual([second.id, first.id]);
  });

  it('stores a call with the telephony system’s id once', async () => {
    const s = ctx.app.stores;
    const a = await s.calls.insert(call({ outcome: 'reached', externalId: 'pbx-9' }));
    const b = await s.calls.insert(call({ outcome: 'reached', externalId: 'pbx-9' }));
    expect([a.created, b.created, b.call.id]).toEqual([true, false, a.call.id]);
  });

  it('has the database refuse a recording that started before its notice', async () => {
    const s = ctx.app.stores;
    const { call: c } = await s.calls.insert(call({ outcome: 'reached' }));
    const recording = { callId: c.id, customerId: c.customerId, format: 'wav' as const, bytes: 10, startedAt: AT, retentionEndsAt: AT, attachedAt: AT, attachedBy: 'test' };
    await expect(s.calls.addRecording({ ...recording, noticePlayedAt: '2026-03-01T10:00:01.000Z' as Instant, fileKey: 'a.lrec' })).rejects.toThrow();
    expect((await s.calls.addRecording({ ...recording, noticePlayedAt: AT, fileKey: 'b.lrec' })).fileKey).toBe('b.lrec');
    expect(await s.calls.recordingsOf([c.id])).toHaveLength(1);
  });
});
