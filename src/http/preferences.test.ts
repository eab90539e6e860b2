/** One-click unsubscribe and the preference centre, as a mailbox provider and a person use them. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CustomerId, Instant } from '../core/records.ts';
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
