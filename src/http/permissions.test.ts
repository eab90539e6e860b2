/**
 * `GET /v1/customers/{id}/permissions` on both stores: every purpose × channel in one answer, each
 * verdict the same as `GET /v1/decide` gives for that cell (suppressions included), from one read of
 * the customer's records, audited once; the role of `decide`, and clear errors.
 */
import { Readable } from 'node:stream';
import { beforeAll, expect, it, vi } from 'vitest';
import { describeEachStore } from '../../test/support/stores.ts';
import type { CustomerId, Instant } from '../core/records.ts';
import { CHANNELS, PURPOSES } from '../core/vocabulary.ts';
import { demoToNdjson } from '../demo/generate-demo.ts';
import { runImport } from '../import/run-import.ts';
import { json, useClient } from './testing.ts';

interface Verdict {
  purpose: string;
  channel: string;
  allowed: boolean;
  basis: string | null;
  reasons: string[];
}
interface Permissions {
  customerId: string;
  asOf: string;
  product: string | null;
  verdicts: Verdict[];
}

const AS_OF = '2026-11-01T00:00:00.000Z';

describeEachStore('a customer’s permissions in one read', (ctx) => {
  const client = useClient(ctx);
  let ids: string[] = [];

  beforeAll(async () => {
    const app = ctx.app;
    await runImport({ database: app.database, settings: app.settings, now: app.now }, { stream: Readable.from(demoToNdjson({ customers: 60, seed: 1 })), format: 'ndjson' });
    // Every customer whose address is suppressed somewhere, and a few others.
    const suppressed = await app.database.db.selectFrom('suppressions').select('address').execute();
    const addresses = new Set(suppressed.map((s) => s.address));
    const customers = await app.database.db.selectFrom('customers').select(['id', 'email', 'phone', 'postal_key']).orderBy('id').execute();
    ids = customers.filter((c, i) => i < 6 || [c.email, c.phone, c.postal_key].some((a) => a !== null && addresses.has(a))).map((c) => c.id);
  });

  it('answers every purpose × channel exactly as decide does for each, suppressions included', async () => {
    const reasons = new Set<string>();
    for (const id of ids) {
      const res = await client.get(`/v1/customers/${id}/permissions?asOf=${AS_OF}&product=UV-PRINT-7`, 'agent');
      expect(res.statusCode).toBe(200);
      const body = json<Permissions>(res);
      expect(body).toMatchObject({ customerId: id, asOf: AS_OF, product: 'UV-PRINT-7' });
      expect(body.verdicts.map((v) => `${v.purpose}/${v.channel}`)).toEqual(PURPOSES.flatMap((p) => CHANNELS.map((c) => `${p}/${c}`)));
      for (const v of body.verdicts) {
        const one = json<Verdict>(await client.get(`/v1/decide?customer=${id}&purpose=${v.purpose}&channel=${v.channel}&product=UV-PRINT-7&at=${AS_OF}`));
        expect(v, `${id} ${v.purpose}/${v.channel}`).toEqual({ purpose: v.purpose, channel: v.channel, allowed: one.allowed, basis: one.basis, reasons: one.reasons });
        for (const r of v.reasons) reasons.add(r);
      }
    }
    // The comparison covered blocked and allowed cells, and a suppressed address.
    expect(reasons).toContain('SERVICE_MESSAGE');
    expect(reasons).toContain('SUPPRESSED');
  });

  it('reads the customer’s records once, and audits one read naming the customer', async () => {
    const id = ids[0] ?? '';
    const spy = vi.spyOn(ctx.app.stores.decisionRecords, 'recordsAndProduct');
    const perChannel = vi.spyOn(ctx.app.stores.decisionRecords, 'recordsFor');
    const before = (await ctx.app.stores.audit.forCustomer(id as CustomerId)).length;
    try {
      expect((await client.get(`/v1/customers/${id}/permissions`, 'agent')).statusCode).toBe(200);
      expect(spy).toHaveBeenCalledTimes(1);
      expect(spy).toHaveBeenCalledWith(id, 'every', null);
      expect(perChannel).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
      perChannel.mockRestore();
    }
    const entries = (await ctx.app.stores.audit.forCustomer(id as CustomerId)).slice(before);
    expect(entries.map((e) => e.action)).toEqual(['decide.permissions']);
    expect(entries[0]?.role).toBe('agent');
  });

  it('replays an earlier time: asOf defaults to now', async () => {
    const id = ids[0] ?? '';
    const now = json<Permissions>(await client.get(`/v1/customers/${id}/permissions`));
    expect(now.asOf).toBe(ctx.app.now());
    expect(now.product).toBeNull();
  });

  it('is refused to a role that may not decide, and names what is wrong', async () => {
    const id = ids[0] ?? '';
    expect((await client.get(`/v1/customers/${id}/permissions`, 'analyst')).statusCode).toBe(403);
    const unknown = await client.get('/v1/customers/NOPE/permissions');
    expect(unknown.statusCode).toBe(404);
    expect(json(unknown)).toMatchObject({ error: 'UNKNOWN_CUSTOMER', field: 'id' });
    const product = await client.get(`/v1/customers/${id}/permissions?product=NO-SUCH`);
    expect(json(product)).toMatchObject({ error: 'UNKNOWN_PRODUCT', field: 'product' });
    const date = await client.get(`/v1/customers/${id}/permissions?asOf=yesterday`);
    expect(date.statusCode).toBe(400);
    expect(json(date)).toMatchObject({ error: 'INVALID_DATE', field: 'asOf' });
  });
}, { now: () => '2026-11-30T09:00:00.000Z' as Instant });
