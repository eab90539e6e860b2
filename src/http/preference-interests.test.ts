/**
 * The preference page's interests, as a person uses them: topics ticked and unticked become stated
 * records (appended, never edited); "what we think interests you" lists the inferred topics, each
 * removable, and a removed one stays away after the next inference; a person who objected to
 * profiling is told nothing is inferred (compliance.md §2 rule 7).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CustomerId, Instant, OrderId, Sku } from '../core/records.ts';
import { preferencesUrl } from '../use-cases/unsubscribe.ts';
import { describeEachStore } from '../../test/support/stores.ts';
import { buildServer } from './server.ts';

const T0 = '2026-01-01T00:00:00.000Z' as Instant;
const NOW = '2026-03-01T00:00:00.000Z' as Instant;

describeEachStore(
  'interests on the preference page',
  (ctx) => {
    let server: FastifyInstance;
    const page = (id: string): string => preferencesUrl(ctx.app.signer, ctx.app.publicUrl, id, NOW).replace(ctx.app.publicUrl, '');
    const post = (url: string, body: string) => server.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: body });
    const stated = async (id: string) => (await ctx.app.stores.interests.interestsOf(id, NOW)).stated.map((s) => [s.topic, s.value, s.source]);

    beforeAll(async () => {
      const s = ctx.app.stores;
      for (const id of ['P1', 'P2']) {
        await s.customers.insertCustomer({ id: id as CustomerId, kind: 'person', name: `Aino ${id}`, emails: [`${id}@example.fi`], phones: [], address: null, locale: 'en', createdAt: T0, updatedAt: T0 });
      }
      await s.catalogue.upsertProduct({ sku: 'HOME' as Sku, name: 'Home', brand: null, category: 'magazine_home' });
      for (const id of ['P1', 'P2']) {
        await s.catalogue.upsertOrder({ id: `${id}-1` as OrderId, customerId: id as CustomerId, sku: 'HOME' as Sku, startedAt: T0, endedAt: '2026-01-20T00:00:00.000Z' as Instant, soldVia: 'web', optOutOffered: true });
      }
      await s.interests.refreshInferred(NOW, 180);
      server = await buildServer(ctx.app);
    });
    afterAll(async () => {
      await server.close();
    });

    it('shows the topics and what we think interests the person, each with a remove button', async () => {
      const html = (await server.inject({ method: 'GET', url: page('P1') })).body;
      expect(html).toContain('Topics that interest you');
      expect(html).toContain('<input type="checkbox" name="interest.sport">');
      expect(html).toContain('What we think interests you');
      expect(html).toMatch(/Home and garden <input type="hidden" name="remove" value="home_garden"><button type="submit" aria-label="Remove: Home and garden">Remove<\/button>/);
    });

    it('records ticked and unticked topics as stated interests, only those that changed', async () => {
      const url = page('P1');
      const first = await post(url, 'interests=shown&interest.sport=on&interest.history=on');
      expect(first.statusCode).toBe(200);
      expect(first.body).toContain('<input type="checkbox" name="interest.sport" checked>');
      expect((await stated('P1')).sort()).toEqual([['history', 'interested', 'preference_page'], ['sport', 'interested', 'preference_page']]);
      await post(url, 'interests=shown&interest.sport=on');
      expect((await stated('P1')).sort()).toEqual([['history', 'not_interested', 'preference_page'], ['sport', 'interested', 'preference_page']]);
      // The same form again writes nothing: records are appended only for a change.
      const before = await ctx.app.database.db.selectFrom('stated_interests' as never).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      await post(url, 'interests=shown&interest.sport=on');
      const after = await ctx.app.database.db.selectFrom('stated_interests' as never).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
    });

    it('removes an inferred topic as a stated "not interested", and the next inference leaves it out', async () => {
      // One link for the whole test: every link made is spelt anew (sealed tokens carry a nonce).
      const p1 = page('P1');
      const removed = await post(`${p1}/interests?lang=en`, 'remove=home_garden');
      // Post/Redirect/Get: the page comes back at its own address, which its form sends to.
      expect(removed.statusCode).toBe(303);
      expect(removed.headers.location).toBe(`${p1}?lang=en&removed=home_garden`);
      const shown = await server.inject({ method: 'GET', url: removed.headers.location as string });
      expect(shown.body).toContain('Removed: Home and garden.');
      expect(shown.body).not.toContain('value="home_garden"');
      expect(shown.body).toContain(`<form method="post" action="${p1.replaceAll('&', '&amp;')}?lang=en">`);
      expect(await stated('P1')).toContainEqual(['home_garden', 'not_interested', 'preference_page']);
      await ctx.app.stores.interests.refreshInferred(NOW, 180);
      expect((await ctx.app.stores.interests.interestsOf('P1', NOW)).inferred).toEqual([]);
      expect((await post(`${p1}/interests`, 'remove=no_such_topic')).statusCode).toBe(400);
      // The address the browser shows after a removal, reloaded, leads back to the page.
      const reloaded = await server.inject({ method: 'GET', url: `${p1}/interests?lang=en` });
      expect(reloaded.statusCode).toBe(303);
      expect(reloaded.headers.location).toBe(`${p1}?lang=en`);
      expect((await server.inject({ method: 'GET', url: reloaded.headers.location as string })).statusCode).toBe(200);
    });

    it('says nothing is inferred for a person who objects to profiling, from the same save on', async () => {
      const res = await post(page('P2'), 'objections=shown&object.profiling=on');
      expect(res.body).toContain('You have objected to profiling or direct marketing, so we infer nothing about your interests.');
      expect(res.body).not.toContain('name="remove"');
      expect((await ctx.app.stores.interests.interestsOf('P2', NOW)).inferred).toEqual([]);
    });
  },
  { now: () => NOW },
);
