/**
 * The feedback routes (docs/customer-service.md#feedback): the analyst and the DPO read aggregate
 * results and a marketer nothing; the comments are read by the DPO only, each answer listed audited;
 * an agent sees the CSAT of the tickets assigned to them and is refused another's; an analyst sends
 * an NPS survey to a sample.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROLES, type Role } from '../core/access.ts';
import type { EmailMessage, MessageSender } from '../core/email-message.ts';
import type { CustomerId, Instant, OrderId, Sku } from '../core/records.ts';
import { createApiKey } from '../use-cases/api-keys.ts';
import { describeEachStore } from '../../test/support/stores.ts';
import { buildServer } from './server.ts';

const NOW = '2026-12-01T09:00:00.000Z' as Instant;

describeEachStore(
  'feedback routes',
  (ctx) => {
    const sent: EmailMessage[] = [];
    const mailer: MessageSender = { send: async (m) => (sent.push(m), { messageId: `<n.${m.noticeId ?? ''}@lupa.test>`, response: '250' }), close: async () => undefined };
    let server: FastifyInstance;
    const keys: Partial<Record<Role, string>> = {};
    const ids: Partial<Record<Role, string>> = {};
    beforeAll(async () => {
      server = await buildServer(ctx.app, { mailer });
      for (const role of ROLES) {
        const created = await createApiKey({ apiKeys: ctx.app.stores.apiKeys, now: ctx.app.now }, { name: role, role });
        keys[role] = created.key;
        ids[role] = created.id;
      }
      const app = ctx.app;
      await app.stores.catalogue.upsertProduct({ sku: 'HS-7' as Sku, name: 'HS 7 pv', category: 'news' } as never);
      for (const id of ['R1', 'R2']) {
        await app.stores.customers.insertCustomer({ id: id as CustomerId, kind: 'person', name: `Test ${id}`, emails: [`${id.toLowerCase()}@example.fi`], phones: [], address: null, locale: 'fi', createdAt: NOW, updatedAt: NOW });
        await app.stores.catalogue.upsertOrder({ id: `O${id}` as OrderId, customerId: id as CustomerId, sku: 'HS-7' as Sku, startedAt: '2025-01-01T00:00:00.000Z' as Instant, endedAt: null, soldVia: 'web', optOutOffered: true } as never);
      }
    });
    afterAll(() => server.close());
    const as = (role: Role) => ({ authorization: `Bearer ${keys[role] ?? ''}` });

    it('asks the CSAT question when an agent solves a ticket, shows it to the assigned agent and the DPO, audited, and to no other agent', async () => {
      const opened = await server.inject({ method: 'POST', url: '/v1/tickets', headers: as('agent'), payload: { customerId: 'R1', subject: 'Lasku', body: 'Eräpäivä' } });
      const id = opened.json<{ id: number }>().id;
      await server.inject({ method: 'PATCH', url: `/v1/tickets/${id}`, headers: as('agent'), payload: { assignee: ids.agent, status: 'solved' } });
      const csat = sent.filter((m) => m.feedback.templateId === 'lupa-csat-question');
      expect(csat.map((m) => [m.to, m.feedback.purpose, m.unsubscribe])).toEqual([['r1@example.fi', 'research', null]]);

      const own = await server.inject({ method: 'GET', url: `/v1/tickets/${id}/feedback`, headers: as('agent') });
      expect(own.statusCode).toBe(200);
      expect(own.json()).toMatchObject({ feedback: { kind: 'csat', state: 'sent', basis: 'legitimate_interest', score: null } });
      expect((await ctx.app.stores.audit.forCustomer('R1' as CustomerId)).map((e) => e.action)).toContain('feedback.read');

      const other = await server.inject({ method: 'POST', url: '/v1/tickets', headers: as('agent'), payload: { customerId: 'R2', subject: 'Osoite', body: 'Muutto' } });
      const otherId = other.json<{ id: number }>().id;
      await server.inject({ method: 'PATCH', url: `/v1/tickets/${otherId}`, headers: as('agent'), payload: { assignee: 'someone-else', status: 'solved' } });
      expect((await server.inject({ method: 'GET', url: `/v1/tickets/${otherId}/feedback`, headers: as('agent') })).statusCode).toBe(403);
      expect((await server.inject({ method: 'GET', url: `/v1/tickets/${otherId}/feedback`, headers: as('dpo') })).statusCode).toBe(200);
      expect((await server.inject({ method: 'GET', url: `/v1/tickets/${otherId}/feedback`, headers: as('marketer') })).statusCode).toBe(403);

      // The customer answers; the DPO reads the comment, audited; the analyst sees aggregates only.
      const request = await ctx.app.stores.feedback.ofTicket(id);
      await ctx.app.stores.feedback.answer(request?.id ?? 0, 2, 'Hidas vastaus', ctx.app.now());
      const comments = await server.inject({ method: 'GET', url: '/v1/feedback/comments?kind=csat', headers: as('dpo') });
      expect(comments.json<{ answers: { comment: string }[] }>().answers.map((a) => a.comment)).toEqual(['Hidas vastaus']);
      expect((await ctx.app.stores.audit.forCustomer('R1' as CustomerId)).map((e) => e.action)).toContain('feedback.comments');
      expect((await server.inject({ method: 'GET', url: '/v1/feedback/comments', headers: as('analyst') })).statusCode).toBe(403);
      const results = await server.inject({ method: 'GET', url: '/v1/feedback/results?kind=csat&by=agent', headers: as('analyst') });
      expect(results.statusCode).toBe(200);
      expect(results.json()).toMatchObject({ total: { sent: 2, answered: 1, withheld: true, average: null }, minGroup: 5 });
      expect((await server.inject({ method: 'GET', url: '/v1/feedback/results', headers: as('marketer') })).statusCode).toBe(403);
      expect((await server.inject({ method: 'GET', url: '/v1/feedback/results?from=2026-13', headers: as('analyst') })).statusCode).toBe(400);
    });

    it('sends an NPS survey for the analyst, refuses it to an agent, and refuses a size and a fraction together', async () => {
      const res = await server.inject({ method: 'POST', url: '/v1/feedback/nps-surveys', headers: as('analyst'), payload: { size: 2, seed: 'api' } });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ survey: { drawn: 2, seed: 'api', createdBy: ids.analyst }, sent: 2, skipped: 0 });
      expect((await server.inject({ method: 'POST', url: '/v1/feedback/nps-surveys', headers: as('agent'), payload: { size: 2 } })).statusCode).toBe(403);
      const both = await server.inject({ method: 'POST', url: '/v1/feedback/nps-surveys', headers: as('analyst'), payload: { size: 2, fraction: 0.5 } });
      expect([both.statusCode, both.json<{ error: string }>().error]).toEqual([400, 'VALIDATION_FAILED']);
    });
  },
  { now: () => NOW },
);
