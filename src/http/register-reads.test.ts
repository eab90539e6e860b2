import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/stores.ts';
import type { Instant } from '../core/records.ts';
import { json, useClient } from './testing.ts';

const NOW = '2026-01-15T10:00:00.000Z' as Instant;

interface AuditPage {
  entries: { id: number; actor: string; role: string; action: string; customerId: string | null; detail: Record<string, unknown> }[];
  next: string | null;
}
interface LedgerPage {
  records: { seq: number; customerId: string; kind: string; source: string; at: string }[];
  next: string | null;
}

describeEachStore(
  'the audit log and the ledger across customers',
  (ctx) => {
    const client = useClient(ctx);
    const consent = (at: string, source: string, extra: object = {}) => ({ kind: 'consent', purpose: 'marketing', channel: 'email', value: 'granted', at, source, ...extra });

    beforeAll(async () => {
      for (const id of ['C1', 'C2', 'C3']) await client.post('/v1/customers', { id, kind: 'person', name: `Person ${id}`, email: `${id.toLowerCase()}@example.fi` }, 'agent');
      await client.post('/v1/customers/C1/ledger', consent('2025-01-10T00:00:00Z', 'web_form'), 'agent');
      await client.post('/v1/customers/C2/ledger', consent('2025-03-10T00:00:00Z', 'call'), 'agent');
      await client.post('/v1/customers/C3/ledger', consent('2025-05-10T00:00:00Z', 'web_form'), 'agent');
      await client.post('/v1/customers/C1/ledger', { kind: 'objection', scope: 'profiling', at: '2025-06-10T00:00:00Z', source: 'call' }, 'agent');
    });

    describe('GET /v1/audit', () => {
      it('lists entries newest first, filtered by customer and action', async () => {
        const res = await client.get('/v1/audit?customer=C1&action=ledger.append', 'dpo');
        expect(res.statusCode).toBe(200);
        const page = json<AuditPage>(res);
        expect(page.entries.map((e) => e.detail['kind'])).toEqual(['objection', 'consent']);
        expect(page.entries.every((e) => e.customerId === 'C1' && e.role === 'agent')).toBe(true);
        expect(page.next).toBeNull();
        // The actor is named for the person reading: the key's name, not only its id.
        expect(page.entries.map((e) => (e as { actorName?: string | null }).actorName)).toEqual(['key "test agent"', 'key "test agent"']);
      });

      it('filters by actor and time, and pages without losing or repeating an entry', async () => {
        const all = json<AuditPage>(await client.get('/v1/audit?action=customers.create', 'admin')).entries;
        expect(all.map((e) => e.customerId)).toEqual(['C3', 'C2', 'C1']);
        const actor = all[0]?.actor ?? '';
        const seen: (string | null)[] = [];
        let url = `/v1/audit?actor=${actor}&action=customers.create&limit=2`;
        for (let i = 0; i < 5; i++) {
          const page = json<AuditPage>(await client.get(url, 'dpo'));
          seen.push(...page.entries.map((e) => e.customerId));
          if (page.next === null) break;
          url = `/v1/audit?actor=${actor}&action=customers.create&limit=2&after=${page.next}`;
        }
        expect(seen).toEqual(['C3', 'C2', 'C1']);
        expect(json<AuditPage>(await client.get(`/v1/audit?from=${encodeURIComponent(NOW)}&action=customers.create`, 'dpo')).entries).toHaveLength(3);
        expect(json<AuditPage>(await client.get(`/v1/audit?to=${encodeURIComponent(NOW)}&action=customers.create`, 'dpo')).entries).toHaveLength(0);
        expect(json<AuditPage>(await client.get('/v1/audit?actor=nobody', 'dpo')).entries).toHaveLength(0);
      });

      it('audits the read itself, naming the customer only when filtered by one', async () => {
        await client.get('/v1/audit?customer=C2', 'dpo');
        await client.get('/v1/audit?action=decide', 'dpo');
        const reads = json<AuditPage>(await client.get('/v1/audit?action=audit.read&limit=2', 'admin')).entries;
        expect(reads.map((e) => [e.role, e.customerId, e.detail['filters']])).toEqual([
          ['dpo', null, ['action']],
          ['dpo', 'C2', []],
        ]);
      });

      it('names the field of a bad filter', async () => {
        expect(json(await client.get('/v1/audit?from=yesterday', 'dpo'))).toMatchObject({ error: 'INVALID_DATE', field: 'from' });
        expect(json(await client.get('/v1/audit?from=2025-02-01&to=2025-01-01', 'dpo'))).toMatchObject({ error: 'INVALID_DATE', field: 'to' });
        const csv = await client.get('/v1/audit.csv?from=2025-02-01&to=2025-02-01', 'dpo');
        expect([csv.statusCode, json(csv)]).toMatchObject([400, { error: 'INVALID_DATE', field: 'to' }]);
        expect(json(await client.get('/v1/audit?actor=a%20b', 'dpo'))).toMatchObject({ error: 'VALIDATION_FAILED', field: 'actor' });
        expect(json(await client.get('/v1/audit?after=x', 'dpo'))).toMatchObject({ error: 'VALIDATION_FAILED', field: 'after' });
        expect(json(await client.get('/v1/audit?colour=red', 'dpo'))).toMatchObject({ error: 'VALIDATION_FAILED' });
      });

      it('is refused to a marketer, an agent and an analyst', async () => {
        for (const role of ['marketer', 'agent', 'analyst'] as const) {
          expect((await client.get('/v1/audit', role)).statusCode).toBe(403);
          expect((await client.get('/v1/audit.csv', role)).statusCode).toBe(403);
        }
      });
    });

    describe('GET /v1/audit.csv', () => {
      it('writes every page as CSV, a cell that would start a formula neutralised', async () => {
        await ctx.app.stores.audit.record({ at: NOW, actor: '=HYPERLINK("http://x")', role: 'admin', action: 'customers.read', customerId: 'C3', detail: {} });
        const res = await client.get('/v1/audit.csv?customer=C3', 'dpo');
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toMatch(/^text\/csv/);
        const lines = res.body.trimEnd().split('\r\n');
        expect(lines[0]).toBe('id,at,actor,role,action,customerId,detail');
        // The export's own audit entry is committed before the first row, so it is the newest row.
        expect(lines[1]).toMatch(/,dpo,audit\.read,C3,"\{""format"":""csv"",""filters"":\[\]\}"$/);
        expect(lines[2]).toContain(`"'=HYPERLINK(""http://x"")",admin,customers.read,C3,{}`);
        expect(lines.slice(3).map((l) => l.split(',')[4])).toEqual(['ledger.append', 'customers.create']);
      });

      it('writes for Excel on request', async () => {
        const res = await client.get('/v1/audit.csv?customer=C1&excel=true', 'dpo');
        expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
        expect(res.body).toContain('id;at;actor');
      });
    });

    describe('GET /v1/ledger', () => {
      it('filters records across customers and audits every customer returned', async () => {
        const res = await client.get('/v1/ledger?kind=consent&source=web_form', 'dpo');
        expect(res.statusCode).toBe(200);
        const page = json<LedgerPage>(res);
        expect(page.records.map((r) => r.customerId)).toEqual(['C3', 'C1']);
        const audited = json<AuditPage>(await client.get('/v1/audit?action=ledger.search', 'admin')).entries;
        expect(audited.map((e) => e.customerId).sort()).toEqual(['C1', 'C3']);
        expect(audited[0]?.detail).toEqual({ criteria: ['source', 'kind'] });
      });

      it('filters by customer, purpose, channel and time, and pages', async () => {
        const ids = async (q: string) => json<LedgerPage>(await client.get(`/v1/ledger?${q}`, 'dpo')).records.map((r) => r.customerId);
        expect(await ids('customer=C1')).toEqual(['C1', 'C1']);
        expect(await ids('purpose=profiling')).toEqual(['C1']);
        expect(await ids('channel=email')).toEqual(['C3', 'C2', 'C1']);
        expect(await ids('from=2025-02-01&to=2025-06-01')).toEqual(['C3', 'C2']);
        const first = json<LedgerPage>(await client.get('/v1/ledger?limit=3', 'dpo'));
        expect(first.next).not.toBeNull();
        const second = json<LedgerPage>(await client.get(`/v1/ledger?limit=3&after=${first.next ?? ''}`, 'dpo'));
        expect([...first.records, ...second.records].map((r) => r.at)).toEqual(['2025-06-10T00:00:00.000Z', '2025-05-10T00:00:00.000Z', '2025-03-10T00:00:00.000Z', '2025-01-10T00:00:00.000Z']);
        expect(second.next).toBeNull();
      });

      it('names the field of a bad filter, and refuses a marketer', async () => {
        expect(json(await client.get('/v1/ledger?purpose=spam', 'dpo'))).toMatchObject({ field: 'purpose' });
        expect(json(await client.get('/v1/ledger?channel=fax', 'dpo'))).toMatchObject({ field: 'channel' });
        expect(json(await client.get('/v1/ledger?kind=opinion', 'dpo'))).toMatchObject({ error: 'VALIDATION_FAILED', field: 'kind' });
        expect(json(await client.get('/v1/ledger?to=2024-13-01', 'dpo'))).toMatchObject({ error: 'INVALID_DATE', field: 'to' });
        expect((await client.get('/v1/ledger', 'marketer')).statusCode).toBe(403);
        expect((await client.get('/v1/ledger', 'analyst')).statusCode).toBe(403);
      });
    });
  },
  { now: () => NOW },
);
