import { describe, expect, it } from 'vitest';
import type { PageRequest } from '../core/listings.ts';
import type { AuditFilter, AuditRow, RegisterReadStore } from '../core/register-reads.ts';
import type { Instant } from '../core/records.ts';
import { allAuditEntries, auditLogPage, ledgerPage } from './register-reads.ts';

/** Entries 1..n, newest (highest id) first, as the store pages them; records each page asked for. */
function storeOf(n: number): { store: RegisterReadStore; asked: PageRequest<number>[] } {
  const rows: AuditRow[] = Array.from({ length: n }, (_, i) => ({ id: n - i, at: '2026-01-01T00:00:00.000Z' as Instant, actor: 'k', role: 'dpo', action: 'x', customerId: null, detail: {} }));
  const asked: PageRequest<number>[] = [];
  return {
    asked,
    store: {
      auditEntries: async (_filter: AuditFilter, page) => {
        asked.push(page);
        return rows.filter((r) => page.after === null || r.id < page.after).slice(0, page.limit);
      },
      ledgerRecords: async () => [],
    },
  };
}

describe('the audit log, read a page at a time', () => {
  it('walks every page of the export once, the last full page followed by one empty read', async () => {
    const { store, asked } = storeOf(6);
    const ids: number[] = [];
    for await (const e of allAuditEntries({ registerReads: store }, {}, 3)) ids.push(e.id);
    expect(ids).toEqual([6, 5, 4, 3, 2, 1]);
    expect(asked.map((p) => p.after)).toEqual([null, 4, 1]);
  });

  it('gives `next` only after a full page', async () => {
    const { store } = storeOf(5);
    expect((await auditLogPage({ registerReads: store }, { limit: 3 })).next).toBe('3');
    expect((await auditLogPage({ registerReads: store }, { limit: 3, after: 3 })).next).toBeNull();
  });

  it('refuses a cursor, a limit or a range it cannot use, naming the field', async () => {
    const { store } = storeOf(1);
    const deps = { registerReads: store };
    await expect(auditLogPage(deps, { limit: 0 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', field: 'limit' });
    await expect(auditLogPage(deps, { limit: 1, after: 0 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', field: 'after' });
    const range = { from: '2025-02-01T00:00:00.000Z' as Instant, to: '2025-01-01T00:00:00.000Z' as Instant };
    await expect(auditLogPage(deps, { limit: 1, ...range })).rejects.toMatchObject({ code: 'INVALID_DATE', field: 'to' });
    await expect(ledgerPage(deps, { limit: 1, ...range })).rejects.toMatchObject({ code: 'INVALID_DATE', field: 'to' });
  });
});
