/** The append-only ledger. Rows are only ever inserted; the schema's triggers refuse updates and deletes. */
import type { Kysely } from 'kysely';
import type { LedgerStore, NewLedgerRecord } from '../core/ports.ts';
import type { CustomerId, Instant, LedgerRecord } from '../core/records.ts';
import { ledgerFingerprint } from './fingerprint.ts';
import { ledgerFromRow } from './row-mappers.ts';
import type { LedgerTable, Schema } from './schema.ts';

export function ledgerToRow(r: NewLedgerRecord, recordedAt: Instant): Omit<LedgerTable, 'seq'> {
  return {
    customer_id: r.customerId,
    kind: r.kind,
    purpose: r.kind === 'consent' ? r.purpose : r.scope,
    channel: r.kind === 'consent' ? r.channel : null,
    value: r.value,
    at: r.at,
    recorded_at: r.recordedAt ?? recordedAt,
    source: r.source,
    notice_version: r.noticeVersion,
    notice_locale: r.noticeLocale,
    evidence_ref: r.evidenceRef,
    fingerprint: ledgerFingerprint(r),
  };
}

export class SqlLedgerStore implements LedgerStore {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly now: () => Instant,
  ) {}

  async append(records: NewLedgerRecord[]): Promise<LedgerRecord[]> {
    if (records.length === 0) return [];
    const rows = records.map((r) => ledgerToRow(r, this.now()));
    return this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('ledger')
        .values(rows)
        .onConflict((oc) => oc.column('fingerprint').doNothing())
        .execute();
      const stored = await trx
        .selectFrom('ledger')
        .selectAll()
        .where('fingerprint', 'in', rows.map((r) => r.fingerprint))
        .orderBy('seq')
        .execute();
      return stored.map(ledgerFromRow);
    });
  }

  async historyOf(customerId: CustomerId): Promise<LedgerRecord[]> {
    const rows = await this.db.selectFrom('ledger').selectAll().where('customer_id', '=', customerId).orderBy('at').orderBy('seq').execute();
    return rows.map(ledgerFromRow);
  }
}
