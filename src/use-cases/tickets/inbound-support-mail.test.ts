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

const mail = (over: Partial<SupportMail>): SupportMail => ({ from: 'aino@example.fi', fromName: null, subject: 'Lehti', messageId: null, refersTo: [], text: 'Hei', attachments: [], automatic: false, ...over });

describeEachStore('a customer’s mail to the support address', (ctx) => {
  it('reopens a solved ticket, is left alone by an auto-reply, and starts anew after a close', async () => {
    const app = { ...ctx.app, config: { ...ctx.app.config, LUPA_TICKET_FILES_DIR: mkdtempSync(join(tmpdir(), 'lupa-tf-')) } };
    const deps = ticketDeps(app);
    const first = await receiveSupportMail(deps, mail({ messageId: '<a1@example.fi>' }));
    expect(first.opened).toBe(true);
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
});
