/**
 * The ticket routes: an agent works a ticket (reply sent as a service message, note never sent,
 * changes), the DPO reads it and the read is audited, a marketer sees none; the public support form
 * opens a ticket from a form post, drops spam (honeypot, too fast) without saying so, and limits
 * each IP.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROLES, type Role } from '../core/access.ts';
import type { EmailMessage, MessageSender } from '../core/email-message.ts';
import type { Instant } from '../core/records.ts';
import { createApiKey } from '../use-cases/api-keys.ts';
import { describeEachStore } from '../../test/support/stores.ts';
import { buildServer } from './server.ts';

const NOW = '2026-12-01T09:00:00.000Z' as Instant;

describeEachStore(
  'ticket routes',
  (ctx) => {
    const sent: EmailMessage[] = [];
    const mailer: MessageSender = { send: async (m) => (sent.push(m), { messageId: `<n.${m.noticeId ?? ''}@lupa.test>`, response: '250' }), close: async () => undefined };
    let server: FastifyInstance;
    const keys: Partial<Record<Role, string>> = {};
    beforeAll(async () => {
      server = await buildServer(ctx.app, { mailer });
      for (const role of ROLES) keys[role] = (await createApiKey({ apiKeys: ctx.app.stores.apiKeys, now: ctx.app.now }, { name: role, role })).key;
    });
    afterAll(() => server.close());
    const as = (role: Role) => ({ authorization: `Bearer ${keys[role] ?? ''}` });
    const form = (fields: Record<string, string>, ip = '10.0.0.1') =>
      server.inject({ method: 'POST', url: '/v1/support/requests', remoteAddress: ip, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString() });
    const human = { name: 'Aino Virtanen', email: 'Aino@Example.fi', subject: 'Lehti ei tullut', message: 'Tämän aamun lehti puuttuu.', website: '', startedAt: String(Date.parse(NOW) - 60_000) };

    it('opens a ticket from the form, and drops spam silently', async () => {
      expect((await form(human)).statusCode).toBe(202);
      // Honeypot filled, sent a second after the page showed it, no start time: the same answer, nothing kept.
      for (const [i, spam] of [{ ...human, website: 'http://spam' }, { ...human, startedAt: String(Date.parse(NOW) - 1000) }, { ...human, startedAt: '' }].entries()) {
        const res = await form(spam, `10.0.1.${i}`);
        expect([res.statusCode, res.json()]).toEqual([202, { received: true }]);
      }
      const list = await server.inject({ method: 'GET', url: '/v1/tickets', headers: as('agent') });
      expect(list.json<{ tickets: unknown[] }>().tickets).toEqual([expect.objectContaining({ channel: 'web', contact: 'aino@example.fi', subject: 'Lehti ei tullut', status: 'new', sla: expect.objectContaining({ overall: 'on_time' }) })]);
      const bad = await form({ ...human, email: 'not an address' }, '10.0.0.3');
      expect([bad.statusCode, bad.json<{ field?: string }>().field]).toEqual([400, 'email']);
    });

    it('limits each IP to LUPA_SUPPORT_FORM_PER_HOUR requests an hour', async () => {
      for (let i = 0; i < 2; i++) expect((await form({ ...human, website: 'x' }, '10.9.9.9')).statusCode).toBe(202);
      const third = await form({ ...human, website: 'x' }, '10.9.9.9');
      expect([third.statusCode, third.json<{ error: string }>().error]).toEqual([429, 'RATE_LIMITED']);
      expect((await form({ ...human, website: 'x' }, '10.9.9.10')).statusCode).toBe(202);
    });

    it('lets an agent reply (sent, as service) and note (not sent), and change the ticket', async () => {
      const [ticket] = (await server.inject({ method: 'GET', url: '/v1/tickets?status=new', headers: as('agent') })).json<{ tickets: { id: number }[] }>().tickets;
      const id = ticket?.id ?? 0;
      const note = await server.inject({ method: 'POST', url: `/v1/tickets/${id}/replies`, headers: as('agent'), payload: { body: 'Tarkista jakelureitti.', note: true } });
      expect([note.statusCode, note.json<{ author: string }>().author]).toEqual([201, 'note']);
      expect(sent).toHaveLength(0);
      const reply = await server.inject({ method: 'POST', url: `/v1/tickets/${id}/replies`, headers: as('agent'), payload: { body: 'Pahoittelut!' } });
      expect(reply.statusCode).toBe(201);
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({ to: 'aino@example.fi', unsubscribe: null, feedback: { purpose: 'service' }, replyTo: 'support@lupa.localhost', subject: `Re: Lehti ei tullut [#${id}]` });
      const changed = await server.inject({ method: 'PATCH', url: `/v1/tickets/${id}`, headers: as('agent'), payload: { status: 'solved', priority: 'high', tags: ['jakelu', 'jakelu', ' '] } });
      expect(changed.json()).toMatchObject({ status: 'solved', priority: 'high', tags: ['jakelu'], firstRespondedAt: NOW, solvedAt: NOW });
      expect(sent).toHaveLength(1);
    });

    it('lets an agent open a ticket for a phone call, for a customer that exists', async () => {
      const opened = await server.inject({ method: 'POST', url: '/v1/tickets', headers: as('agent'), payload: { channel: 'phone', contact: '040 123 4567', subject: 'Soitto', body: 'Asiakas soitti.' } });
      expect([opened.statusCode, opened.json()]).toEqual([201, expect.objectContaining({ channel: 'phone', contact: '+358401234567', status: 'new' })]);
      // Urgent: both clocks due sooner: 1 and 8 business hours from Tuesday 1 December 11:00 in Helsinki (5 h that day, 3 h on Wednesday).
      const urgent = await server.inject({ method: 'PATCH', url: `/v1/tickets/${opened.json<{ id: number }>().id}`, headers: as('agent'), payload: { priority: 'urgent' } });
      expect(urgent.json()).toMatchObject({ priority: 'urgent', firstResponseDue: '2026-12-01T10:00:00.000Z', resolutionDue: '2026-12-02T09:00:00.000Z' });
      const unknown = await server.inject({ method: 'POST', url: '/v1/tickets', headers: as('agent'), payload: { customerId: 'NOBODY', subject: 'x', body: 'y' } });
      expect([unknown.statusCode, unknown.json<{ error: string }>().error]).toEqual([404, 'UNKNOWN_CUSTOMER']);
      expect((await server.inject({ method: 'POST', url: '/v1/tickets', headers: as('marketer'), payload: { subject: 'x', body: 'y' } })).statusCode).toBe(403);
    });

    it('files a provider webhook’s mail as the SMTP receiver does: an answer joins its ticket', async () => {
      const hook = (payload: object, role: Role = 'agent') => server.inject({ method: 'POST', url: '/v1/webhooks/support-mail', headers: as(role), payload });
      const first = await hook({ from: 'Eino@Example.fi', subject: 'Lasku', text: 'Lasku on väärin.', messageId: '<E1@example.fi>', attachments: [{ fileName: 'lasku.pdf', contentType: 'application/pdf', contentBase64: Buffer.from('PDF').toString('base64') }] });
      expect([first.statusCode, first.json<{ opened: boolean }>().opened]).toEqual([200, true]);
      const id = first.json<{ ticketId: number }>().ticketId;
      const answer = await hook({ from: 'eino@example.fi', subject: 'Re: Lasku', text: 'Kiitos.', inReplyTo: '<e1@example.fi>' });
      expect(answer.json()).toEqual({ ticketId: id, opened: false });
      const shown = (await server.inject({ method: 'GET', url: `/v1/tickets/${id}`, headers: as('agent') })).json<{ messages: { attachments: { fileName: string }[] }[] }>();
      expect(shown.messages.map((m) => m.attachments.map((a) => a.fileName))).toEqual([['lasku.pdf'], []]);
      expect((await hook({ from: 'x@example.fi', text: 'x' }, 'marketer')).statusCode).toBe(403);
    });

    it('lets the DPO read a ticket, audited; a marketer sees none, and no one but agents writes', async () => {
      const id = 1;
      const read = await server.inject({ method: 'GET', url: `/v1/tickets/${id}`, headers: as('dpo') });
      expect(read.statusCode).toBe(200);
      expect(read.json<{ messages: { author: string }[] }>().messages.map((m) => m.author)).toEqual(['customer', 'note', 'agent']);
      const audit = await server.inject({ method: 'GET', url: '/v1/audit?action=tickets.read', headers: as('admin') });
      expect(JSON.stringify(audit.json())).toContain('"ticketId":1');
      for (const url of ['/v1/tickets', `/v1/tickets/${id}`]) expect((await server.inject({ method: 'GET', url, headers: as('marketer') })).statusCode).toBe(403);
      expect((await server.inject({ method: 'POST', url: `/v1/tickets/${id}/replies`, headers: as('dpo'), payload: { body: 'x' } })).statusCode).toBe(403);
      expect((await server.inject({ method: 'GET', url: '/v1/tickets/999', headers: as('agent') })).statusCode).toBe(404);
    });
  },
  { now: () => NOW, env: { LUPA_SUPPORT_FORM_PER_HOUR: '2', LUPA_TICKET_FILES_DIR: mkdtempSync(join(tmpdir(), 'lupa-ticket-files-')) } },
);
