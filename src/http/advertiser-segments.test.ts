/**
 * Audiences for advertisers on both stores: a marketer offers a segment under a public name; the
 * catalogue shows sizes rounded to hundreds and none below 100; an advertiser's signed link opens a
 * page that names no one and expires; roles that may not manage segments cannot offer one.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/stores.ts';
import type { CustomerId, Instant } from '../core/records.ts';
import { json, useClient } from './testing.ts';

const T0 = '2026-01-01T00:00:00.000Z' as Instant;

describeEachStore('/v1/advertiser-segments', (ctx) => {
  const client = useClient(ctx);
  let big = 0;
  let small = 0;

  beforeAll(async () => {
    const s = ctx.app.stores;
    // 149 readers in Oulu (shown as about 100) and 12 in Kemi (fewer than 100).
    for (let i = 0; i < 161; i++) {
      const city = i < 149 ? 'Oulu' : 'Kemi';
      await s.customers.insertCustomer({ id: `AS${i}` as CustomerId, kind: 'person', name: `Reader Number${i}`, emails: [`as${i}@example.fi`], phones: [], address: { street: 'Katu 1', postalCode: '90100', city, country: 'FI' }, locale: 'fi', createdAt: T0, updatedAt: T0 });
    }
    const create = async (name: string, city: string): Promise<number> => {
      const id = json<{ id: number }>(await client.post('/v1/segments', { name, rule: { attribute: 'city', equals: city } }, 'marketer')).id;
      await client.post(`/v1/segments/${id}/refresh`, {}, 'marketer');
      return id;
    };
    big = await create('Oulu readers (internal)', 'Oulu');
    small = await create('Kemi readers (internal)', 'Kemi');
  });

  const put = (id: number, body: object, role: 'marketer' | 'analyst' | 'agent' = 'marketer') =>
    client.server.inject({ method: 'PUT', url: `/v1/advertiser-segments/${id}`, headers: { authorization: `Bearer ${client.keys[role]}` }, payload: body });

  it('offers segments under public names, sizes rounded to hundreds and hidden below 100', async () => {
    const offered = await put(big, { name: 'Northern readers', description: 'Readers in northern Finland' });
    expect(offered.statusCode).toBe(200);
    expect(json(offered)).toMatchObject({ segmentId: big, name: 'Northern readers', size: 100 });
    await put(small, { name: 'Lapland readers', description: 'A small audience' });
    const list = json<{ segments: { segmentId: number; size: number | null }[] }>(await client.get('/v1/advertiser-segments', 'analyst')).segments;
    expect(list.map((s) => [s.segmentId, s.size])).toEqual([
      [small, null],
      [big, 100],
    ]);
    // Offered again: the name changes, the offer stays one.
    await put(big, { name: 'Oulu region readers', description: 'Readers in northern Finland' });
    expect(json<{ segments: unknown[] }>(await client.get('/v1/advertiser-segments', 'marketer')).segments).toHaveLength(2);
  });

  it('refuses a blank name, a segment that does not exist, and roles that may not manage segments', async () => {
    expect(json(await put(big, { name: ' ', description: 'x' }))).toMatchObject({ error: 'VALIDATION_FAILED', field: 'name' });
    expect(json(await put(999_999, { name: 'x', description: 'x' }))).toMatchObject({ error: 'NOT_FOUND', field: 'segmentId' });
    expect((await put(big, { name: 'x', description: 'x' }, 'agent')).statusCode).toBe(403);
    expect((await client.post('/v1/advertiser-segments/links', {}, 'analyst')).statusCode).toBe(403);
  });

  it("gives advertisers a link to a page in their language that names no one, until it expires", async () => {
    const link = json<{ url: string; expiresAt: string }>(await client.post('/v1/advertiser-segments/links', { days: 7 }, 'marketer'));
    expect(Math.abs(Date.parse(link.expiresAt) - Date.parse(ctx.app.now()) - 7 * 86_400_000)).toBeLessThan(2000);
    const path = new URL(link.url).pathname;
    const page = await client.server.inject({ method: 'GET', url: `${path}?lang=fi`, headers: {} });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Oulu region readers');
    expect(page.body).toContain('noin 100 henkeä');
    expect(page.body).toContain('alle 100 henkeä');
    expect(page.body).not.toContain('Number');
    expect(page.body).not.toContain('internal');
    // Altered, or for another purpose: not valid.
    expect((await client.server.inject({ method: 'GET', url: `${path.slice(0, -3)}AAA` })).statusCode).toBe(404);
    const expired = ctx.app.signer.sign('advertiser_catalogue', [Math.floor(Date.parse(ctx.app.now()) / 1000) - 1]);
    const gone = await client.server.inject({ method: 'GET', url: `/a/${expired}?lang=en` });
    expect(gone.statusCode).toBe(404);
    expect(gone.body).toContain('This link is not valid');
    expect(json(await client.post('/v1/advertiser-segments/links', { days: 0 }, 'marketer'))).toMatchObject({ error: 'VALIDATION_FAILED', field: 'days' });
  });

  it('withdraws an offer, and removing the segment withdraws it too', async () => {
    const del = (id: number) => client.server.inject({ method: 'DELETE', url: `/v1/advertiser-segments/${id}`, headers: { authorization: `Bearer ${client.keys.marketer}` } });
    expect((await del(small)).statusCode).toBe(204);
    expect((await del(small)).statusCode).toBe(404);
    await client.server.inject({ method: 'DELETE', url: `/v1/segments/${big}`, headers: { authorization: `Bearer ${client.keys.marketer}` } });
    expect(json<{ segments: unknown[] }>(await client.get('/v1/advertiser-segments', 'marketer')).segments).toEqual([]);
  });
});
