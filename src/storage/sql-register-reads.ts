/**
 * The DPO's reads across customers over Kysely, both dialects (see core/register-reads.ts): each
 * filter is an equality or a range on an indexed column (migration 0029), newest first by the
 * insertion key so a page is an index range scan, never a sort of the whole table.
 */
import type { Kysely } from 'kysely';
import type { PageRequest } from '../core/listings.ts';
import type { AuditFilter, AuditRow, LedgerFilter, RegisterReadStore } from '../core/register-reads.ts';
import type { LedgerRecord } from '../core/records.ts';
import { ledgerFromRow } from './row-mappers.ts';
import type { Schema } from './schema.ts';
import { auditEntryFromRow } from './sql-audit-log.ts';

export class SqlRegisterReads implements RegisterReadStore {
  /** `auditSettled` resolves once the audit entries recorded so far are committed (group commit). */
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly auditSettled: () => Promise<void>,
  ) {}

  async auditEntries(filter: AuditFilter, page: PageRequest<number>): Promise<AuditRow[]> {
    await this.auditSettled();
    let query = this.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(page.limit);
    if (page.after !== null) query = query.where('id', '<', page.after);
    if (filter.customerId !== undefined) query = query.where('customer_id', '=', filter.customerId);
    if (filter.actor !== undefined) query = query.where('actor', '=', filter.actor);
    if (filter.action !== undefined) query = query.where('action', '=', filter.action);
    if (filter.from !== undefined) query = query.where('at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('at', '<', filter.to);
    const rows = await query.execute();
    return rows.map((r) => ({ id: Number(r.id), ...auditEntryFromRow(r) }));
  }

  async ledgerRecords(filter: LedgerFilter, page: PageRequest<number>): Promise<LedgerRecord[]> {
    let query = this.db.selectFrom('ledger').selectAll().orderBy('seq', 'desc').limit(page.limit);
    if (page.after !== null) query = query.where('seq', '<', page.after);
    if (filter.customerId !== undefined) query = query.where('customer_id', '=', filter.customerId);
    if (filter.purpose !== undefined) query = query.where('purpose', '=', filter.purpose);
    if (filter.channel !== undefined) query = query.where('channel', '=', filter.channel);
    if (filter.source !== undefined) query = query.where('source', '=', filter.source);
    if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
    if (filter.from !== undefined) query = query.where('at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('at', '<', filter.to);
    const rows = await query.execute();
    return rows.map((r) => ledgerFromRow({ ...r, seq: Number(r.seq) }));
  }
}
