/**
 * Feedback end to end on both stores (docs/customer-service.md#feedback): solving a ticket sends
 * exactly one CSAT question over real SMTP to a recording inbox, as research and without marketing;
 * its signed link records one answer through the public page (a second is refused, a forged or
 * expired link too); an NPS survey goes only to the sampled customers research by e-mail allows
 * (not to one who objected to research or opted out of e-mail for it, nor to a non-customer); the
 * same seed draws the same sample; the results count per agent, queue and month.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DevInbox, type InboxMessage } from '../../channels/email/dev-inbox.ts';
import { feedbackDeps, ticketDeps, type App } from '../../composition-root.ts';
import type { MessageSender } from '../../core/email-message.ts';
import type { Customer, CustomerId, Instant, OrderId, Sku } from '../../core/records.ts';
import { buildServer } from '../../http/server.ts';
import { headerOf, inboxSender } from '../../../test/support/sending.ts';
import { describeEachStore } from '../../../test/support/stores.ts';
import { changeTicket, openTicket } from '../tickets/tickets.ts';
import { sendNpsSurvey } from './nps.ts';
import { feedbackResults } from './results.ts';

const AT = '2026-12-01T08:00:00.000Z' as Instant;
let clock = Date.parse(AT);
const now = (): Instant => new Date(clock).toISOString() as Instant;

function person(id: string, email: string, locale = 'fi', phone?: string): Customer {
  return { id: id as CustomerId, kind: 'person', name: `Test ${id}`, emails: [email], phones: phone === undefined ? [] : [phone], address: null, locale, createdAt: AT, updatedAt: AT };
}

describeEachStore(
  'feedback: CSAT after a solved ticket, NPS to a decided sample, results',
  (ctx) => {
    const inbox = new DevInbox(500);
    const files = mkdtempSync(join(tmpdir(), 'lupa-feedback-files-'));
    let app: App;
    let sender: MessageSender;
    let server: FastifyInstance;

    beforeAll(async () => {
      app = { ...ctx.app, config: { ...ctx.app.config, LUPA_TICKET_FILES_DIR: files, LUPA_SUPPORT_ADDRESS: 'tuki@lupa.test' } };
      sender = inboxSender(app, (await inbox.start('127.0.0.1', 0)).port);
      server = await buildServer(app, { mailer: sender });
      await app.stores.catalogue.upsertProduct({ sku: 'HS-7' as Sku, name: 'Helsingin Sanomat 7 pv', category: 'news' } as never);
      const customers = [person('C-AINO', 'aino@example.fi', 'fi', '+358401111111'), person('C-OBJ', 'obj@example.fi', 'fi', '+358402222222'), person('C-OPT', 'opt@example.fi', 'sv', '+358403333333'), person('C-NEW', 'new@example.fi'), person('C-EERO', 'eero@example.fi', 'en')];
      for (const c of customers) await app.stores.customers.insertCustomer(c);
      // Everyone but C-NEW has ordered: an existing customer (rule 11).
      for (const id of ['C-AINO', 'C-OBJ', 'C-OPT', 'C-EERO']) {
        await app.stores.catalogue.upsertOrder({ id: `O-${id}` as OrderId, customerId: id as CustomerId, sku: 'HS-7' as Sku, startedAt: '2025-01-01T00:00:00.000Z' as Instant, endedAt: null, soldVia: 'web', optOutOffered: true } as never);
      }
      const common = { at: '2026-11-01T00:00:00.000Z' as Instant, source: 'preference_page', noticeVersion: null, noticeLocale: null, evidenceRef: null } as const;
      await app.stores.ledger.append([
        // The objection to research: a research withdrawal on no channel, i.e. every channel.
        { kind: 'consent', customerId: 'C-OBJ' as CustomerId, purpose: 'research', channel: null, value: 'withdrawn', ...common },
        // E-mail only: research by e-mail withdrawn.
        { kind: 'consent', customerId: 'C-OPT' as CustomerId, purpose: 'research', channel: 'email', value: 'withdrawn', ...common },
      ] as never);
    });
    afterAll(async () => {
      await server.close();
      await sender.close();
      await inbox.stop();
      rmSync(files, { recursive: true, force: true });
    });

    const tickets = () => ticketDeps({ ...app, now }, () => sender);
    const feedback = () => feedbackDeps({ ...app, now }, () => sender);
    const messagesTo = async (address: string): Promise<InboxMessage[]> => {
      const out: InboxMessage[] = [];
      for (const s of await inbox.list()) if (s.envelopeTo.includes(address)) out.push((await inbox.get(s.id)) as InboxMessage);
      return out;
    };
    const tokenIn = (m: InboxMessage | undefined): string => /\/f\/([A-Za-z0-9_-]+)/.exec(m?.text ?? '')?.[1] ?? '';
    const page = (token: string, method: 'GET' | 'POST' = 'GET', form?: Record<string, string>) =>
      server.inject({ method, url: `/f/${token}`, ...(form === undefined ? {} : { headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(form).toString() }) });

    it('sends exactly one CSAT question when a ticket is solved, as research without marketing, and its link records one answer', async () => {
      const { ticket } = await openTicket(tickets(), { channel: 'email', contact: 'aino@example.fi', contactName: 'Aino', subject: 'Lehti ei tullut', body: 'Hei' });
      await changeTicket(tickets(), ticket.id, { assignee: 'u-agent', queue: 'delivery' });
      await changeTicket(tickets(), ticket.id, { status: 'solved' });
      // Reopened and solved again: no second question.
      await changeTicket(tickets(), ticket.id, { status: 'open' });
      await changeTicket(tickets(), ticket.id, { status: 'closed' });
      const mails = await messagesTo('aino@example.fi');
      expect(mails).toHaveLength(1);
      const mail = mails[0];
      expect(mail?.subject).toContain(`#${ticket.id}`);
      expect(headerOf(mail as InboxMessage, 'list-unsubscribe')).toBeUndefined();
      expect(headerOf(mail as InboxMessage, 'feedback-id')).toMatch(/research/);
      const request = await app.stores.feedback.ofTicket(ticket.id);
      expect(request).toMatchObject({ kind: 'csat', state: 'sent', basis: 'legitimate_interest', reasons: ['LEGITIMATE_INTEREST'], agent: 'u-agent', queue: 'delivery' });

      const token = tokenIn(mail);
      const shown = await page(token);
      expect(shown.statusCode).toBe(200);
      expect(shown.body).toContain('Kuinka tyytyväinen');
      expect(shown.body).toContain('name="score" value="5"');
      // A GET records nothing.
      expect((await app.stores.feedback.ofTicket(ticket.id))?.answeredAt).toBeNull();
      expect((await page(token, 'POST', { score: '4', comment: ' Nopea apu ' })).statusCode).toBe(200);
      expect(await app.stores.feedback.ofTicket(ticket.id)).toMatchObject({ score: 4, comment: 'Nopea apu' });
      const again = await page(token, 'POST', { score: '1', comment: 'toinen' });
      expect(again.statusCode).toBe(409);
      expect(again.body).toContain('Ensimmäinen vastaus jää voimaan');
      expect(await app.stores.feedback.ofTicket(ticket.id)).toMatchObject({ score: 4, comment: 'Nopea apu' });
      // A forged token: one character of the tag changed.
      const forged = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
      expect((await page(forged)).statusCode).toBe(404);
      expect((await page(forged, 'POST', { score: '5' })).statusCode).toBe(404);
    });

    it('refuses an answer after the link expired, and gives an unknown requester no question', async () => {
      const { ticket } = await openTicket(tickets(), { channel: 'email', contact: 'eero@example.fi', contactName: 'Eero', subject: 'Address', body: 'Moving' });
      await changeTicket(tickets(), ticket.id, { status: 'solved' });
      const [mail] = await messagesTo('eero@example.fi');
      expect(mail?.subject).toContain('How did we do?');
      clock += (app.config.LUPA_FEEDBACK_LINK_DAYS + 1) * 86_400_000;
      try {
        const expiredServer = await buildServer({ ...app, now }, { mailer: sender });
        const res = await expiredServer.inject({ method: 'POST', url: `/f/${tokenIn(mail)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'score=5' });
        await expiredServer.close();
        expect(res.statusCode).toBe(410);
        expect(res.body).toContain('survey has closed');
      } finally {
        clock = Date.parse(AT);
      }
      expect((await app.stores.feedback.ofTicket(ticket.id))?.answeredAt).toBeNull();

      const { ticket: stranger } = await openTicket(tickets(), { channel: 'email', contact: 'vieras@example.com', contactName: null, subject: 'Hei', body: 'Kysymys' });
      await changeTicket(tickets(), stranger.id, { status: 'solved' });
      expect(await messagesTo('vieras@example.com')).toHaveLength(0);
      expect(await app.stores.feedback.ofTicket(stranger.id)).toBeNull();
    });

    it('sends the NPS survey only where research by e-mail is allowed, and the same seed draws the same sample', async () => {
      const outcome = await sendNpsSurvey(feedback(), { size: 5, seed: 'nps-test', channel: 'email', by: 'analyst' });
      expect(outcome.survey.drawn).toBe(5);
      expect(outcome.sent).toBe(2);
      expect(outcome.skipped).toBe(3);
      expect(outcome.reasons).toEqual({ CONSENT_WITHDRAWN: 2, NO_LEGAL_BASIS: 1 });
      for (const address of ['obj@example.fi', 'opt@example.fi', 'new@example.fi']) {
        expect((await messagesTo(address)).filter((m) => /suosittel|rekommendera|recommend/i.test(m.subject))).toHaveLength(0);
      }
      const [npsMail] = (await messagesTo('aino@example.fi')).filter((m) => m.subject.includes('suosittelisitko'));
      expect(npsMail).toBeDefined();
      expect(headerOf(npsMail as InboxMessage, 'list-unsubscribe')).toBeUndefined();
      // Answer it: 10 (a promoter).
      expect((await page(tokenIn(npsMail), 'POST', { score: '10' })).statusCode).toBe(200);
      expect((await page(tokenIn(npsMail), 'POST', { score: '11' })).statusCode).toBe(409);

      // Two samples of 2 with one seed are the same customers; the order is md5(seed:id) on either store.
      const a = await sendNpsSurvey(feedback(), { size: 2, seed: 'same', channel: 'email', by: 'analyst' });
      const b = await sendNpsSurvey(feedback(), { size: 2, seed: 'same', channel: 'email', by: 'analyst' });
      expect(a.sent + a.skipped + a.failed).toBe(2);
      expect([b.sent, b.skipped, b.reasons]).toEqual([a.sent, a.skipped, a.reasons]);
    });

    it('sends the NPS survey by SMS through the gateway where research by SMS is allowed, and refuses SMS without a gateway', async () => {
      const texts: { to: string; body: string }[] = [];
      const sms = { send: async (m: { to: string; body: string }) => void texts.push(m) };
      const outcome = await sendNpsSurvey({ ...feedback(), sms }, { size: 5, seed: 'sms', channel: 'sms', by: 'analyst' });
      // C-OPT withdrew research by e-mail only: SMS is allowed. C-OBJ said no to research on every channel.
      expect(texts.map((t) => t.to).sort()).toEqual(['+358401111111', '+358403333333']);
      expect(texts.find((t) => t.to === '+358403333333')?.body).toMatch(/^Hur sannolikt .* Svara: http\S+\/f\/\S+ /);
      expect(outcome).toMatchObject({ sent: 2, skipped: 3 });
      expect(outcome.reasons).toMatchObject({ CONSENT_WITHDRAWN: 1, NO_ADDRESS: 2 });
      await expect(sendNpsSurvey(feedback(), { size: 5, channel: 'sms', by: 'analyst' })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    });

    it('counts the results per agent, queue and month, and withholds scores of a group under the minimum', async () => {
      const csat = await feedbackResults({ feedback: app.stores.feedback, minGroup: 1 }, { kind: 'csat' }, 'agent');
      expect(csat.total).toMatchObject({ sent: 2, answered: 1, responseRate: 0.5, average: 4 });
      expect(csat.groups.map((g) => [g.key, g.sent, g.answered])).toEqual([
        ['(none)', 1, 0],
        ['u-agent', 1, 1],
      ]);
      expect(csat.groups[1]?.distribution).toEqual({ 1: 0, 2: 0, 3: 0, 4: 1, 5: 0 });
      const byQueue = await feedbackResults({ feedback: app.stores.feedback, minGroup: 1 }, { kind: 'csat', queue: 'delivery' }, 'queue');
      expect(byQueue.groups).toHaveLength(1);
      const nps = await feedbackResults({ feedback: app.stores.feedback, minGroup: 1 }, { kind: 'nps', fromMonth: '2026-12', toMonth: '2026-12' }, 'month');
      expect(nps.groups[0]).toMatchObject({ key: '2026-12', answered: 1, npsScore: 100 });
      const withheld = await feedbackResults({ feedback: app.stores.feedback, minGroup: 5 }, { kind: 'csat' }, 'all');
      expect(withheld.total).toMatchObject({ answered: 1, withheld: true, average: null, distribution: null });
      const none = await feedbackResults({ feedback: app.stores.feedback, minGroup: 1 }, { kind: 'csat', fromMonth: '2027-01' }, 'month');
      expect(none.groups).toEqual([]);
    });
  },
  { now },
);
