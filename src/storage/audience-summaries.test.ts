/**
 * A summary may be stale, never wrong: after a refresh, every kind of write that changes a
 * customer's answer (ledger, order, customer address, suppression, product category) must show in
 * the audience at once, before any further refresh.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/stores.ts';
import type { Customer, CustomerId, Instant, OrderId, Sku } from '../core/records.ts';
import { audienceCounts } from '../use-cases/audience.ts';
import { categoryBit } from './audience-summaries.ts';

const AT = '2026-06-01T00:00:00.000Z' as Instant;
const created = '2026-01-01T00:00:00.000Z' as Instant;

function person(id: string, email: string): Customer {
  return { id: id as CustomerId, kind: 'person', name: id, emails: [email], phones: [], address: null, locale: 'fi', createdAt: created, updatedAt: created };
}

describeEachStore('audience summaries follow every write at once', (ctx) => {
  const counts = async (sku: string | null = null) =>
    audienceCounts({ ...ctx.app.stores, settings: ctx.app.settings }, { purpose: 'marketing', channel: 'email', sku: sku as Sku | null, at: AT, filter: {} });

  beforeAll(async () => {
    const s = ctx.app.stores;
    await s.catalogue.upsertProduct({ sku: 'DAILY' as Sku, name: 'Daily', brand: null, category: 'daily' });
    await s.catalogue.upsertProduct({ sku: 'OTHER' as Sku, name: 'Other', brand: null, category: 'daily' });
    await s.customers.insertCustomer(person('K1', 'k1@example.fi'));
    await s.customers.insertCustomer(person('K2', 'k2@example.fi'));
    await s.ledger.append([
      { kind: 'consent', customerId: 'K1' as CustomerId, purpose: 'marketing', channel: 'email', value: 'granted', at: created, source: 'web', noticeVersion: null, noticeLocale: null, evidenceRef: null },
    ]);
    // K2: soft opt-in from an active order with the opt-out offered.
    await s.catalogue.upsertOrder({ id: 'O2' as OrderId, customerId: 'K2' as CustomerId, sku: 'OTHER' as Sku, startedAt: created, endedAt: null, soldVia: 'web', optOutOffered: true });
  });

  it('a refresh summarises every customer once, then nothing is left', async () => {
    expect(await ctx.app.stores.audience.refreshSummaries()).toBe(2);
    expect(await ctx.app.stores.audience.refreshSummaries()).toBe(0);
    const c = await counts('DAILY');
    expect(c.byBasis).toEqual({ consent: 1, soft_opt_in: 1 });
  });

  describe('without another refresh', () => {
    it('a withdrawal in the ledger', async () => {
      await ctx.app.stores.ledger.append([
        { kind: 'consent', customerId: 'K1' as CustomerId, purpose: 'marketing', channel: 'email', value: 'withdrawn', at: '2026-02-01T00:00:00.000Z' as Instant, source: 'web', noticeVersion: null, noticeLocale: null, evidenceRef: null },
      ]);
      expect((await counts()).blocked.CONSENT_WITHDRAWN).toBe(1);
    });

    it('a product moved to another category', async () => {
      await ctx.app.stores.audience.refreshSummaries();
      await ctx.app.stores.catalogue.upsertProduct({ sku: 'OTHER' as Sku, name: 'Other', brand: null, category: 'magazine' });
      expect((await counts('DAILY')).blocked.NOT_SIMILAR_PRODUCT).toBe(1);
    });

    it('an order ended long ago', async () => {
      await ctx.app.stores.catalogue.upsertProduct({ sku: 'OTHER' as Sku, name: 'Other', brand: null, category: 'daily' });
      await ctx.app.stores.audience.refreshSummaries();
      await ctx.app.stores.catalogue.upsertOrder({ id: 'O2' as OrderId, customerId: 'K2' as CustomerId, sku: 'OTHER' as Sku, startedAt: created, endedAt: '2026-01-02T00:00:00.000Z' as Instant, soldVia: 'web', optOutOffered: true });
      // Ended within the soft opt-in window: still allowed; the window is what the summary keeps.
      expect((await counts('DAILY')).byBasis.soft_opt_in).toBe(1);
      await ctx.app.stores.catalogue.upsertOrder({ id: 'O2' as OrderId, customerId: 'K2' as CustomerId, sku: 'OTHER' as Sku, startedAt: '2020-01-01T00:00:00.000Z' as Instant, endedAt: '2020-02-01T00:00:00.000Z' as Instant, soldVia: 'web', optOutOffered: true });
      expect((await counts('DAILY')).blocked.RELATIONSHIP_ENDED).toBe(1);
    });

    it('a suppression of the address, and a change of address away from it', async () => {
      await ctx.app.stores.ledger.append([
        { kind: 'consent', customerId: 'K1' as CustomerId, purpose: 'marketing', channel: 'email', value: 'granted', at: '2026-03-01T00:00:00.000Z' as Instant, source: 'web', noticeVersion: null, noticeLocale: null, evidenceRef: null },
      ]);
      await ctx.app.stores.audience.refreshSummaries();
      expect((await counts()).byBasis.consent).toBe(1);
      await ctx.app.stores.suppressions.add({ channel: 'email', address: 'k1@example.fi', reason: 'unsubscribe', at: '2026-04-01T00:00:00.000Z' as Instant, validUntil: null, source: 'test' });
      expect((await counts()).blocked.SUPPRESSED).toBe(1);
      await ctx.app.stores.audience.refreshSummaries();
      await ctx.app.stores.customers.updateCustomer({ ...person('K1', 'k1-new@example.fi'), updatedAt: AT });
      expect((await counts()).byBasis.consent).toBe(1);
      expect((await counts()).blocked.SUPPRESSED).toBeUndefined();
      await ctx.app.stores.audience.refreshSummaries();
      await ctx.app.stores.customers.updateCustomer({ ...person('K2', 'k1@example.fi'), updatedAt: AT });
      expect((await counts()).blocked.SUPPRESSED).toBe(1);
    });

    it('a new customer', async () => {
      await ctx.app.stores.audience.refreshSummaries();
      await ctx.app.stores.customers.insertCustomer({ ...person('K3', 'k3@example.fi'), kind: 'business' });
      expect((await counts()).byBasis.legitimate_interest).toBe(1);
      expect((await counts()).evaluated).toBe(3);
    });

    it('the audience filter applies to summarised customers too', async () => {
      await ctx.app.stores.audience.refreshSummaries();
      await ctx.app.stores.customers.updateCustomer({ ...person('K2', 'k1@example.fi'), locale: 'sv', updatedAt: AT });
      await ctx.app.stores.audience.refreshSummaries();
      const deps = { ...ctx.app.stores, settings: ctx.app.settings };
      const byLocale = async (locale: string) =>
        audienceCounts(deps, { purpose: 'marketing', channel: 'email', sku: null, at: AT, filter: { attribute: { name: 'locale', value: locale } } });
      expect((await byLocale('sv')).evaluated).toBe(1);
      expect((await byLocale('fi')).evaluated).toBe(2);
    });
  });
});

describeEachStore('audience summaries: a category sharing the bit of another', (ctx) => {
  // Find a category name whose hash bit is the same as "daily"'s: the bit then says "maybe".
  const twin = Array.from({ length: 10_000 }, (_, i) => `twin-${i}`).find((name) => categoryBit(name) === categoryBit('daily'));

  it('does not make an order in the other category similar', async () => {
    expect(twin).toBeDefined();
    const s = ctx.app.stores;
    await s.catalogue.upsertProduct({ sku: 'DAILY' as Sku, name: 'Daily', brand: null, category: 'daily' });
    await s.catalogue.upsertProduct({ sku: 'TWIN' as Sku, name: 'Twin', brand: null, category: twin ?? 'twin' });
    await s.customers.insertCustomer(person('T1', 't1@example.fi'));
    await s.catalogue.upsertOrder({ id: 'T1-O' as OrderId, customerId: 'T1' as CustomerId, sku: 'TWIN' as Sku, startedAt: created, endedAt: null, soldVia: 'web', optOutOffered: true });
    await s.audience.refreshSummaries();
    const counts = await audienceCounts({ ...s, settings: ctx.app.settings }, { purpose: 'marketing', channel: 'email', sku: 'DAILY' as Sku, at: AT, filter: {} });
    expect(counts.blocked.NOT_SIMILAR_PRODUCT).toBe(1);
    expect(counts.byBasis.soft_opt_in).toBeUndefined();
  });
});
