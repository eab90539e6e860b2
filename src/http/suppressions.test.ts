import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/stores.ts';
import type { Instant } from '../core/records.ts';
import { audienceCounts } from '../use-cases/audience.ts';
import { json, useClient } from './testing.ts';

// A clock that moves on: each add and lift happens at its own time, as they do.
let clock = Date.parse('2026-01-15T10:00:00.000Z');
const now = (): Instant => new Date(clock).toISOString() as Instant;
const tick = (): void => {
  clock += 60_000;
};

interface Entry {
  id: number;
  channel: string;
  address: string;
  reason: string;
  source: string;
  note: string | null;
  liftedAt: string | null;
  lift: { source: string; note: string | null } | null;
}

describeEachStore(
  'the suppression list over the API',
  (ctx) => {
    const client = useClient(ctx);
    const decide = async (customer: string) => json<{ allowed: boolean; reasons: string[] }>(await client.get(`/v1/decide?customer=${customer}&purpose=marketing&channel=email`, 'dpo'));
    const marketingAudience = async () =>
      (await audienceCounts({ ...ctx.app.stores, settings: ctx.app.settings }, { purpose: 'marketing', channel: 'email', sku: null, at: now(), filter: {} })).allowed;

    beforeAll(async () => {
      await client.post('/v1/customers', { id: 'S1', kind: 'person', name: 'Saara Kirje', email: 'saara.kirje@example.fi' }, 'agent');
      await client.post('/v1/customers/S1/ledger', { kind: 'consent', purpose: 'marketing', channel: 'email', value: 'granted', at: '2025-01-01T00:00:00Z', source: 'web_form' }, 'agent');
    });

    it('adds a manual suppression with a note, the address read as an import reads it, and audits it naming the key', async () => {
      tick();
      expect(await decide('S1')).toMatchObject({ allowed: true });
      const allowedBefore = await marketingAudience();
      const res = await client.post('/v1/suppressions', { channel: 'email', address: '  Saara.Kirje@EXAMPLE.fi ', note: 'Asked by letter never to be e-mailed' }, 'dpo');
      expect(res.statusCode).toBe(201);
      const entry = json<Entry>(res);
      expect(entry).toMatchObject({ channel: 'email', address: 'saara.kirje@example.fi', reason: 'manual', note: 'Asked by letter never to be e-mailed', liftedAt: null, lift: null });
      expect(entry.source).toMatch(/^key_/);
      expect((entry as Entry & { sourceName: string }).sourceName).toBe('key "test dpo"');
      tick();
      expect(await decide('S1')).toMatchObject({ allowed: false, reasons: ['SUPPRESSED'] });
      expect(await marketingAudience()).toBe(allowedBefore - 1);
      const audit = json<{ entries: { actor: string; role: string; action: string; detail: Record<string, unknown> }[] }>(await client.get('/v1/audit?action=suppressions.add', 'dpo'));
      expect(audit.entries[0]).toMatchObject({ actor: entry.source, role: 'dpo', detail: { suppression: entry.id, channel: 'email', reason: 'manual' } });
      // The detail names the entry, never the address or the note.
      expect(JSON.stringify(audit.entries)).not.toContain('saara');
    });

    it('refuses a manual suppression without a note or with an address it cannot read, naming the field', async () => {
      expect(json(await client.post('/v1/suppressions', { channel: 'email', address: 'a@example.fi', note: '   ' }, 'dpo'))).toMatchObject({ error: 'VALIDATION_FAILED', field: 'note' });
      expect(json(await client.post('/v1/suppressions', { channel: 'email', address: 'not an address', note: 'x' }, 'dpo'))).toMatchObject({ error: 'VALIDATION_FAILED', field: 'address' });
      expect(json(await client.post('/v1/suppressions', { channel: 'sms', address: '040 123 4567', note: 'Asked on the phone' }, 'admin'))).toMatchObject({ address: '+358401234567', reason: 'manual' });
    });

    it('lifts a manual entry with a note (the decision allows again), and a re-added one blocks again', async () => {
      const [entry] = json<{ suppressions: Entry[] }>(await client.get('/v1/suppressions?address=saara.kirje@example.fi&match=exact&reason=manual&state=active', 'dpo')).suppressions;
      expect(entry).toBeDefined();
      const id = entry?.id ?? 0;
      expect(json(await client.post(`/v1/suppressions/${id}/lift`, {}, 'dpo'))).toMatchObject({ error: 'SUPPRESSION_LIFT_NEEDS_NOTE', field: 'note' });
      tick();
      const lifted = json<Entry>(await client.post(`/v1/suppressions/${id}/lift`, { note: 'The customer asked by phone to get offers again' }, 'dpo'));
      expect(lifted).toMatchObject({ id, liftedAt: now(), lift: { note: 'The customer asked by phone to get offers again' } });
      expect(lifted.lift?.source).toMatch(/^key_/);
      tick();
      expect(await decide('S1')).toMatchObject({ allowed: true });
      expect(json(await client.post(`/v1/suppressions/${id}/lift`, { note: 'again' }, 'dpo'))).toMatchObject({ error: 'SUPPRESSION_ALREADY_LIFTED' });
      expect(json<{ suppressions: Entry[] }>(await client.get('/v1/suppressions?address=saara.kirje@&state=lifted', 'dpo')).suppressions.map((e) => e.id)).toEqual([id]);
      const audit = json<{ entries: { action: string; detail: Record<string, unknown> }[] }>(await client.get('/v1/audit?action=suppressions.lift', 'admin'));
      expect(audit.entries[0]?.detail).toEqual({ suppression: id, channel: 'email', reason: 'manual' });

      tick();
      await client.post('/v1/suppressions', { channel: 'email', address: 'saara.kirje@example.fi', note: 'A second letter' }, 'dpo');
      tick();
      expect(await decide('S1')).toMatchObject({ allowed: false, reasons: ['SUPPRESSED'] });
      // As of a time between the lift and the new entry, the address was free.
      expect(json(await client.get(`/v1/decide?customer=S1&purpose=marketing&channel=email&at=${encodeURIComponent(lifted.liftedAt ?? '')}`, 'dpo'))).toMatchObject({ allowed: true });
    });

    it('lifts a hard bounce only with a note; never an unsubscribe or a Robinson entry', async () => {
      const add = (reason: 'hard_bounce' | 'unsubscribe' | 'robinson', address: string) =>
        ctx.app.stores.suppressions.add({ channel: 'email', address, reason, at: now(), validUntil: null, source: 'dsn' });
      const bounce = await add('hard_bounce', 'bounced@example.fi');
      const refused = await client.post(`/v1/suppressions/${bounce.id}/lift`, { note: '' }, 'dpo');
      expect(refused.statusCode).toBe(422);
      expect(json(refused)).toMatchObject({ error: 'SUPPRESSION_LIFT_NEEDS_NOTE' });
      expect(json(await client.post(`/v1/suppressions/${bounce.id}/lift`, { note: 'Mailbox fixed, customer confirmed' }, 'dpo'))).toMatchObject({ lift: { note: 'Mailbox fixed, customer confirmed' } });
      for (const reason of ['unsubscribe', 'robinson'] as const) {
        const s = await add(reason, `${reason}@example.fi`);
        expect(json(await client.post(`/v1/suppressions/${s.id}/lift`, { note: 'asked' }, 'dpo'))).toMatchObject({ error: 'SUPPRESSION_NOT_LIFTABLE' });
      }
      expect((await client.post('/v1/suppressions/999999/lift', { note: 'x' }, 'dpo')).statusCode).toBe(404);
    });

    describe('who may', () => {
      it('lets an agent search but not add or lift; a marketer and an analyst do neither', async () => {
        expect((await client.get('/v1/suppressions', 'agent')).statusCode).toBe(200);
        expect((await client.post('/v1/suppressions', { channel: 'email', address: 'x@example.fi', note: 'x' }, 'agent')).statusCode).toBe(403);
        expect((await client.post('/v1/suppressions/1/lift', { note: 'x' }, 'agent')).statusCode).toBe(403);
        for (const role of ['marketer', 'analyst'] as const) {
          expect((await client.get('/v1/suppressions', role)).statusCode).toBe(403);
          expect((await client.post('/v1/suppressions', { channel: 'email', address: 'x@example.fi', note: 'x' }, role)).statusCode).toBe(403);
          expect((await client.post('/v1/suppressions/1/lift', { note: 'x' }, role)).statusCode).toBe(403);
        }
      });
    });
  },
  { now },
);
