/**
 * Where a customer's mail goes, on both stores: an answer to a solved ticket reopens it (its
 * resolution clock runs again), an auto-reply joins without changing anything, and an answer to a
 * closed ticket opens a new one.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { SupportMail } from '../../bounces/support-mail.ts';
import { ticketDeps } from '../../composition-root.ts';
import { describeEachStore } from '../../../test/support/stores.ts';
import { receiveSupportMail } from './inbound-support-mail.ts';
import { changeTicket } from './tickets.ts';

const mail = (over: Partial<SupportMail>): SupportMail => ({ from: 'aino@example.fi', fromName: null, subject: 'Lehti', messageId: null, refersTo: [], text: 'Hei', attachments: [], automatic: false, deliveryReport: false, ...over });

describeEachStore('a customer’s mail to the support address', (ctx) => {
  it('reopens a solved ticket, is left alone by an auto-reply, and starts anew after a close', async () => {
    const app = { ...ctx.app, config: { ...ctx.app.config, LUPA_TICKET_FILES_DIR: mkdtempSync(join(tmpdir(), 'lupa-tf-')) } };
    const deps = ticketDeps(app);
    const opened = await receiveSupportMail(deps, mail({ messageId: '<a1@example.fi>' }));
    expect(opened.opened).toBe(true);
    const first = { ...opened, ticketId: opened.ticketId ?? 0 };
    await changeTicket(deps, first.ticketId, { status: 'solved' });
    expect((await deps.tickets.get(first.ticketId))?.solvedAt).not.toBeNull();

    const auto = await receiveSupportMail(deps, mail({ refersTo: ['<a1@example.fi>'], text: 'Olen lomalla.', automatic: true }));
    expect(auto).toEqual({ ticketId: first.ticketId, opened: false });
    expect(await deps.tickets.get(first.ticketId)).toMatchObject({ status: 'solved' });

    await receiveSupportMail(deps, mail({ refersTo: ['<a1@example.fi>'], text: 'Ei se tullutkaan.' }));
    expect(await deps.tickets.get(first.ticketId)).toMatchObject({ status: 'open', solvedAt: null });
    expect((await deps.tickets.messages(first.ticketId)).map((m) => m.body)).toEqual(['Hei', 'Olen lomalla.', 'Ei se tullutkaan.']);

    await changeTicket(deps, first.ticketId, { status: 'closed' });
    const after = await receiveSupportMail(deps, mail({ refersTo: ['<a1@example.fi>'], text: 'Vielä yksi asia.' }));
    expect(after.opened).toBe(true);
    expect(after.ticketId).not.toBe(first.ticketId);
  });

  it('takes a delivery report for no one’s request: a note on the ticket whose reply bounced, else nothing', async () => {
    const app = { ...ctx.app, config: { ...ctx.app.config, LUPA_TICKET_FILES_DIR: mkdtempSync(join(tmpdir(), 'lupa-tf-')) } };
    const deps = ticketDeps(app);
    const ticket = await receiveSupportMail(deps, mail({ messageId: '<b1@example.fi>', from: 'eero@example.fi' }));
    const id = ticket.ticketId ?? 0;
    const stray = await receiveSupportMail(deps, mail({ from: 'mailer-daemon@relay.example', subject: 'Undelivered Mail Returned to Sender', refersTo: ['<never-ours@x>'], deliveryReport: true, automatic: true }));
    expect(stray).toEqual({ ticketId: null, opened: false });
    const bounced = await receiveSupportMail(deps, mail({ from: 'mailer-daemon@relay.example', subject: 'Undelivered', refersTo: ['<b1@example.fi>'], text: '552 mailbox full', deliveryReport: true, automatic: true }));
    expect(bounced).toEqual({ ticketId: id, opened: false });
    const messages = await deps.tickets.messages(id);
    expect(messages.at(-1)).toMatchObject({ author: 'note', body: expect.stringContaining('552 mailbox full') });
    expect(await deps.tickets.get(id)).toMatchObject({ status: 'new' });
  });
});
