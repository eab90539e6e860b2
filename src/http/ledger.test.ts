import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/stores.ts';
import type { CustomerId, Instant, Sku } from '../core/records.ts';
import { DecisionSchema, LedgerRecordSchema } from './schemas.ts';
import { json, useClient } from './testing.ts';

const NOW = '2026-01-15T10:00:00.000Z' as Instant;
const decideUrl = (q: Record<string, string>): string => `/v1/decide?${new URLSearchParams(q).toString()}`;
const marketingEmail = { customer: 'C1', purpose: 'marketing', channel: 'email' };

describeEachStore(
  'ledger and decide routes',
  (ctx) => {
    const client = useClient(ctx);
    let consentSeq = 0;

    beforeAll(async () => {
      await ctx.app.stores.catalogue.upsertProduct({ sku: 'HS-DIGI' as Sku, name: 'HS Digi', brand: 'HS', category: 'daily' });
      await client.post('/v1/customers', { id: 'C1', kind: 'person', name: 'Matti Meikäläinen', email: 'matti@example.fi' });
      await client.post('/v1/customers', { id: 'C2', kind: 'person', name: 'Maija Meikäläinen', email: 'maija@example.fi' });
    });

    describe('the ledger', () => {
      it('appends a consent and returns the stored record with its seq', async () => {
        const res = await client.post(
          '/v1/customers/C1/ledger',
          { kind: 'consent', purpose: 'marketing', channel: 'email', value: 'granted', at: '2025-06-01T12:00:00Z', source: 'web_form', noticeVersion: '2025-05', evidenceRef: 'form-123' },
          'agent',
        );
        expect(res.statusCode).toBe(201);
        const record = LedgerRecordSchema.parse(json(res));
        expect(record).toMatchObject({ kind: 'consent', customerId: 'C1', purpose: 'marketing', channel: 'email', value: 'granted', at: '2025-06-01T12:00:00.000Z', recordedAt: NOW, noticeVersion: '2025-05' });
        consentSeq = record.seq;
        expect(consentSeq).toBeGreaterThan(0);
      });

      it('stores the same record sent twice once', async () => {
        const again = await client.post('/v1/customers/C1/ledger', {
          kind: 'consent', purpose: 'marketing', channel: 'email', value: 'granted', at: '2025-06-01T12:00:00Z', source: 'web_form', noticeVersion: '2025-05', evidenceRef: 'form-123',
        });
        expect(json(again)['seq']).toBe(consentSeq);
      });

      it('dates a record without `at` now', async () => {
        const res = await client.post('/v1/customers/C1/ledger', { kind: 'consent', purpose: 'research', value: 'withdrawn', source: 'call' });
        expect(json(res)).toMatchObject({ at: NOW, channel: null });
      });

      it('returns the history in time order', async () => {
        const res = await client.get('/v1/customers/C1/ledger', 'dpo');
        expect(res.statusCode).toBe(200);
        const body = json<{ customerId: string; records: { seq: number; purpose: string }[] }>(res);
        expect(body.records.map((r) => r.purpose)).toEqual(['marketing', 'research']);
      });

      it('refuses a record dated in the future', async () => {
        const res = await client.post('/v1/customers/C1/ledger', { kind: 'consent', purpose: 'marketing', value: 'granted', at: '2026-02-01T00:00:00Z', source: 'web_form' });
        expect(json(res)).toMatchObject({ error: 'VALIDATION_FAILED', field: 'at' });
      });

      it('records an objection dated a little ahead (clock skew) as made now, so it is never in force only later', async () => {
        const res = await client.post('/v1/customers/C2/ledger', { kind: 'objection', scope: 'profiling', at: '2026-01-15T10:03:00Z', source: 'letter' }, 'dpo');
        expect(res.statusCode).toBe(201);
        expect(json(res)).toMatchObject({ kind: 'objection', at: NOW });
      });

      it('names the field: unknown purpose, channel, kind, date and customer', async () => {
        const base = { kind: 'consent', purpose: 'marketing', value: 'granted', source: 'web_form' };
        expect(json(await client.post('/v1/customers/C1/ledger', { ...base, purpose: 'spam' }))).toMatchObject({ error: 'UNKNOWN_PURPOSE', field: 'purpose' });
        expect(json(await client.post('/v1/customers/C1/ledger', { ...base, channel: 'fax' }))).toMatchObject({ error: 'UNKNOWN_CHANNEL', field: 'channel' });
        expect(json(await client.post('/v1/customers/C1/ledger', { ...base, kind: 'opinion' }))).toMatchObject({ error: 'VALIDATION_FAILED', field: 'kind' });
        expect(json(await client.post('/v1/customers/C1/ledger', { ...base, at: 'yesterday' }))).toMatchObject({ error: 'INVALID_DATE', field: 'at' });
        const unknown = await client.post('/v1/customers/C404/ledger', base);
        expect(unknown.statusCode).toBe(404);
        expect(json(unknown)).toMatchObject({ error: 'UNKNOWN_CUSTOMER', field: 'id' });
      });

      it('leaves the ledger untouched when a request is refused', async () => {
        const body = json<{ records: unknown[] }>(await client.get('/v1/customers/C1/ledger'));
        expect(body.records).toHaveLength(2);
      });

      it('lets a marketer decide but not write the ledger', async () => {
        const res = await client.post('/v1/customers/C1/ledger', { kind: 'objection', scope: 'profiling', source: 'x' }, 'marketer');
        expect(res.statusCode).toBe(403);
        expect(json(res)).toMatchObject({ error: 'FORBIDDEN' });
      });
    });

    describe('decide', () => {
      it('answers exactly {allowed, basis, reasons, evidence}', async () => {
        // An agent sees the whole evidence; what a marketer does not is in decision-evidence.test.ts.
        const res = await client.get(decideUrl(marketingEmail), 'agent');
        expect(res.statusCode).toBe(200);
        const body = json(res);
        expect(Object.keys(body).sort()).toEqual(['allowed', 'basis', 'evidence', 'reasons']);
        const decision = DecisionSchema.parse(body);
        expect(decision).toMatchObject({ allowed: true, basis: 'consent', reasons: ['CONSENT_GRANTED'] });
        expect(decision.evidence).toMatchObject({ asOf: NOW, customerId: 'C1', consent: { seq: consentSeq, noticeVersion: '2025-05', evidenceRef: 'form-123' } });
      });

      it('replays a decision as of a time before the consent was given', async () => {
        const res = await client.get(decideUrl({ ...marketingEmail, at: '2025-05-31' }));
        expect(json(res)).toMatchObject({ allowed: false, basis: null, reasons: ['NO_LEGAL_BASIS'], evidence: { asOf: '2025-05-31T00:00:00.000Z', consent: null } });
      });

      it('answers the same to a POST with the fields in the body', async () => {
        const viaGet = json(await client.get(decideUrl({ ...marketingEmail, product: 'HS-DIGI', at: '2025-07-01T00:00:00Z' })));
        const viaPost = await client.post('/v1/decide', { ...marketingEmail, product: 'HS-DIGI', at: '2025-07-01T00:00:00Z' });
        expect(viaPost.statusCode).toBe(200);
        expect(json(viaPost)).toEqual(viaGet);
      });

      it('lets an objection win over the consent', async () => {
        await client.post('/v1/customers/C1/ledger', { kind: 'objection', scope: 'direct_marketing', at: '2025-09-01T00:00:00Z', source: 'letter' }, 'dpo');
        expect(json(await client.get(decideUrl(marketingEmail)))).toMatchObject({ allowed: false, reasons: ['OBJECTED'] });
        expect(json(await client.get(decideUrl({ ...marketingEmail, at: '2025-08-31T00:00:00Z' })))).toMatchObject({ allowed: true });
      });

      it('names the field: unknown purpose, channel, customer, product and malformed date', async () => {
        const cases: [Record<string, string>, string, string, number][] = [
          [{ ...marketingEmail, purpose: 'spam' }, 'UNKNOWN_PURPOSE', 'purpose', 400],
          [{ ...marketingEmail, channel: 'fax' }, 'UNKNOWN_CHANNEL', 'channel', 400],
          [{ ...marketingEmail, customer: 'C404' }, 'UNKNOWN_CUSTOMER', 'customer', 404],
          [{ ...marketingEmail, product: 'NOPE' }, 'UNKNOWN_PRODUCT', 'product', 404],
          // Both unknown: the product is named first, as it always was.
          [{ ...marketingEmail, customer: 'C404', product: 'NOPE' }, 'UNKNOWN_PRODUCT', 'product', 404],
          [{ ...marketingEmail, at: '2025-13-45' }, 'INVALID_DATE', 'at', 400],
          [{ ...marketingEmail, at: 'tomorrow' }, 'INVALID_DATE', 'at', 400],
        ];
        for (const [query, error, field, status] of cases) {
          const res = await client.get(decideUrl(query));
          expect({ status: res.statusCode, ...json(res) }).toMatchObject({ status, error, field });
        }
        const post = await client.post('/v1/decide', { ...marketingEmail, purpose: 'spam' });
        expect(json(post)).toMatchObject({ error: 'UNKNOWN_PURPOSE', field: 'purpose' });
        expect(json(await client.get('/v1/decide?customer=C1&channel=email'))).toMatchObject({ error: 'UNKNOWN_PURPOSE', field: 'purpose' });
      });

      it('audits each decision with what was asked, not who the customer is', async () => {
        const before = (await ctx.app.stores.audit.forCustomer('C1' as CustomerId)).length;
        await client.get(decideUrl({ ...marketingEmail, at: '2025-07-01T00:00:00Z' }), 'marketer');
        const entries = await ctx.app.stores.audit.forCustomer('C1' as CustomerId);
        expect(entries.slice(before)).toEqual([
          {
            at: NOW,
            actor: expect.stringMatching(/^key_/),
            role: 'marketer',
            action: 'decide',
            customerId: 'C1',
            detail: { purpose: 'marketing', channel: 'email', product: null, asOf: '2025-07-01T00:00:00.000Z', allowed: true, reasons: ['CONSENT_GRANTED'] },
          },
        ]);
        expect(JSON.stringify(entries)).not.toContain('matti@example.fi');
      });

      it('is refused to an analyst', async () => {
        expect((await client.get(decideUrl(marketingEmail), 'analyst')).statusCode).toBe(403);
      });
    });
  },
  { now: () => NOW },
);
