/** The audit log of reads and changes of personal data by people (API keys). Insert-only. */
import type { Kysely } from 'kysely';
import type { AuditEntry, AuditLog } from '../core/ports.ts';
import type { CustomerId, Instant } from '../core/records.ts';
import type { Schema } from './schema.ts';

export class SqlAuditLog implements AuditLog {
  constructor(private readonly db: Kysely<Schema>) {}

  async record(e: AuditEntry): Promise<void> {
    await this.recordMany([e]);
  }

  /** Several entries in one statement (one commit). */
  async recordMany(entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.db
      .insertInto('audit_log')
      .values(entries.map((e) => ({ at: e.at, actor: e.actor, role: e.role, action: e.action, customer_id: e.customerId, detail: JSON.stringify(e.detail) })))
      .execute();
  }

  async forCustomer(customerId: CustomerId): Promise<AuditEntry[]> {
    const rows = await this.db.selectFrom('audit_log').selectAll().where('customer_id', '=', customerId).orderBy('id').execute();
    return rows.map((r) => ({
      at: r.at as Instant,
      actor: r.actor,
      role: r.role,
      action: r.action,
      customerId: r.customer_id,
      detail: typeof r.detail === 'string' ? (JSON.parse(r.detail) as Record<string, unknown>) : r.detail,
    }));
  }
}
