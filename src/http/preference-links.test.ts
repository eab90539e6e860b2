/**
 * Preference links expire, unsubscribe links never do, and an expired link's page sends a fresh
 * link by e-mail to the address on record: over real SMTP into the development inbox, at most one
 * per customer per LUPA_PREFERENCE_LINK_RESEND_MINUTES.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { DevInbox, type InboxMessage } from '../channels/email/dev-inbox.ts';
import { createEmailSender } from '../composition-root.ts';
import type { EmailMessage, MessageSender } from '../core/email-message.ts';
import type { CustomerId, Instant } from '../core/records.ts';
import { toInstant } from '../core/time.ts';
import { bindReport } from '../use-cases/bounce-binding.ts';
import { preferencesUrl, unsubscribeUrl } from '../use-cases/unsubscribe.ts';
import { describeEachStore } from '../../test/support/stores.ts';
import { buildServer } from './server.ts';

const DAY = 86_400_000;
const MINUTE = 60_000;
const T0 = '2025-01-01T00:00:00.000Z' as Instant;
const form = { 'content-type': 'application/x-www-form-urlencoded' };

/** The clock of the app under test: starts at the real time (when the store was migrated), moved by the tests. */
let clock = Date.now();
const now = (): Instant => toInstant(clock);

/** The sender the server uses: the real SMTP sender into the inbox, made to refuse on demand. */
class SwitchableSender implements MessageSender {
  refuse = false;
  constructor(private readonly inner: MessageSender) {}
  async send(message: EmailMessage) {
    if (this.refuse) throw Object.assign(new Error('relay down'), { responseCode: 421 });
    return this.inner.send(message);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

describeEachStore(
  'preference links expire and a fresh one is sent on request; unsubscribe links never expire',
  (ctx) => {
    const inbox = new DevInbox();
    let sender: SwitchableSender;
    let server: FastifyInstance;
    const start = Date.now();
    const path = (url: string): string => url.replace(ctx.app.publicUrl, '');
    const days = (): number => ctx.app.config.LUPA_PREFERENCE_LINK_DAYS;
    const get = (url: string) => server.inject({ method: 'GET', url });
    const post = (url: string, payload = '') => server.inject({ method: 'POST', url, headers: form, payload });
    const mails = async (): Promise<InboxMessage[]> => Promise.all((await inbox.list()).map(async (m) => (await inbox.get(m.id)) as InboxMessage));
    const legacyIssuedAt = (): Promise<Instant> => ctx.app.stores.preferenceLinks.legacyLinksIssuedAt();

    beforeAll(async () => {
      const s = ctx.app.stores;
      const person = (id: string, emails: string[], locale: string) =>
        s.customers.insertCustomer({ id: id as CustomerId, kind: 'person', name: 'Aino Virtanen', emails, phones: [], address: null, locale, createdAt: T0, updatedAt: T0 });
      await person('L1', ['l1@example.fi'], 'fi');
      await person('L2', ['l2@example.fi'], 'sv');
      await person('L3', [], 'en');
      await person('L4', ['l4@example.fi'], 'en');
      await person('L5', ['l5@example.fi'], 'fi');
      await person('L6', ['l6@example.fi'], 'fi');
      await s.suppressions.add({ channel: 'email', address: 'l4@example.fi', reason: 'hard_bounce', at: T0, validUntil: null, source: 'dsn' });
      const { port } = await inbox.start('127.0.0.1', 0);
      // The sender the composition root makes, pointed at the inbox.
      sender = new SwitchableSender(createEmailSender({ ...ctx.app, config: { ...ctx.app.config, LUPA_SMTP_URL: `smtp://127.0.0.1:${port}` } }));
      server = await buildServer(ctx.app, { mailer: sender });
    });
    afterAll(async () => {
      await server.close();
      await sender.close();
      await inbox.stop();
    });
    beforeEach(() => {
      clock = start;
      sender.refuse = false;
      inbox.clear();
    });

    it(`works for LUPA_PREFERENCE_LINK_DAYS (90 by default) from when it was made, then shows a page offering a fresh link`, async () => {
      expect(days()).toBe(90);
      const url = path(preferencesUrl(ctx.app.signer, ctx.app.publicUrl, 'L1', now()));
      clock = start + 90 * DAY - MINUTE;
      expect((await get(url)).statusCode).toBe(200);
      clock = start + 90 * DAY + MINUTE;
      const res = await get(url);
      expect(res.statusCode).toBe(410);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain('<html lang="fi">');
      expect(res.body).toContain('Linkki on vanhentunut');
      expect(res.body).toContain('Lähetä minulle uusi linkki');
      expect(res.body).toMatch(/<form method="post" action="\/p\/[^"]+\/renew\?lang=fi">/);
      // Whoever holds an old link learns nothing about the person, and a GET sends nothing.
      expect(res.body).not.toContain('Aino');
      expect(res.body).not.toContain('l1@example.fi');
      expect(await inbox.list()).toHaveLength(0);
    });

    it('shows the expired page in the person’s language, or the one asked for', async () => {
      clock = start - 200 * DAY;
      const url = path(preferencesUrl(ctx.app.signer, ctx.app.publicUrl, 'L2', now()));
      clock = start;
      const sv = await get(url);
      expect(sv.body).toContain('<html lang="sv">');
      expect(sv.body).toContain('Länken har gått ut');
      expect(sv.body).toContain('Skicka mig en ny länk');
      const en = await get(`${url}?lang=en`);
      expect(en.body).toContain('This link has expired');
      expect(en.body).toContain('Send me a new link');
      expect(en.body).toContain('/renew?lang=en');
    });

    it('treats a link made before links carried their time as made when this version first ran on the store', async () => {
      // The spelling of every link sent before: no issue time in the token.
      const legacy = `/p/${ctx.app.signer.signLegacy('preferences', ['L1'])}`;
      const since = Date.parse(await legacyIssuedAt());
      expect(Math.abs(since - start)).toBeLessThan(10 * 60_000);
      clock = since + 90 * DAY - MINUTE;
      expect((await get(legacy)).statusCode).toBe(200);
      clock = since + 90 * DAY + MINUTE;
      expect((await get(legacy)).statusCode).toBe(410);
    });

    it('saves nothing from the form of an expired link', async () => {
      const url = path(preferencesUrl(ctx.app.signer, ctx.app.publicUrl, 'L1', now()));
      clock = start + 91 * DAY;
      const before = (await ctx.app.stores.ledger.historyOf('L1' as CustomerId)).length;
      const res = await post(url, 'marketing.email=granted');
      expect(res.statusCode).toBe(410);
      expect((await ctx.app.stores.ledger.historyOf('L1' as CustomerId)).length).toBe(before);
    });

    it('sends a fresh link to the address on record as a service message, in the page’s language, that works', async () => {
      const old = path(preferencesUrl(ctx.app.signer, ctx.app.publicUrl, 'L2', toInstant(start - 100 * DAY)));
      const res = await post(`${old}/renew?lang=sv`);
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('Vi har skickat en ny länk');
      expect(res.body).not.toContain('l2@example.fi');
      const [mail, ...more] = await mails();
      expect(more).toHaveLength(0);
      expect(mail?.envelopeTo).toEqual(['l2@example.fi']);
      expect(mail?.to).toContain('l2@example.fi');
      expect(mail?.subject).toBe('Ny länk till dina marknadsföringsinställningar');
      expect(mail?.text).toContain('Länken gäller i 90 dagar');
      // A notice of Lupa's own: its own Message-ID and plain return path, no unsubscribe headers.
      expect(mail?.envelopeFrom).toBe(`notices@${ctx.app.config.LUPA_BOUNCE_DOMAIN}`);
      expect(mail?.headers.find((h) => h.name === 'message-id')?.value).toMatch(new RegExp(`^<n\\.[0-9a-f-]{36}@${ctx.app.config.LUPA_MAIL_DOMAIN.replace(/\./g, '\\.')}>$`));
      expect(mail?.headers.some((h) => h.name === 'list-unsubscribe')).toBe(false);
      const fresh = /https?:\/\/[^\s"]+\/p\/[A-Za-z0-9_-]+/.exec(mail?.text ?? '')?.[0];
      expect(fresh).toBeDefined();
      const page = await get(path(fresh ?? ''));
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Marknadsföringsinställningar');
      // The fresh link is dated now: it expires 90 days from the request, not from the old link.
      clock = start + 90 * DAY + MINUTE;
      expect((await get(path(fresh ?? ''))).statusCode).toBe(410);
    });

    it('sends at most one fresh link per customer per LUPA_PREFERENCE_LINK_RESEND_MINUTES, also when asked for at once', async () => {
      const renew = `${path(preferencesUrl(ctx.app.signer, ctx.app.publicUrl, 'L5', toInstant(start - 100 * DAY)))}/renew`;
      const answers = await Promise.all([post(renew), post(renew), post(renew)]);
      expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 429, 429]);
      expect(answers.find((r) => r.statusCode === 429)?.body).toContain('aikaisintaan 10 minuutin kuluttua');
      expect(await inbox.list()).toHaveLength(1);
      clock = start + 9 * MINUTE;
      expect((await post(renew)).statusCode).toBe(429);
      // Another customer is not held up by this one.
      expect((await post(`${path(preferencesUrl(ctx.app.signer, ctx.app.publicUrl, 'L6', toInstant(start - 100 * DAY)))}/renew`)).statusCode).toBe(200);
      clock = start + 10 * MINUTE;
      expect((await post(renew)).statusCode).toBe(200);
      expect((await mails()).map((m) => m.envelopeTo[0]).sort()).toEqual(['l5@example.fi', 'l5@example.fi', 'l6@example.fi']);
    });

    it('gives the turn back when the hand-off fails, so that the person can ask again at once', async () => {
      clock = start + 1000 * DAY;
      const renew = `${path(preferencesUrl(ctx.app.signer, ctx.app.publicUrl, 'L1', toInstant(start)))}/renew`;
      sender.refuse = true;
      const failed = await post(renew);
      expect(failed.statusCode).toBe(500);
      expect(failed.headers['content-type']).toMatch(/^text\/html/);
      sender.refuse = false;
      expect((await post(renew)).statusCode).toBe(200);
      expect(await inbox.list()).toHaveLength(1);
    });

    it('sends nothing to a customer without an address, or to an address that bounced hard, and says so', async () => {
      for (const id of ['L3', 'L4']) {
        const res = await post(`${path(preferencesUrl(ctx.app.signer, ctx.app.publicUrl, id, toInstant(start - 100 * DAY)))}/renew`);
        expect(res.statusCode).toBe(200);
        expect(res.body).toContain('we have no working e-mail address for you');
      }
      expect(await inbox.list()).toHaveLength(0);
    });

    it('answers a bad token with the error page and sends nothing', async () => {
      const good = preferencesUrl(ctx.app.signer, ctx.app.publicUrl, 'L1', now()).split('/p/')[1] ?? '';
      for (const token of ['not-a-token', `${good}=`, `${good}A`, ctx.app.signer.sign('unsubscribe', ['L1', 'email'])]) {
        const res = await post(`/p/${encodeURIComponent(token)}/renew`);
        expect(res.statusCode).toBe(404);
        expect(res.body).toContain('Linkki ei ole voimassa');
      }
      expect(await inbox.list()).toHaveLength(0);
    });

    it('keeps an unsubscribe link working for good, also one made before links carried their time', async () => {
      const made = unsubscribeUrl(ctx.app.signer, ctx.app.publicUrl, 'L6', 'email', 7, toInstant(start - 5 * 365 * DAY));
      const legacy = `/u/${ctx.app.signer.signLegacy('unsubscribe', ['L1', 'email'])}`;
      clock = start + 20 * 365 * DAY;
      for (const url of [path(made), legacy]) {
        expect((await get(url)).statusCode).toBe(200);
        const res = await post(url, 'List-Unsubscribe=One-Click');
        expect(res.statusCode).toBe(200);
        expect(res.body).toContain('Emme enää lähetä markkinointia');
      }
    });

    it('offers on the unsubscribe page a preference link that expires with the message’s own', async () => {
      const made = path(unsubscribeUrl(ctx.app.signer, ctx.app.publicUrl, 'L1', 'email', 7, toInstant(start)));
      const preferencesOn = async (): Promise<string> => /href="(\/p\/[^"]+)"/.exec((await get(made)).body)?.[1] ?? '';
      clock = start + 89 * DAY;
      expect((await get(await preferencesOn())).statusCode).toBe(200);
      clock = start + 91 * DAY;
      // Opened later, the old message's unsubscribe page does not hand out a working preference link.
      expect((await get(await preferencesOn())).statusCode).toBe(410);
    });

    it('holds a bounce of a fresh-link notice instead of binding it to a delivery', async () => {
      const binding = await bindReport(
        { deliveries: ctx.app.stores.deliveries, signer: ctx.app.signer },
        {
          envelopeTo: [`notices@${ctx.app.config.LUPA_BOUNCE_DOMAIN}`],
          original: { returnPath: `notices@${ctx.app.config.LUPA_BOUNCE_DOMAIN}`, messageId: `<n.00000000-0000-4000-8000-000000000001@${ctx.app.config.LUPA_MAIL_DOMAIN}>` },
        },
      );
      expect(binding).toEqual({ held: 'unbound' });
    });

    it('refuses a form larger than the pages take before reading it', async () => {
      const url = path(preferencesUrl(ctx.app.signer, ctx.app.publicUrl, 'L1', now()));
      const res = await post(url, `marketing.email=granted&x=${'a'.repeat(20 * 1024)}`);
      expect(res.statusCode).toBe(413);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
    });
  },
  { now },
);
