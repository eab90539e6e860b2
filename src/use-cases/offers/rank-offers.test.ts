/**
 * The next best offer on both stores: the eligibility rules (subscribed, a running trial, the
 * minimum time since the last showing, validity, segment, relationship), the decision engine's
 * veto (a Robinson-listed or phone-opted-out customer gets no phone offer), the non-personal
 * order without profiling, and outcomes with their acceptance rates (ignored derived).
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachStore } from '../../../test/support/stores.ts';
import type { App } from '../../composition-root.ts';
import type { OfferInput } from '../../core/offers/offer.ts';
import type { Customer, CustomerId, Instant, OrderId, Sku } from '../../core/records.ts';
import { createOffer, recordOutcome, requireOffer } from './offers.ts';
import { rankOffers, type OfferRanking } from './rank-offers.ts';

const T0 = '2026-01-01T00:00:00.000Z' as Instant;
const NOW = '2026-06-01T00:00:00.000Z' as Instant;
const DAY = 86_400_000;
const daysBefore = (n: number): Instant => new Date(Date.parse(NOW) - n * DAY).toISOString() as Instant;

const explanation = { fi: '{product} {period} hintaan {price}', sv: '{product} {period} för {price}', en: '{product} for {period} at {price}' };

function person(id: string, phone: string | null): Customer {
  return {
    id: id as CustomerId, kind: 'person', name: id, emails: [`${id.toLowerCase()}@example.fi`], phones: phone === null ? [] : [phone],
    address: { street: 'Katu 1', postalCode: '00100', city: 'Helsinki', country: 'FI' }, locale: 'en', createdAt: T0, updatedAt: T0,
  };
}

describeEachStore('next best offer', (ctx) => {
  let app: App;
  const deps = () => ({ ...app.stores, settings: app.settings, minGroup: 5, now: () => NOW });
  const rank = (id: string, channel: 'web' | 'phone' | 'email', explain = false): Promise<OfferRanking> =>
    rankOffers(deps(), { customerId: id as CustomerId, channel, at: NOW, explain });
  const codes = (r: OfferRanking): string[] => r.offers.map((o) => o.code);
  const offer = (code: string, sku: string, more: OfferInput = {}) =>
    createOffer(deps(), { code, name: code, sku, priceCents: 1290, periodMonths: 12, channels: ['web', 'phone', 'email'], validFrom: T0, explanation, ...more }, 'test');

  beforeAll(async () => {
    app = ctx.app;
    for (const [sku, category] of [['DAILY', 'daily'], ['DAILY-DIGI', 'daily'], ['HOME', 'magazine_home'], ['HOBBY', 'magazine_hobby']] as const) {
      await app.stores.catalogue.upsertProduct({ sku: sku as Sku, name: `Title ${sku}`, brand: null, category });
    }
    const order = (id: string, customer: string, sku: string, startedAt: Instant, endedAt: Instant | null) =>
      app.stores.catalogue.upsertOrder({ id: id as OrderId, customerId: customer as CustomerId, sku: sku as Sku, startedAt, endedAt, soldVia: 'web', optOutOffered: true });
    for (const [id, phone] of [['SUB', '+358401000001'], ['TRIAL', '+358401000002'], ['NEW', '+358401000003'], ['ROBIN', '+358401000004'], ['OPTOUT', '+358401000005'], ['OBJ', '+358401000006']] as const) {
      await app.stores.customers.insertCustomer(person(id, phone));
    }
    await order('o1', 'SUB', 'DAILY', T0, null);
    await order('o2', 'TRIAL', 'DAILY', daysBefore(20), daysBefore(-10));
    await order('o3', 'ROBIN', 'DAILY', T0, null);
    await order('o4', 'OPTOUT', 'DAILY', T0, null);
    await order('o5', 'OBJ', 'DAILY', daysBefore(300), daysBefore(250));
    await app.stores.suppressions.add({ channel: 'phone', address: '+358401000004', reason: 'robinson', at: T0, validUntil: null, source: 'asml' });
    const common = { at: T0, source: 'test', noticeVersion: null, noticeLocale: null, evidenceRef: null };
    await app.stores.ledger.append([
      { kind: 'consent', customerId: 'OPTOUT' as CustomerId, purpose: 'marketing', channel: 'phone', value: 'withdrawn', ...common },
      { kind: 'objection', customerId: 'OBJ' as CustomerId, scope: 'profiling', value: 'objected', ...common },
    ]);

    await offer('DAILY-12', 'DAILY', { priority: 10 });
    await offer('DIGI-12', 'DAILY-DIGI', { priority: 20, valueWeight: 500 });
    await offer('HOME-6', 'HOME', { priority: 5, periodMonths: 6, relationship: 'none' });
    await offer('HOBBY-WEB', 'HOBBY', { priority: 1, channels: ['web'], minDaysSinceLastOffer: 30, relationship: 'former' });
    await offer('OLD', 'HOBBY', { validUntil: daysBefore(1) });
    await offer('LATER', 'HOBBY', { validFrom: daysBefore(-5) });
  });

  it('leaves out the product a customer subscribes to, but offers it to one reading it on trial', async () => {
    const sub = await rank('SUB', 'phone', true);
    expect(codes(sub)).not.toContain('DAILY-12');
    expect(sub.notMade?.find((n) => n.code === 'DAILY-12')?.reasons).toEqual(['ALREADY_SUBSCRIBED']);
    expect(codes(await rank('TRIAL', 'phone'))).toContain('DAILY-12');
  });

  it('makes no offer outside its validity or channel, and only to the relationship it names', async () => {
    const sub = await rank('SUB', 'phone', true);
    expect(sub.notMade?.find((n) => n.code === 'OLD')?.reasons).toContain('OFFER_NOT_VALID');
    expect(sub.notMade?.find((n) => n.code === 'LATER')?.reasons).toContain('OFFER_NOT_VALID');
    expect(sub.notMade?.find((n) => n.code === 'HOBBY-WEB')?.reasons).toEqual(['OFFER_NOT_ON_CHANNEL', 'RELATIONSHIP']);
    // HOME-6 is for people who never subscribed: NEW has no order, SUB has one.
    expect(sub.notMade?.find((n) => n.code === 'HOME-6')?.reasons).toEqual(['RELATIONSHIP']);
    expect(codes(await rank('NEW', 'phone'))).toContain('HOME-6');
  });

  it('the offer shown on the phone is one the decision engine allows: none to a Robinson-listed or phone-opted-out customer', async () => {
    const robin = await rank('ROBIN', 'phone', true);
    expect(robin.offers).toEqual([]);
    expect(robin.notMade?.find((n) => n.code === 'DIGI-12')?.reasons).toContain('ROBINSON');
    const optOut = await rank('OPTOUT', 'phone', true);
    expect(optOut.offers).toEqual([]);
    expect(optOut.notMade?.find((n) => n.code === 'DIGI-12')?.reasons).toContain('CONSENT_WITHDRAWN');
    // The same people on the web (no phone number involved): the decision allows it.
    expect(codes(await rank('ROBIN', 'web'))).toContain('DIGI-12');
    // Every offer made on the phone rests on a basis the decision gave.
    for (const o of (await rank('TRIAL', 'phone')).offers) expect(o.basis).toBe('legitimate_interest');
  });

  it('ranks personally with a reason where profiling is allowed, in the default order without a reason where not', async () => {
    const trial = await rank('TRIAL', 'web');
    expect(trial.personal).toBe(true);
    const daily = trial.offers.find((o) => o.code === 'DAILY-12');
    expect(daily?.reason).toBe('reads Title DAILY on trial');
    expect(daily?.explanation).toBe('Title DAILY for 12 months at €12.90');
    // Acceptance × value: DIGI-12 (value 500) before DAILY-12 (value 154.8) at the same prior rate.
    expect(codes(trial).slice(0, 2)).toEqual(['DIGI-12', 'DAILY-12']);

    const objector = await rank('OBJ', 'web');
    expect(objector.personal).toBe(false);
    expect(objector.offers.every((o) => o.reason === null && o.acceptance === null)).toBe(true);
    expect(codes(objector)).toEqual(['HOBBY-WEB', 'DAILY-12', 'DIGI-12']);
  });

  it('shows an offer again only after its minimum days; counts outcomes and acceptance rates', async () => {
    const hobby = (await requireOffer(deps(), (await app.stores.offers.catalogue(NOW)).find((o) => o.code === 'HOBBY-WEB')?.id ?? 0));
    await recordOutcome(deps(), { offerId: hobby.id, customerId: 'OBJ' as CustomerId, channel: 'web', outcome: 'shown', source: 'site', at: daysBefore(10) });
    expect(codes(await rank('OBJ', 'web'))).not.toContain('HOBBY-WEB');
    await expect(recordOutcome(deps(), { offerId: hobby.id, customerId: 'OBJ' as CustomerId, channel: 'phone', outcome: 'shown', source: 'x' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', field: 'channel' });
    // An outcome is a record of what happened: not dated ahead, beyond a sender's clock a little fast.
    const ahead = (minutes: number) => new Date(Date.parse(NOW) + minutes * 60_000).toISOString() as Instant;
    await expect(recordOutcome(deps(), { offerId: hobby.id, customerId: 'OBJ' as CustomerId, channel: 'web', outcome: 'shown', source: 'x', at: ahead(60 * 24 * 365) })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', field: 'at' });
    expect(await recordOutcome(deps(), { offerId: hobby.id, customerId: 'OBJ' as CustomerId, channel: 'web', outcome: 'shown', source: 'x', at: ahead(2) })).toEqual({ at: NOW });

    const daily = (await app.stores.offers.catalogue(NOW)).find((o) => o.code === 'DAILY-12');
    const id = daily?.id ?? 0;
    const outcome = (customer: string, o: 'shown' | 'accepted' | 'declined', at: Instant) => recordOutcome(deps(), { offerId: id, customerId: customer as CustomerId, channel: 'phone', outcome: o, source: 'agent', at });
    await outcome('TRIAL', 'shown', daysBefore(3));
    await outcome('TRIAL', 'accepted', daysBefore(3));
    await outcome('NEW', 'shown', daysBefore(40));
    await outcome('NEW', 'declined', daysBefore(39));
    await outcome('OBJ', 'shown', daysBefore(30));
    await outcome('SUB', 'shown', daysBefore(2));
    const stats = await requireOffer(deps(), id);
    // OBJ's showing got no answer within 14 days: ignored. SUB's is too recent to say.
    expect(stats.stats).toEqual({ shown: 4, accepted: 1, declined: 1, ignored: 1 });
    // An agent records the answer to an offer read out on the phone: its showing is recorded with it,
    // so the rate (answers over showings) is not inflated. NEW's last showing was 40 days ago.
    await outcome('NEW', 'accepted', daysBefore(1));
    expect((await requireOffer(deps(), id)).stats).toMatchObject({ shown: 5, accepted: 2 });
    // An answer to a recent showing adds no second one.
    await outcome('SUB', 'declined', daysBefore(1));
    expect((await requireOffer(deps(), id)).stats).toMatchObject({ shown: 5, declined: 2 });
  });

  it('does not make an accepted offer again for its period, and counts one answer per showing', async () => {
    const acc = await offer('ACC-6', 'DAILY-DIGI', { periodMonths: 6, priority: 2 });
    expect(codes(await rank('TRIAL', 'phone'))).toContain('ACC-6');
    const answer = (o: 'shown' | 'accepted' | 'declined', at: Instant) => recordOutcome(deps(), { offerId: acc.id, customerId: 'TRIAL' as CustomerId, channel: 'phone', outcome: o, source: 'agent', at });
    await answer('shown', daysBefore(2));
    await answer('accepted', daysBefore(2));
    const after = await rank('TRIAL', 'phone', true);
    expect(codes(after)).not.toContain('ACC-6');
    expect(after.notMade?.find((n) => n.code === 'ACC-6')?.reasons).toEqual(['ACCEPTED_RECENTLY']);
    // The same showing answered again, the same way or not: refused, nothing appended.
    await expect(answer('accepted', daysBefore(1))).rejects.toMatchObject({ code: 'OFFER_ALREADY_ANSWERED', field: 'outcome', details: { answered: 'accepted' } });
    await expect(answer('declined', daysBefore(1))).rejects.toMatchObject({ code: 'OFFER_ALREADY_ANSWERED' });
    // A second answer stored anyway (a request racing the first, or recorded before the refusal) counts once.
    await app.stores.offers.recordOutcomes([{ offerId: acc.id, customerId: 'TRIAL' as CustomerId, channel: 'phone', outcome: 'accepted', at: daysBefore(1), source: 'agent', campaignId: null }], NOW);
    expect((await requireOffer(deps(), acc.id)).stats).toEqual({ shown: 1, accepted: 1, declined: 0, ignored: 0 });
    // Six months after the acceptance it may be made again.
    const sixMonthsOn = new Date(Date.parse(daysBefore(1)) + 184 * DAY).toISOString() as Instant;
    expect((await rankOffers(deps(), { customerId: 'TRIAL' as CustomerId, channel: 'phone', at: sixMonthsOn })).offers.map((o) => o.code)).toContain('ACC-6');
    // Offered again (a new showing), it may be answered again, and that answer counts.
    await answer('shown', NOW);
    await answer('declined', NOW);
    expect((await requireOffer(deps(), acc.id)).stats).toEqual({ shown: 2, accepted: 1, declined: 1, ignored: 0 });
  });
});
