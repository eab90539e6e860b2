import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/stores.ts';
import type { CustomerId } from '../core/records.ts';
import { runImport } from '../import/run-import.ts';
import { json, useClient } from './testing.ts';

type Found = { customers: { id: string; name: string }[]; next: string | null };

const people = [
  { id: 'N01', name: 'Aino Virtanen' },
  { id: 'N02', name: 'Matti Virtanen' },
  { id: 'N03', name: 'Aino Mäkinen' },
  { id: 'N04', name: 'Åsa Åström' },
  { id: 'N05', name: 'Anna-Liisa Virta' },
  { id: 'N06', name: 'Virtasen Kone Oy' },
  { id: 'N07', name: '—' },
];

describeEachStore('customer search by name', (ctx) => {
  const client = useClient(ctx);
  const search = async (name: string, extra = ''): Promise<Found> => {
    const res = await client.get(`/v1/customers?name=${encodeURIComponent(name)}${extra}`, 'agent');
    expect(res.statusCode, name).toBe(200);
    return json<Found>(res);
  };
  const ids = async (name: string): Promise<string[]> => (await search(name)).customers.map((c) => c.id);

  it('stores the people', async () => {
    for (const p of people) {
      const kind = p.name.endsWith(' Oy') ? 'business' : 'person';
      const res = await client.post('/v1/customers', { ...p, kind, email: `${p.id.toLowerCase()}@example.fi` });
      expect(res.statusCode).toBe(201);
    }
  });

  it('finds by surname, by first name and by the start of either', async () => {
    expect(await ids('Virtanen')).toEqual(['N01', 'N02']);
    expect(await ids('Aino')).toEqual(['N01', 'N03']);
    expect(await ids('virt')).toEqual(['N01', 'N02', 'N05', 'N06']);
    expect(await ids('kone')).toEqual(['N06']);
  });

  it('finds by two words in either order, each the start of a word', async () => {
    expect(await ids('Aino Virtanen')).toEqual(['N01']);
    expect(await ids('Virtanen Aino')).toEqual(['N01']);
    expect(await ids('virt ai')).toEqual(['N01']);
    expect(await ids('Matti Mäkinen')).toEqual([]);
  });

  it('ignores case and diacritics, typed either way', async () => {
    expect(await ids('makinen')).toEqual(['N03']);
    expect(await ids('MÄKINEN')).toEqual(['N03']);
    expect(await ids('asa astrom')).toEqual(['N04']);
    expect(await ids('Åström')).toEqual(['N04']);
    expect(await ids('VIRTANEN')).toEqual(['N01', 'N02']);
  });

  it('finds a hyphenated name by its parts and whole', async () => {
    expect(await ids('liisa')).toEqual(['N05']);
    expect(await ids('Anna-Liisa')).toEqual(['N05']);
    expect(await ids('annaliisa virta')).toEqual(['N05']);
  });

  it('does not match inside a word', async () => {
    expect(await ids('tanen')).toEqual([]);
    expect(await ids('inen')).toEqual([]);
  });

  it('finds a customer whose name has no letters by other fields, and never by name', async () => {
    const byEmail = json<Found>(await client.get('/v1/customers?email=n07@example.fi', 'agent'));
    expect(byEmail.customers.map((c) => c.id)).toEqual(['N07']);
    expect(json(await client.get(`/v1/customers?name=${encodeURIComponent('—')}`, 'agent'))).toMatchObject({ error: 'VALIDATION_FAILED', field: 'name' });
  });

  it('finds by id exactly, alone or with a name', async () => {
    expect((json<Found>(await client.get('/v1/customers?id=N03', 'agent'))).customers.map((c) => c.id)).toEqual(['N03']);
    expect((json<Found>(await client.get('/v1/customers?id=N0', 'agent'))).customers).toEqual([]);
    expect((await search('aino', '&id=N03')).customers.map((c) => c.id)).toEqual(['N03']);
    expect((await search('matti', '&id=N03')).customers).toEqual([]);
  });

  it('pages with limit and after', async () => {
    const first = await search('virt', '&limit=3');
    expect(first.customers.map((c) => c.id)).toEqual(['N01', 'N02', 'N05']);
    expect(first.next).toBe('N05');
    const second = await search('virt', `&limit=3&after=${first.next}`);
    expect(second).toMatchObject({ customers: [{ id: 'N06' }], next: null });
  });

  it('finds a name changed by an update by its new name and not its old', async () => {
    expect((await client.patch('/v1/customers/N02', { name: 'Matti Järvinen' }, 'agent')).statusCode).toBe(200);
    expect(await ids('jarvinen matti')).toEqual(['N02']);
    expect(await ids('Virtanen')).toEqual(['N01']);
  });

  it('finds a name changed by an import by its new name and not its old, and new imported customers', async () => {
    const lines = [
      { type: 'customer', id: 'N01', kind: 'person', name: 'Aino Lahtinen' },
      { type: 'customer', id: 'N08', kind: 'person', name: 'Öllä Östman' },
    ];
    const { database, settings } = ctx.app;
    const stream = Readable.from([lines.map((l) => JSON.stringify(l)).join('\n') + '\n']);
    await runImport({ database, settings, now: ctx.app.now }, { stream, format: 'ndjson' });
    expect(await ids('lahtinen')).toEqual(['N01']);
    expect(await ids('virtanen')).toEqual([]);
    expect(await ids('aino')).toEqual(['N01', 'N03']);
    expect(await ids('olla ostman')).toEqual(['N08']);
    // The same file again changes nothing.
    await runImport({ database, settings, now: ctx.app.now }, { stream: Readable.from([lines.map((l) => JSON.stringify(l)).join('\n') + '\n']), format: 'ndjson' });
    expect(await ids('ostman')).toEqual(['N08']);
  });

  it('lists a customer whose whole name is the search first, before those it is only the start of, on every page once', async () => {
    for (const [id, name] of [['N10', 'Pekka Salonen'], ['N11', 'Pekkanen Salo'], ['N12', 'Pekka Salo'], ['N13', 'Salo Pekka']] as const) {
      expect((await client.post('/v1/customers', { id, name, kind: 'person', email: `${id.toLowerCase()}@example.fi` })).statusCode).toBe(201);
    }
    // N12 and N13 are the name typed (in either order); the others only start with its words.
    expect(await ids('pekka salo')).toEqual(['N12', 'N13', 'N10', 'N11']);
    expect(await ids('Salo, Pekka')).toEqual(['N12', 'N13', 'N10', 'N11']);
    expect(await ids('pekkanen salo')).toEqual(['N11']);
    // Paged: the exact ones first on the first page, then every other one once.
    const first = await search('pekka salo', '&limit=3');
    expect(first.customers.map((c) => c.id)).toEqual(['N12', 'N13', 'N10']);
    const second = await search('pekka salo', `&limit=3&after=${first.next ?? ''}`);
    expect(second.customers.map((c) => c.id)).toEqual(['N11']);
    expect(second.next).toBeNull();
  });

  describe('the audit trail', () => {
    it('audits every customer a name search returns, naming the criterion and never the words', async () => {
      const before = (await ctx.app.stores.audit.forCustomer('N03' as CustomerId)).length;
      expect(await ids('aino')).toEqual(['N01', 'N03']);
      const entries = (await ctx.app.stores.audit.forCustomer('N03' as CustomerId)).slice(before);
      expect(entries).toMatchObject([{ action: 'customers.search', role: 'agent', detail: { criteria: ['name'] } }]);
      expect(JSON.stringify(entries).toLowerCase()).not.toContain('aino');
    });
  });
});
