/**
 * Call lists and print files over HTTP, on both stores: only whom the ledger allows, every customer
 * listed audited under the caller, formula cells neutralised, a bad product refused as JSON before
 * any CSV, and refused to roles that may not have names and addresses.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/stores.ts';
import type { CustomerId } from '../core/records.ts';
import { json, useClient } from './testing.ts';

describeEachStore('GET /v1/exports/calls.csv and /v1/exports/post.csv', (ctx) => {
  const client = useClient(ctx);
  const address = { street: '=HYPERLINK("http://evil.example")', postalCode: '00100', city: 'Helsinki' };

  beforeAll(async () => {
    await client.post('/v1/customers', { id: 'CL1', kind: 'person', name: 'Aino Soitettava', phone: '040 111 2222', address }, 'agent');
    await client.post('/v1/customers', { id: 'CL2', kind: 'person', name: 'Eero Kieltäytyjä', phone: '040 333 4444', address: { ...address, street: 'Kielletty 1' } }, 'agent');
    const refusal = { kind: 'consent', purpose: 'marketing', value: 'withdrawn', at: '2026-01-01T09:00:00Z', source: 'call' };
    await client.post('/v1/customers/CL2/ledger', { ...refusal, channel: 'phone' }, 'agent');
    await client.post('/v1/customers/CL2/ledger', { ...refusal, channel: 'post' }, 'agent');
  });

  it('lists whom phone marketing is allowed for, audits each under the marketer, and neutralises formulas', async () => {
    const res = await client.get('/v1/exports/calls.csv?postalCodePrefix=00', 'marketer');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    // A leading + would start a formula in a spreadsheet: the phone is written as text.
    expect(res.body).toContain(`CL1,Aino Soitettava,"'+358401112222"`);
    expect(res.body).not.toContain('CL2');
    const audit = await ctx.app.stores.audit.forCustomer('CL1' as CustomerId);
    expect(audit.some((e) => e.role === 'marketer')).toBe(true);
    const post = await client.get('/v1/exports/post.csv?postalCodePrefix=00', 'marketer');
    expect(post.body).toContain(`CL1,Aino Soitettava,"'=HYPERLINK(""http://evil.example"")"`);
    expect(post.body).not.toContain('Kielletty 1');
  });

  it('refuses an unknown product as JSON, and roles that may not have the lists', async () => {
    const res = await client.get('/v1/exports/calls.csv?product=NO-SUCH', 'marketer');
    expect(res.statusCode).toBe(404);
    expect(json(res)).toMatchObject({ error: 'UNKNOWN_PRODUCT' });
    for (const role of ['agent', 'dpo', 'analyst'] as const) expect((await client.get('/v1/exports/post.csv', role)).statusCode).toBe(403);
  });
});
