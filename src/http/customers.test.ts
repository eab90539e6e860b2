import { describe, expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/stores.ts';
import type { CustomerId } from '../core/records.ts';
import { CustomerSchema } from './schemas.ts';
import { json, useClient } from './testing.ts';

const aino = {
  id: 'C1000001',
  kind: 'person',
  name: 'Aino Virtanen',
  email: ' Aino.Virtanen@Example.FI ',
  phone: '040 123 4567',
  address: { street: 'Mannerheimintie 1 A 2', postalCode: '00100', city: 'Helsinki', country: 'FI' },
  locale: 'fi',
};

describeEachStore('customer routes', (ctx) => {
  const client = useClient(ctx);

  describe('creating', () => {
    it('stores a customer with normalised contacts and answers 201 with the record', async () => {
      const res = await client.post('/v1/customers', aino);
      expect(res.statusCode).toBe(201);
      const body = CustomerSchema.parse(json(res));
      expect(body).toMatchObject({ id: 'C1000001', emails: ['aino.virtanen@example.fi'], phones: ['+358401234567'], locale: 'fi' });
    });

    it('refuses an id that is taken with 409 CUSTOMER_EXISTS', async () => {
      const res = await client.post('/v1/customers', aino);
      expect(res.statusCode).toBe(409);
      expect(json(res)).toMatchObject({ error: 'CUSTOMER_EXISTS', field: 'id' });
    });

    it('names the invalid e-mail in a list, and writes nothing', async () => {
      const res = await client.post('/v1/customers', { id: 'C1000002', kind: 'person', name: 'X', emails: ['ok@example.fi', 'not-an-address'] });
      expect(res.statusCode).toBe(400);
      expect(json(res)).toMatchObject({ error: 'VALIDATION_FAILED', field: 'emails.1' });
      expect(json(res)['message']).not.toContain('not-an-address');
      expect((await client.get('/v1/customers/C1000002')).statusCode).toBe(404);
    });

    it('names a nested field: address.postalCode', async () => {
      const res = await client.post('/v1/customers', { id: 'C1000003', kind: 'person', name: 'X', address: { street: 'Katu 1', city: 'Oulu' } });
      expect(res.statusCode).toBe(400);
      expect(json(res)).toMatchObject({ error: 'VALIDATION_FAILED', field: 'address.postalCode' });
    });

    it('names an unknown field instead of ignoring it', async () => {
      const res = await client.post('/v1/customers', { id: 'C1000004', kind: 'person', name: 'X', emial: 'x@example.fi' });
      expect(json(res)).toMatchObject({ error: 'VALIDATION_FAILED', field: 'emial' });
    });

    it('refuses a body that is not JSON, naming the body', async () => {
      const res = await client.server.inject({
        method: 'POST',
        url: '/v1/customers',
        headers: { authorization: `Bearer ${client.keys.admin}`, 'content-type': 'application/json' },
        payload: '{"id": ',
      });
      expect(res.statusCode).toBe(400);
      expect(json(res)).toMatchObject({ error: 'VALIDATION_FAILED', field: 'body' });
    });
  });

  describe('reading and changing', () => {
    it('reads a customer', async () => {
      const res = await client.get('/v1/customers/C1000001', 'agent');
      expect(res.statusCode).toBe(200);
      expect(json(res)).toMatchObject({ id: 'C1000001', name: 'Aino Virtanen' });
    });

    it('answers 404 UNKNOWN_CUSTOMER naming the id', async () => {
      const res = await client.get('/v1/customers/C9999999');
      expect(res.statusCode).toBe(404);
      expect(json(res)).toEqual({ error: 'UNKNOWN_CUSTOMER', message: expect.any(String), field: 'id' });
    });

    it('changes only the fields sent; sending emails replaces the list', async () => {
      const res = await client.patch('/v1/customers/C1000001', { emails: ['AINO@example.fi', 'aino@work.example'], locale: 'sv' }, 'agent');
      expect(res.statusCode).toBe(200);
      expect(json(res)).toMatchObject({ name: 'Aino Virtanen', emails: ['aino@example.fi', 'aino@work.example'], phones: ['+358401234567'], locale: 'sv' });
      const reread = json(await client.get('/v1/customers/C1000001'));
      expect(reread['emails']).toEqual(['aino@example.fi', 'aino@work.example']);
    });

    it('clears the address with null', async () => {
      await client.post('/v1/customers', { id: 'C1000005', kind: 'business', name: 'Oy Testi Ab', address: aino.address });
      const res = await client.patch('/v1/customers/C1000005', { address: null });
      expect(json(res)['address']).toBeNull();
    });

    it('refuses an empty change and an invalid phone, changing nothing', async () => {
      expect(json(await client.patch('/v1/customers/C1000001', {}))).toMatchObject({ error: 'VALIDATION_FAILED', field: 'body' });
      const bad = await client.patch('/v1/customers/C1000001', { name: 'Aino V', phone: '12' });
      expect(json(bad)).toMatchObject({ error: 'VALIDATION_FAILED', field: 'phone' });
      expect(json(await client.get('/v1/customers/C1000001'))['name']).toBe('Aino Virtanen');
    });

    it('answers 404 for a change to an unknown customer', async () => {
      const res = await client.patch('/v1/customers/C9999999', { name: 'X' });
      expect(json(res)).toMatchObject({ error: 'UNKNOWN_CUSTOMER', field: 'id' });
    });
  });

  describe('searching', () => {
    it('finds by e-mail however it is typed', async () => {
      const res = await client.get(`/v1/customers?email=${encodeURIComponent(' AINO@Example.fi')}`, 'dpo');
      expect(res.statusCode).toBe(200);
      expect(json<{ customers: { id: string }[] }>(res).customers.map((c) => c.id)).toEqual(['C1000001']);
    });

    it('finds by the start of the name and by phone', async () => {
      const byName = json<{ customers: { id: string }[] }>(await client.get('/v1/customers?name=aino'));
      expect(byName.customers.map((c) => c.id)).toEqual(['C1000001']);
      const byPhone = json<{ customers: { id: string }[] }>(await client.get('/v1/customers?phone=%2B358401234567'));
      expect(byPhone.customers.map((c) => c.id)).toEqual(['C1000001']);
    });

    it('pages with limit and after', async () => {
      for (const id of ['C2000001', 'C2000002', 'C2000003']) {
        await client.post('/v1/customers', { id, kind: 'person', name: `Pagina ${id}`, address: { ...aino.address, postalCode: '99123' } });
      }
      const first = json<{ customers: { id: string }[]; next: string | null }>(await client.get('/v1/customers?postalCode=99123&limit=2'));
      expect(first.customers.map((c) => c.id)).toEqual(['C2000001', 'C2000002']);
      expect(first.next).toBe('C2000002');
      const second = json<{ customers: { id: string }[]; next: string | null }>(await client.get(`/v1/customers?postalCode=99123&limit=2&after=${first.next}`));
      expect(second).toMatchObject({ customers: [{ id: 'C2000003' }], next: null });
    });

    it('refuses a name search that would list everyone, and takes % and _ as word breaks, never wildcards', async () => {
      for (const name of ['%', '_', ' a ', '%_%', 'a%', 'a_b']) {
        expect(json(await client.get(`/v1/customers?name=${encodeURIComponent(name)}`)), name).toMatchObject({ error: 'VALIDATION_FAILED', field: 'name' });
      }
      await client.post('/v1/customers', { id: 'W1', kind: 'business', name: 'Ab_Oy Testi' });
      await client.post('/v1/customers', { id: 'W2', kind: 'business', name: 'Abx Oy Testi' });
      const inWord = json<{ customers: { id: string }[] }>(await client.get(`/v1/customers?name=${encodeURIComponent('%esti')}`));
      expect(inWord.customers).toEqual([]);
      const joined = json<{ customers: { id: string }[] }>(await client.get(`/v1/customers?name=${encodeURIComponent('aboy')}`));
      expect(joined.customers.map((c) => c.id)).toEqual(['W1']);
    });

    it('refuses a search without criteria and a limit out of range', async () => {
      expect(json(await client.get('/v1/customers'))).toMatchObject({ error: 'VALIDATION_FAILED' });
      expect(json(await client.get('/v1/customers?name=ai&limit=1000'))).toMatchObject({ error: 'VALIDATION_FAILED', field: 'limit' });
      expect(json(await client.get('/v1/customers?email=nope'))).toMatchObject({ error: 'VALIDATION_FAILED', field: 'email' });
    });
  });

  describe('the audit trail', () => {
    it('writes one audit row per customer read, with no contact data in it', async () => {
      await client.post('/v1/customers', { id: 'C3000001', kind: 'person', name: 'Eero Auditoitava', email: 'eero@example.fi', phone: '0501112222' });
      const before = (await ctx.app.stores.audit.forCustomer('C3000001' as CustomerId)).length;
      await client.get('/v1/customers/C3000001', 'agent');
      await client.get('/v1/customers?email=eero@example.fi', 'agent');
      await client.get('/v1/customers/C3000001/ledger', 'agent');
      const entries = await ctx.app.stores.audit.forCustomer('C3000001' as CustomerId);
      expect(entries.slice(before).map((e) => [e.action, e.role])).toEqual([
        ['customers.read', 'agent'],
        ['customers.search', 'agent'],
        ['ledger.read', 'agent'],
      ]);
      expect(entries[0]).toMatchObject({ action: 'customers.create', role: 'admin', detail: { fields: ['id', 'kind', 'name', 'email', 'phone'] } });
      const text = JSON.stringify(entries);
      expect(text).not.toContain('eero@example.fi');
      expect(text).not.toContain('+358501112222');
      expect(text).not.toContain('Auditoitava');
      expect(entries.every((e) => e.actor.startsWith('key_'))).toBe(true);
    });

    it('records which fields a change touched, not their values', async () => {
      await client.patch('/v1/customers/C3000001', { name: 'Eero Muutettu' }, 'agent');
      const entries = await ctx.app.stores.audit.forCustomer('C3000001' as CustomerId);
      expect(entries.at(-1)).toMatchObject({ action: 'customers.update', detail: { changed: ['name'] } });
      expect(JSON.stringify(entries)).not.toContain('Muutettu');
    });

    it('serves the trail to the DPO, and not to an agent', async () => {
      const res = await client.get('/v1/customers/C3000001/audit', 'dpo');
      expect(res.statusCode).toBe(200);
      const trail = json<{ customerId: string; entries: { action: string }[] }>(res);
      expect(trail.customerId).toBe('C3000001');
      expect(trail.entries.map((e) => e.action)).toContain('customers.read');
      expect((await client.get('/v1/customers/C3000001/audit', 'agent')).statusCode).toBe(403);
      expect(json(await client.get('/v1/customers/C9999999/audit', 'dpo'))).toMatchObject({ error: 'UNKNOWN_CUSTOMER' });
    });

    it('does not audit a refused read', async () => {
      const before = (await ctx.app.stores.audit.forCustomer('C3000001' as CustomerId)).length;
      await client.get('/v1/customers/C3000001', 'analyst');
      expect((await ctx.app.stores.audit.forCustomer('C3000001' as CustomerId)).length).toBe(before);
    });
  });
});
