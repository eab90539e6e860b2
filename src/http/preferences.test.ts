/** One-click unsubscribe and the preference centre, as a mailbox provider and a person use them. */
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CustomerId, Instant, OrderId, Sku } from '../core/records.ts';
import { allowedCustomers } from '../use-cases/audience.ts';
import { decideForCustomer } from '../use-cases/decide-for-customer.ts';
import { preferencesUrl, unsubscribeUrl } from '../use-cases/unsubscribe.ts';
import { describeEachStore } from '../../test/support/stores.ts';
import { buildServer } from './server.ts';

const T0 = '2025-01-01T00:00:00.000Z' as Instant;

describeEachStore('§3 one-click unsubscribe: no cookie, 200, no redirect, at once; and the preference page', (ctx) => {
  let server: FastifyInstance;
  let base = '';
  const path = (url: string): string => url.replace(ctx.app.publicUrl, '');

  beforeAll(async () => {
    const s = ctx.app.stores;
    await s.customers.insertCustomer({ id: 'U1' as CustomerId, kind: 'person', name: 'Aino Virtanen', emails: ['aino@example.fi'], phones: ['+358401234567'], address: null, locale: 'fi', createdAt: T0, updatedAt: T0 });
    await s.customers.insertCustomer({ id: 'U2' as CustomerId, kind: 'person', name: 'Björn Lind', emails: ['bjorn@example.fi'], phones: [], address: null, locale: 'sv', createdAt: T0, updatedAt: T0 });
    await s.customers.insertCustomer({ id: 'U3' as CustomerId, kind: 'person', name: 'Cecilia Aalto', emails: ['cecilia@example.fi'], phones: [], address: null, locale: 'fi', createdAt: T0, updatedAt: T0 });
    await s.ledger.append([{ kind: 'consent', customerId: 'U1' as CustomerId, purpose: 'marketing', channel: 'email', value: 'granted', at: T0, source: 'web_form', noticeVersion: '2024-05', noticeLocale: 'fi', evidenceRef: null }]);
    server = await buildServer(ctx.app);
    base = await server.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await server.close();
  });

  const decideEmail = () =>
    decideForCustomer({ ...ctx.app.stores, settings: ctx.app.settings }, { customerId: 'U1' as CustomerId, purpose: 'marketing', channel: 'email', sku: null, at: ctx.app.now() });

  it('shows a confirmation on GET and changes nothing, since link scanners follow links', async () => {
    const res = await fetch(base + path(unsubscribeUrl(ctx.app.signer, ctx.app.publicUrl, 'U1', 'email')));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<form method="post">');
    expect(await decideEmail()).toMatchObject({ allowed: true, basis: 'consent' });
  });

  it('unsubscribes on the one-click POST over a real socket: 200, no redirect, no cookie, effective at once', async () => {
    const res = await fetch(base + path(unsubscribeUrl(ctx.app.signer, ctx.app.publicUrl, 'U1', 'email')), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
      redirect: 'manual',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('location')).toBeNull();
    expect(res.headers.get('set-cookie')).toBeNull();
    const decision = await decideEmail();
    expect(decision).toMatchObject({ allowed: false, reasons: ['CONSENT_WITHDRAWN', 'SUPPRESSED'] });
    expect(decision.evidence.consent).toMatchObject({ value: 'withdrawn', source: 'unsubscribe_link' });
  });

  it('writes one opt-out and one suppression however often the same link is replayed', async () => {
    const url = base + path(unsubscribeUrl(ctx.app.signer, ctx.app.publicUrl, 'U3', 'email', 7));
    for (let i = 0; i < 3; i++) expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' })).status).toBe(200);
    const optOuts = (await ctx.app.stores.ledger.historyOf('U3' as CustomerId)).filter((r) => r.source === 'unsubscribe_link');
    expect(optOuts).toHaveLength(1);
    const customer = await ctx.app.stores.customers.getCustomer('U3' as CustomerId);
    const suppressions = await ctx.app.stores.suppressions.forAddress('email', customer?.emails[0] ?? '');
    expect(suppressions.filter((x) => x.reason === 'unsubscribe')).toHaveLength(1);
  });

  it('answers 404 to an altered or foreign token and writes nothing', async () => {
    const before = (await ctx.app.stores.ledger.historyOf('U2' as CustomerId)).length;
    const good = unsubscribeUrl(ctx.app.signer, ctx.app.publicUrl, 'U2', 'email');
    const altered = good.slice(0, -3) + (good.endsWith('AAA') ? 'BBB' : 'AAA');
    expect((await fetch(base + path(altered), { method: 'POST' })).status).toBe(404);
    const preferencesToken = preferencesUrl(ctx.app.signer, ctx.app.publicUrl, 'U2').split('/p/')[1];
    expect((await fetch(`${base}/u/${preferencesToken}`, { method: 'POST' })).status).toBe(404);
    expect((await ctx.app.stores.ledger.historyOf('U2' as CustomerId)).length).toBe(before);
  });

  it('shows the preference page in the customer’s language, or the one asked for, without any script', async () => {
    const url = base + path(preferencesUrl(ctx.app.signer, ctx.app.publicUrl, 'U2'));
    const sv = await (await fetch(url)).text();
    expect(sv).toContain('<html lang="sv">');
    expect(sv).toContain('Marknadsföringsinställningar');
    expect(sv).not.toContain('<script');
    const en = await (await fetch(`${url}?lang=en`)).text();
    expect(en).toContain('Marketing preferences');
  });

  it('records each changed choice in the ledger with its source, notice version and language; an unchanged form writes nothing', async () => {
    const url = base + path(preferencesUrl(ctx.app.signer, ctx.app.publicUrl, 'U2'));
    const post = (body: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    const res = await post('marketing.sms=granted&marketing.email=withdrawn&objections=shown&object.profiling=on');
    expect(res.status).toBe(200);
    const history = await ctx.app.stores.ledger.historyOf('U2' as CustomerId);
    expect(history.map((r) => [r.kind, r.kind === 'consent' ? `${r.purpose}/${r.channel}` : r.scope, r.value])).toEqual([
      ['consent', 'marketing/email', 'withdrawn'],
      ['consent', 'marketing/sms', 'granted'],
      ['objection', 'profiling', 'objected'],
    ]);
    expect(history.every((r) => r.source === 'preference_centre' && r.noticeVersion === ctx.app.config.LUPA_NOTICE_VERSION && r.noticeLocale === 'sv')).toBe(true);
    await post('marketing.sms=granted&marketing.email=withdrawn&objections=shown&object.profiling=on');
    expect((await ctx.app.stores.ledger.historyOf('U2' as CustomerId)).length).toBe(3);
    // Unticking the box lifts the objection.
    await post('objections=shown');
    expect((await ctx.app.stores.ledger.historyOf('U2' as CustomerId)).at(-1)).toMatchObject({ kind: 'objection', scope: 'profiling', value: 'withdrawn' });
  });
});

describeEachStore('a person’s own new consent lifts their own unsubscribe; a bounce or complaint stays, and the page says so', (ctx) => {
  let server: FastifyInstance;
  const path = (url: string): string => url.replace(ctx.app.publicUrl, '');
  const form = { 'content-type': 'application/x-www-form-urlencoded' };

  beforeAll(async () => {
    const s = ctx.app.stores;
    const person = (id: string, email: string, locale: string) =>
      s.customers.insertCustomer({ id: id as CustomerId, kind: 'person', name: 'Aino Virtanen', emails: [email], phones: ['+358401234567'], address: null, locale, createdAt: T0, updatedAt: T0 });
    await person('R1', 'r1@example.fi', 'fi');
    await person('H1', 'h1@example.fi', 'fi');
    await person('K1', 'k1@example.fi', 'en');
    await s.ledger.append([{ kind: 'consent', customerId: 'R1' as CustomerId, purpose: 'marketing', channel: 'email', value: 'granted', at: T0, source: 'web_form', noticeVersion: '2024-05', noticeLocale: 'fi', evidenceRef: null }]);
    await s.suppressions.add({ channel: 'email', address: 'h1@example.fi', reason: 'hard_bounce', at: T0, validUntil: null, source: 'dsn' });
    await s.suppressions.add({ channel: 'email', address: 'k1@example.fi', reason: 'complaint', at: T0, validUntil: null, source: 'feedback_report' });
    await s.suppressions.add({ channel: 'email', address: 'k1@example.fi', reason: 'unsubscribe', at: T0, validUntil: null, source: 'unsubscribe_link' });
    server = await buildServer(ctx.app);
  });
  afterAll(async () => {
    await server.close();
  });

  const decideEmail = (id: string) =>
    decideForCustomer({ ...ctx.app.stores, settings: ctx.app.settings }, { customerId: id as CustomerId, purpose: 'marketing', channel: 'email', sku: null, at: ctx.app.now() });
  const audienceAllows = async (id: string): Promise<boolean> => {
    const input = { purpose: 'marketing' as const, channel: 'email' as const, sku: null, at: ctx.app.now(), filter: {} };
    for await (const row of allowedCustomers({ ...ctx.app.stores, settings: ctx.app.settings }, input)) if (row.customerId === id) return true;
    return false;
  };
  const preferencesPath = (id: string): string => path(preferencesUrl(ctx.app.signer, ctx.app.publicUrl, id));

  it('unsubscribe, then "yes" again on the preference page: the suppression is lifted in the ledger and decide and the audience allow', async () => {
    await ctx.app.stores.audience.refreshSummaries();
    const unsub = await server.inject({ method: 'POST', url: path(unsubscribeUrl(ctx.app.signer, ctx.app.publicUrl, 'R1', 'email')), headers: form, payload: 'List-Unsubscribe=One-Click' });
    expect(unsub.statusCode).toBe(200);
    expect(await decideEmail('R1')).toMatchObject({ allowed: false, reasons: ['CONSENT_WITHDRAWN', 'SUPPRESSED'] });

    const page = await server.inject({ method: 'GET', url: preferencesPath('R1') });
    expect(page.body).toContain('Olet perunut markkinoinnin tässä kanavassa');
    // Looking at the page lifted nothing.
    expect((await ctx.app.stores.suppressions.forAddress('email', 'r1@example.fi'))[0]?.liftedAt).toBeNull();

    const saved = await server.inject({ method: 'POST', url: preferencesPath('R1'), headers: form, payload: 'marketing.email=granted' });
    expect(saved.statusCode).toBe(200);
    expect(saved.body).toContain('Tallennettu (1 muutos).');
    expect(saved.body).not.toContain('Olet perunut markkinoinnin');

    const decision = await decideEmail('R1');
    expect(decision).toMatchObject({ allowed: true, basis: 'consent' });
    expect(decision.evidence.consent).toMatchObject({ value: 'granted', source: 'preference_centre' });
    const [suppression] = await ctx.app.stores.suppressions.forAddress('email', 'r1@example.fi');
    expect(suppression).toMatchObject({ reason: 'unsubscribe', liftedAt: decision.evidence.consent?.at });
    const lift = await sql<{ source: string; evidence_ref: string }>`SELECT source, evidence_ref FROM suppression_lifts WHERE suppression_id = ${suppression?.id}`.execute(ctx.app.database.db);
    expect(lift.rows).toEqual([{ source: 'preference_centre', evidence_ref: `ledger:${decision.evidence.consent?.seq}` }]);
    // The audience agrees, from the records (R1 is dirty) and from a fresh summary.
    expect(await audienceAllows('R1')).toBe(true);
    await ctx.app.stores.audience.refreshSummaries();
    expect(await audienceAllows('R1')).toBe(true);
  });

  it('does not lift a hard bounce: decide still says SUPPRESSED, and the page says why instead of only "saved"', async () => {
    const res = await server.inject({ method: 'POST', url: preferencesPath('H1'), headers: form, payload: 'marketing.email=granted' });
    expect(res.body).toContain('Huomaa: markkinointia ei silti voi lähettää kanavassa: Sähköposti.');
    expect(res.body).toContain('Viestit tähän osoitteeseen ovat palautuneet perille toimittamattomina');
    expect(await decideEmail('H1')).toMatchObject({ allowed: false, reasons: ['SUPPRESSED'] });
    expect((await ctx.app.stores.suppressions.forAddress('email', 'h1@example.fi'))[0]?.liftedAt).toBeNull();
  });

  it('lifts the unsubscribe but not the complaint of the same address, and says so in the customer’s language', async () => {
    const res = await server.inject({ method: 'POST', url: preferencesPath('K1'), headers: form, payload: 'marketing.email=granted' });
    expect(res.body).toContain('<html lang="en">');
    expect(res.body).toContain('Note: marketing still cannot be sent by E-mail');
    expect(res.body).toContain('Our messages to this address were reported as spam');
    expect(await decideEmail('K1')).toMatchObject({ allowed: false, reasons: ['SUPPRESSED'] });
    const byReason = Object.fromEntries((await ctx.app.stores.suppressions.forAddress('email', 'k1@example.fi')).map((s) => [s.reason, s.liftedAt]));
    expect(byReason.complaint).toBeNull();
    expect(byReason.unsubscribe).not.toBeNull();
  });
});

describeEachStore('the preference page says what soft opt-in is: allowed because the person is our customer, and theirs to refuse', (ctx) => {
  let server: FastifyInstance;
  const path = (id: string, lang = ''): string => `${preferencesUrl(ctx.app.signer, ctx.app.publicUrl, id).replace(ctx.app.publicUrl, '')}${lang === '' ? '' : `?lang=${lang}`}`;
  /** The legend of a channel's choice with what it says beside the channel's name, e.g. "Sähköposti (ei valintaa)". */
  const legend = (html: string, channel: string): string | undefined =>
    new RegExp(`<legend>${channel}(?: <span class="note">\\(([^)]*)\\)</span>)?</legend>`).exec(html)?.[1] ?? (html.includes(`<legend>${channel}</legend>`) ? '' : undefined);

  beforeAll(async () => {
    const s = ctx.app.stores;
    await s.catalogue.upsertProduct({ sku: 'KOTI' as Sku, name: 'Kotilehti', brand: null, category: 'magazine_home' });
    const person = (id: string) => s.customers.insertCustomer({ id: id as CustomerId, kind: 'person', name: 'Sini Asiakas', emails: [`${id.toLowerCase()}@example.fi`], phones: ['+358401234567'], address: null, locale: 'fi', createdAt: T0, updatedAt: T0 });
    await person('S1');
    await person('S2');
    // S1 reads Kotilehti and was offered the chance to refuse marketing when the address was taken; S2 was not.
    for (const [id, optOutOffered] of [['S1', true], ['S2', false]] as const) {
      await s.catalogue.upsertOrder({ id: `${id}-O` as OrderId, customerId: id as CustomerId, sku: 'KOTI' as Sku, startedAt: T0, endedAt: null, soldVia: 'web', optOutOffered });
    }
    server = await buildServer(ctx.app);
  });
  afterAll(async () => {
    await server.close();
  });

  it('names soft opt-in on e-mail and SMS in each language, where it applies, with the refusal still there', async () => {
    const fi = (await server.inject({ method: 'GET', url: path('S1') })).body;
    expect(legend(fi, 'Sähköposti')).toBe('sallittu asiakkuuden perusteella – voit kieltää');
    expect(legend(fi, 'Tekstiviesti')).toBe('sallittu asiakkuuden perusteella – voit kieltää');
    expect(fi).toContain('<input type="radio" name="marketing.email" value="withdrawn"> Ei tarjouksia</label>');
    // Phone and post are the opt-out regime, said as before; partners' offers need consent.
    expect(legend(fi, 'Puhelin')).toBe('ei valintaa');
    expect(legend(fi, 'Yhteistyökumppanien tarjoukset sähköpostissa \\(kumppanit eivät saa tietojasi\\)')).toBe('ei valintaa');
    expect(legend((await server.inject({ method: 'GET', url: path('S1', 'sv') })).body, 'E-post')).toBe('tillåtet eftersom du är vår kund – du kan säga nej');
    expect(legend((await server.inject({ method: 'GET', url: path('S1', 'en') })).body, 'E-mail')).toBe('allowed because you are our customer – you may refuse');
    // Without the chance to refuse when the address was taken there is no soft opt-in: no choice is what stands.
    expect(legend((await server.inject({ method: 'GET', url: path('S2') })).body, 'Sähköposti')).toBe('ei valintaa');
  });

  it('takes the refusal: e-mail marketing stops, and the page shows the choice made', async () => {
    const decide = () => decideForCustomer({ ...ctx.app.stores, settings: ctx.app.settings }, { customerId: 'S1' as CustomerId, purpose: 'marketing', channel: 'email', sku: 'KOTI' as Sku, at: ctx.app.now() });
    expect(await decide()).toMatchObject({ allowed: true, basis: 'soft_opt_in' });
    const saved = await server.inject({ method: 'POST', url: path('S1'), headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'marketing.email=withdrawn' });
    expect(saved.body).toContain('<input type="radio" name="marketing.email" value="withdrawn" checked> Ei tarjouksia</label>');
    expect(legend(saved.body, 'Sähköposti')).toBe('');
    expect(legend(saved.body, 'Tekstiviesti')).toBe('sallittu asiakkuuden perusteella – voit kieltää');
    expect(await decide()).toMatchObject({ allowed: false, reasons: ['CONSENT_WITHDRAWN'] });
  });
});
