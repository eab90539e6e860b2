/**
 * Calls and recordings' metadata on SQLite and PostgreSQL through Kysely (migration 0037). A call
 * and the ledger record its outcome makes are written in one transaction, so a "don't call me"
 * is never stored without its opt-out, nor the opt-out without its call.
 */
import type { Generated, Kysely } from 'kysely';
import { ledgerEffectOf, type CallRecord, type NewCall } from '../../core/calls/call.ts';
import type { CallStore, RecordingPurge } from '../../core/calls/ports.ts';
import type { RecordingRecord } from '../../core/calls/recording.ts';
import { DomainError } from '../../core/errors.ts';
import type { CustomerId, Instant } from '../../core/records.ts';
import type { Schema } from '../schema.ts';
import { ledgerToRow } from '../sql-ledger-store.ts';

interface CallsTable {
  id: Generated<number>;
  external_id: string | null;
  direction: CallRecord['direction'];
  agent: string;
  customer_id: string;
  number: string;
  started_at: string;
  ended_at: string | null;
  queue: string | null;
  call_list: string | null;
  purpose: CallRecord['purpose'];
  outcome: CallRecord['outcome'];
  callback_at: string | null;
  recorded_at: string;
  recorded_by: string;
}

interface CallRecordingsTable {
  id: Generated<number>;
  call_id: number;
  customer_id: string;
  format: RecordingRecord['format'];
  bytes: number;
  started_at: string;
  notice_played_at: string;
  retention_ends_at: string;
  file_key: string;
  attached_at: string;
  attached_by: string;
}

interface RecordingPurgesTable {
  id: Generated<number>;
  at: string;
  due_before: string;
  deleted: number;
  actor: string;
}

/** The tables of migration 0037, beside the shared schema. */
export type CallTables = {
  calls: CallsTable;
  call_recordings: CallRecordingsTable;
  recording_purges: RecordingPurgesTable;
};

type CallRow = Omit<CallsTable, 'id'> & { id: number };
type RecordingRow = Omit<CallRecordingsTable, 'id'> & { id: number };

export class SqlCallStore implements CallStore {
  private readonly db: Kysely<Schema & CallTables>;

  constructor(
    db: Kysely<Schema>,
    private readonly now: () => Instant,
  ) {
    this.db = db.withTables<CallTables>();
  }

  async insert(call: NewCall): Promise<{ call: CallRecord; created: boolean }> {
    const recordedAt = this.now();
    return this.db.transaction().execute(async (trx) => {
      const known = await trx.selectFrom('customers').select('id').where('id', '=', call.customerId).executeTakeFirst();
      if (known === undefined) throw new DomainError('UNKNOWN_CUSTOMER', `no customer with id ${call.customerId}`, { field: 'customerId' });
      if (call.externalId !== null) {
        const before = await trx.selectFrom('calls').selectAll().where('external_id', '=', call.externalId).executeTakeFirst();
        if (before !== undefined) return { call: callFromRow(before), created: false };
      }
      const row = await trx
        .insertInto('calls')
        .values({
          external_id: call.externalId,
          direction: call.direction,
          agent: call.agent,
          customer_id: call.customerId,
          number: call.number,
          started_at: call.startedAt,
          ended_at: call.endedAt,
          queue: call.queue,
          call_list: call.callList,
          purpose: call.purpose,
          outcome: call.outcome,
          callback_at: call.callbackAt,
          recorded_at: recordedAt,
          recorded_by: call.recordedBy,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const stored = callFromRow(row);
      const effect = ledgerEffectOf(stored, stored.id);
      if (effect !== null) {
        await trx
          .insertInto('ledger')
          .values(ledgerToRow(effect, recordedAt))
          .onConflict((oc) => oc.column('fingerprint').doNothing())
          .execute();
      }
      return { call: stored, created: true };
    });
  }

  async get(id: number): Promise<CallRecord | null> {
    const row = await this.db.selectFrom('calls').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? null : callFromRow(row);
  }

  async ofCustomer(customerId: CustomerId, limit: number): Promise<CallRecord[]> {
    const rows = await this.db.selectFrom('calls').selectAll().where('customer_id', '=', customerId).orderBy('started_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map(callFromRow);
  }

  async addRecording(r: Omit<RecordingRecord, 'id'>): Promise<RecordingRecord> {
    const row = await this.db
      .insertInto('call_recordings')
      .values({
        call_id: r.callId,
        customer_id: r.customerId,
        format: r.format,
        bytes: r.bytes,
        started_at: r.startedAt,
        notice_played_at: r.noticePlayedAt,
        retention_ends_at: r.retentionEndsAt,
        file_key: r.fileKey,
        attached_at: r.attachedAt,
        attached_by: r.attachedBy,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return recordingFromRow(row);
  }

  async getRecording(id: number): Promise<RecordingRecord | null> {
    const row = await this.db.selectFrom('call_recordings').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? null : recordingFromRow(row);
  }

  async recordingsOf(callIds: readonly number[]): Promise<RecordingRecord[]> {
    if (callIds.length === 0) return [];
    const rows = await this.db.selectFrom('call_recordings').selectAll().where('call_id', 'in', callIds).orderBy('started_at').orderBy('id').execute();
    return rows.map(recordingFromRow);
  }

  async expiredRecordings(before: Instant, limit: number): Promise<RecordingRecord[]> {
    const rows = await this.db.selectFrom('call_recordings').selectAll().where('retention_ends_at', '<', before).orderBy('retention_ends_at').orderBy('id').limit(limit).execute();
    return rows.map(recordingFromRow);
  }

  async knownFileKeys(keys: readonly string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows = await this.db.selectFrom('call_recordings').select('file_key').where('file_key', 'in', keys).execute();
    return new Set(rows.map((r) => r.file_key));
  }

  async deleteRecordings(ids: readonly number[]): Promise<number> {
    if (ids.length === 0) return 0;
    const result = await this.db.deleteFrom('call_recordings').where('id', 'in', ids).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async recordPurge(p: RecordingPurge): Promise<void> {
    await this.db.insertInto('recording_purges').values({ at: p.at, due_before: p.dueBefore, deleted: p.deleted, actor: p.actor }).execute();
  }

  async purges(limit: number): Promise<RecordingPurge[]> {
    const rows = await this.db.selectFrom('recording_purges').selectAll().orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => ({ at: r.at as Instant, dueBefore: r.due_before as Instant, deleted: Number(r.deleted), actor: r.actor }));
  }
}

function callFromRow(r: CallRow): CallRecord {
  return {
    id: Number(r.id),
    externalId: r.external_id,
    direction: r.direction,
    agent: r.agent,
    customerId: r.customer_id as CustomerId,
    number: r.number,
    startedAt: r.started_at as Instant,
    endedAt: r.ended_at as Instant | null,
    queue: r.queue,
    callList: r.call_list,
    purpose: r.purpose,
    outcome: r.outcome,
    callbackAt: r.callback_at as Instant | null,
    recordedAt: r.recorded_at as Instant,
    recordedBy: r.recorded_by,
  };
}

function recordingFromRow(r: RecordingRow): RecordingRecord {
  return {
    id: Number(r.id),
    callId: Number(r.call_id),
    customerId: r.customer_id as CustomerId,
    format: r.format,
    bytes: Number(r.bytes),
    startedAt: r.started_at as Instant,
    noticePlayedAt: r.notice_played_at as Instant,
    retentionEndsAt: r.retention_ends_at as Instant,
    fileKey: r.file_key,
    attachedAt: r.attached_at as Instant,
    attachedBy: r.attached_by,
  };
}
