/**
 * Calls and recordings over the API: "don't call me" during a call takes the person off the next
 * call list; a recording without its notice first is refused; a recording is stored encrypted,
 * played back whole or by range with every playback audited; a marketer reaches none of it.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/stores.ts';
import { TEST_RECORDINGS_KEY, wavFile } from '../../test/support/audio.ts';
import type { Customer, CustomerId, Instant } from '../core/records.ts';
import { json, useClient } from './testing.ts';

const T0 = '2026-01-01T00:00:00.000Z' as Instant;
const person = (id: string, phone: string): Customer => ({
  id: id as CustomerId,
  kind: 'person',
  name: `Henkilö ${id}`,
  emails: [],
  phones: [phone],
  address: { street: 'Soittajankatu 1', postalCode: '99100', city: 'Kittilä', country: 'FI' },
  locale: 'fi',
  createdAt: T0,
  updatedAt: T0,
});
const recordingsDir = mkdtempSync(join(tmpdir(), 'lupa-recordings-'));

describeEachStore(
  'call records and recordings over the API',
  (ctx) => {
    const client = useClient(ctx);
    const call = (over: Record<string, unknown> = {}) => ({
      direction: 'outbound',
      agent: 'agent-7',
      customerId: 'K1',
      number: '040 100 0001',
      startedAt: '2026-03-10T09:00:00Z',
      endedAt: '2026-03-10T09:03:00Z',
      callList: 'spring-offer',
      purpose: 'telesales',
      outcome: 'reached',
      ...over,
    });
    const upload = (callId: number, query: string, body: Buffer, type = 'audio/wav') =>
      client.server.inject({ method: 'POST', url: `/v1/calls/${callId}/recording${query}`, headers: { authorization: `Bearer ${client.keys.agent}`, 'content-type': type }, payload: body });
    const callList = async () => (await client.get('/v1/exports/calls.csv?postalCodePrefix=99&at=2026-03-11T08:00:00Z', 'marketer')).body;

    beforeAll(async () => {
      await ctx.app.stores.customers.insertCustomer(person('K1', '+358401000001'));
      await ctx.app.stores.customers.insertCustomer(person('K2', '+358401000002'));
    });

    it('takes "don’t call me" during a call as a phone opt-out in the same write: the next call list leaves the person out', async () => {
      expect(await callList()).toContain('K1');
      const recorded = await client.post('/v1/calls', call({ outcome: 'do_not_call' }), 'agent');
      expect(recorded.statusCode).toBe(201);
      const stored = json<{ id: number; number: string; optedOut: boolean }>(recorded);
      expect(stored).toMatchObject({ number: '+358401000001', optedOut: true });
      const ledger = await ctx.app.stores.ledger.historyOf('K1' as CustomerId);
      expect(ledger).toEqual([expect.objectContaining({ kind: 'consent', purpose: 'marketing', channel: 'phone', value: 'withdrawn', source: 'call', evidenceRef: `call:${stored.id}`, at: '2026-03-10T09:03:00.000Z' })]);
      const list = await callList();
      expect(list).not.toContain('K1');
      expect(list).toContain('K2');
    });

    it('stores a call with the telephony system’s id once, and refuses an unknown customer and a callback without its time', async () => {
      const first = await client.post('/v1/calls', call({ customerId: 'K2', number: '+358401000002', externalId: 'pbx-1', outcome: 'no_answer' }), 'agent');
      const again = await client.post('/v1/calls', call({ customerId: 'K2', number: '+358401000002', externalId: 'pbx-1', outcome: 'no_answer' }), 'agent');
      expect([first.statusCode, again.statusCode]).toEqual([201, 200]);
      expect(json(again)['id']).toBe(json(first)['id']);
      expect(json(await client.post('/v1/calls', call({ customerId: 'K404' }), 'agent'))).toMatchObject({ error: 'UNKNOWN_CUSTOMER' });
      expect(json(await client.post('/v1/calls', call({ outcome: 'callback' }), 'agent'))).toMatchObject({ error: 'VALIDATION_FAILED', field: 'callbackAt' });
      expect((await ctx.app.stores.ledger.historyOf('K2' as CustomerId)).length).toBe(0);
    });

    it('refuses a recording without a notice, or one that started before it, and stores nothing', async () => {
      const id = json<{ id: number }>(await client.post('/v1/calls', call({ purpose: 'service', direction: 'inbound', queue: 'billing', callList: undefined }), 'agent')).id;
      const audio = wavFile(1000);
      const none = await upload(id, '?startedAt=2026-03-10T09:00:05Z', audio);
      expect(none.statusCode).toBe(422);
      expect(json(none)).toMatchObject({ error: 'RECORDING_BEFORE_NOTICE', field: 'noticePlayedAt' });
      const early = await upload(id, '?startedAt=2026-03-10T09:00:05Z&noticePlayedAt=2026-03-10T09:00:06Z', audio);
      expect(json(early)).toMatchObject({ error: 'RECORDING_BEFORE_NOTICE' });
      const notAudio = await upload(id, '?startedAt=2026-03-10T09:00:05Z&noticePlayedAt=2026-03-10T09:00:01Z', Buffer.from('not audio at all, just some text here to be long enough'));
      expect(notAudio.statusCode).toBe(415);
      expect(json(notAudio)).toMatchObject({ error: 'RECORDING_FORMAT_INVALID' });
      expect(json<{ recordings: unknown[] }>(await client.get(`/v1/calls/${id}`, 'agent')).recordings).toEqual([]);
    });

    it('stores a recording encrypted and plays it back whole and by range, each playback audited; a marketer gets none', async () => {
      const id = json<{ id: number }>(await client.post('/v1/calls', call({ customerId: 'K2', number: '+358401000002', outcome: 'sale' }), 'agent')).id;
      const audio = wavFile(150_000); // more than two chunks of the encryption
      const attached = await client.server.inject({
        method: 'POST',
        url: `/v1/calls/${id}/recording`,
        headers: { authorization: `Bearer ${client.keys.agent}`, 'content-type': 'audio/wav', 'recording-started-at': '2026-03-10T09:00:10Z', 'notice-played-at': '2026-03-10T09:00:02Z' },
        payload: audio,
      });
      expect(attached.statusCode).toBe(201);
      const rec = json<{ id: number; bytes: number; retentionEndsAt: string }>(attached);
      // A telesales sale is kept as proof for LUPA_RECORDING_SALE_RETENTION_DAYS (365).
      expect(rec).toMatchObject({ bytes: audio.length, retentionEndsAt: '2027-03-10T09:00:10.000Z' });
      const files = readdirSync(recordingsDir).map((f) => readFileSync(join(recordingsDir, f)));
      expect(files.some((f) => f.includes(audio.subarray(0, 4000)))).toBe(false);

      const whole = await client.server.inject({ method: 'GET', url: `/v1/recordings/${rec.id}/audio`, headers: { authorization: `Bearer ${client.keys.dpo}` } });
      expect(whole.statusCode).toBe(200);
      expect(whole.headers['content-type']).toBe('audio/wav');
      expect(whole.rawPayload.equals(audio)).toBe(true);
      const part = await client.server.inject({ method: 'GET', url: `/v1/recordings/${rec.id}/audio`, headers: { authorization: `Bearer ${client.keys.agent}`, range: 'bytes=65530-131080' } });
      expect(part.statusCode).toBe(206);
      expect(part.headers['content-range']).toBe(`bytes 65530-131080/${audio.length}`);
      expect(part.rawPayload.equals(audio.subarray(65530, 131081))).toBe(true);
      const tail = await client.server.inject({ method: 'GET', url: `/v1/recordings/${rec.id}/audio`, headers: { authorization: `Bearer ${client.keys.agent}`, range: 'bytes=-10' } });
      expect(tail.rawPayload.equals(audio.subarray(audio.length - 10))).toBe(true);
      const outside = await client.server.inject({ method: 'GET', url: `/v1/recordings/${rec.id}/audio`, headers: { authorization: `Bearer ${client.keys.agent}`, range: `bytes=${audio.length}-` } });
      expect(outside.statusCode).toBe(416);

      const trail = (await ctx.app.stores.audit.forCustomer('K2' as CustomerId)).filter((e) => e.action === 'recordings.play');
      expect(trail.map((e) => e.role)).toEqual(['dpo', 'agent', 'agent']);

      expect((await client.get(`/v1/recordings/${rec.id}/audio`, 'marketer')).statusCode).toBe(403);
      expect((await client.get('/v1/customers/K2/calls', 'marketer')).statusCode).toBe(403);
      const calls = json<{ calls: { id: number; recordings: { id: number }[] }[] }>(await client.get('/v1/customers/K2/calls', 'dpo')).calls;
      expect(calls.find((c) => c.id === id)?.recordings.map((r) => r.id)).toEqual([rec.id]);
    });
  },
  { env: { LUPA_RECORDINGS_KEY: TEST_RECORDINGS_KEY, LUPA_RECORDINGS_DIR: recordingsDir } },
);
