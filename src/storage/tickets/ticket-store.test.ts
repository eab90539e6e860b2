/**
 * Tickets as stored, on both stores: a ticket with its first message, a reply that changes the
 * ticket in the same write, the inbox newest first with its filters and pages, and finding a
 * ticket by the Message-IDs an answer refers to (case does not matter).
 */
import { expect, it } from 'vitest';
import type { Instant } from '../../core/records.ts';
import type { NewTicket } from '../../core/tickets/ticket.ts';
import { describeEachStore } from '../../../test/support/stores.ts';

const AT = '2026-12-01T08:00:00.000Z' as Instant;
const LATER = '2026-12-01T09:30:00.000Z' as Instant;

const ticket = (subject: string, queue = 'support'): NewTicket => ({
  customerId: null,
  contact: 'aino@example.fi',
  contactName: 'Aino',
  channel: 'email',
  subject,
  status: 'new',
  priority: 'normal',
  queue,
  assignee: null,
  tags: ['delivery'],
  createdAt: AT,
  firstResponseDue: '2026-12-01T16:00:00.000Z' as Instant,
  resolutionDue: '2026-12-08T08:00:00.000Z' as Instant,
});

describeEachStore('ticket store', (ctx) => {
  it('stores a ticket with its first message and attachments, and a reply with its change', async () => {
    const store = ctx.app.stores.tickets;
    const { ticket: t, message } = await store.create(ticket('Lehti ei tullut'), {
      author: 'customer',
      authorName: 'aino@example.fi',
      body: 'Lehti ei tullut tänään.',
      messageId: '<ABC@mail.example>',
      createdAt: AT,
      attachments: [{ fileName: 'kuva.png', contentType: 'image/png', bytes: 3, storedAs: 'x1' }],
    });
    expect(t).toMatchObject({ subject: 'Lehti ei tullut', status: 'new', tags: ['delivery'], firstRespondedAt: null, createdAt: AT });
    expect(message.attachments).toHaveLength(1);

    const reply = await store.addMessage(t.id, { author: 'agent', authorName: 'u1', body: 'Pahoittelut!', messageId: '<n.t1@lupa.test>', createdAt: LATER }, { status: 'waiting', firstRespondedAt: LATER }, LATER);
    expect(reply?.ticketId).toBe(t.id);
    expect(await store.get(t.id)).toMatchObject({ status: 'waiting', firstRespondedAt: LATER, updatedAt: LATER });
    const thread = await store.messages(t.id);
    expect(thread.map((m) => m.author)).toEqual(['customer', 'agent']);
    expect(thread[0]?.attachments.map((a) => a.fileName)).toEqual(['kuva.png']);
    const attachmentId = thread[0]?.attachments[0]?.id ?? 0;
    expect(await store.attachment(t.id, attachmentId)).toMatchObject({ storedAs: 'x1', bytes: 3 });
    expect(await store.attachment(t.id + 1, attachmentId)).toBeNull();

    expect(await store.ticketOfMessageIds(['<abc@MAIL.example>'])).toBe(t.id);
    expect(await store.ticketOfMessageIds(['<other@x>'])).toBeNull();
    expect(await store.addMessage(999_999, { author: 'note', authorName: 'u1', body: 'x', messageId: null, createdAt: LATER }, {}, LATER)).toBeNull();
  });

  it('lists newest first, by status and queue, a page at a time', async () => {
    const store = ctx.app.stores.tickets;
    const made = [];
    for (const [i, queue] of ['billing', 'billing', 'support'].entries()) {
      made.push((await store.create(ticket(`T${i}`, queue), { author: 'customer', authorName: null, body: 'x', messageId: null, createdAt: AT })).ticket.id);
    }
    await store.update(made[0] ?? 0, { status: 'solved', solvedAt: LATER }, LATER);
    const billing = await store.list({ queue: 'billing', limit: 10 });
    expect(billing.map((t) => t.id)).toEqual([made[1], made[0]]);
    expect((await store.list({ queue: 'billing', status: ['new', 'open'], limit: 10 })).map((t) => t.id)).toEqual([made[1]]);
    const first = await store.list({ limit: 2 });
    expect(first.map((t) => t.id)).toEqual([made[2], made[1]]);
    expect((await store.list({ limit: 2, before: made[1] }))[0]?.id).toBe(made[0]);
  });
});
