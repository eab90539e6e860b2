/**
 * Data step of migration 0012: rewrites the stored address keys to the canonical form of
 * core/addresses.ts (customers' email/phone/emails/phones/postal_key, suppressions' address), so
 * that SQL equality is canonical equality for rows written before the rules changed. SQL cannot run
 * libphonenumber or IDNA, so the keys are computed here and written back a batch at a time, one
 * set-based UPDATE per batch.
 *
 * Idempotent: a row already canonical is not touched, so a second run changes nothing and an
 * interrupted run is finished by the next. Customers' address changes and suppressions' re-keying
 * mark the affected audience summaries dirty through the triggers (0008, 0011). The ledger is not
 * touched (it holds no addresses). A suppression whose canonical form duplicates a stored one (same
 * channel, address, reason, times and source: the same fingerprint) is deleted, the stored one
 * stands for it. An address these rules cannot read is left as it was and counted.
 */
import { sql, type Kysely } from 'kysely';
import { canonicalChannelAddress, normaliseEmail, normalisePhone, postalKey } from '../core/addresses.ts';
import type { Instant } from '../core/records.ts';
import type { Channel, SuppressionReason } from '../core/vocabulary.ts';
import type { Database, Dialect } from './database.ts';
import { suppressionFingerprint } from './fingerprint.ts';
import { jsonArray } from './row-mappers.ts';
import type { Schema } from './schema.ts';

/** Counts only: nothing personal leaves this step. */
export interface CanonicalAddressesReport {
  customersRewritten: number;
  suppressionsRewritten: number;
  duplicateSuppressionsRemoved: number;
  /** Stored addresses the rules cannot read, left as they were. */
  unreadable: number;
}

export async function canonicaliseStoredAddresses(database: Database, batchSize = 5000): Promise<CanonicalAddressesReport> {
  const report: CanonicalAddressesReport = { customersRewritten: 0, suppressionsRewritten: 0, duplicateSuppressionsRemoved: 0, unreadable: 0 };
  await rewriteCustomers(database.db, database.dialect, batchSize, report);
  await rewriteSuppressions(database.db, database.dialect, batchSize, report);
  return report;
}

interface CustomerKeys {
  id: string;
  email: string | null;
  phone: string | null;
  emails: string[];
  phones: string[];
  postal_key: string | null;
}

async function rewriteCustomers(db: Kysely<Schema>, dialect: Dialect, batchSize: number, report: CanonicalAddressesReport): Promise<void> {
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('customers')
      .select(['id', 'emails', 'phones', 'street', 'postal_code', 'postal_key'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(batchSize)
      .execute();
    const last = rows[rows.length - 1];
    if (last === undefined) return;
    after = last.id;
    const changed: CustomerKeys[] = [];
    for (const row of rows) {
      const stored = { emails: jsonArray(row.emails), phones: jsonArray(row.phones) };
      const emails = canonicalList(stored.emails, normaliseEmail, report);
      const phones = canonicalList(stored.phones, normalisePhone, report);
      const key = row.street === null || row.postal_code === null ? row.postal_key : postalKey({ street: row.street, postalCode: row.postal_code });
      if (sameList(emails, stored.emails) && sameList(phones, stored.phones) && key === row.postal_key) continue;
      changed.push({ id: row.id, email: emails[0] ?? null, phone: phones[0] ?? null, emails, phones, postal_key: key });
    }
    if (changed.length > 0) await updateCustomerKeys(db, dialect, changed);
    report.customersRewritten += changed.length;
  }
}

/** Each address canonical (or as stored when unreadable), without the repeats that canonical forms make. */
function canonicalList(stored: string[], canonical: (raw: string) => string | null, report: CanonicalAddressesReport): string[] {
  const out: string[] = [];
  for (const address of stored) {
    const value = canonical(address);
    if (value === null) report.unreadable++;
    const kept = value ?? address;
    if (!out.includes(kept)) out.push(kept);
  }
  return out;
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** One UPDATE … FROM a JSON array of the batch's new keys. */
async function updateCustomerKeys(db: Kysely<Schema>, dialect: Dialect, rows: CustomerKeys[]): Promise<void> {
  if (dialect === 'postgres') {
    await sql`UPDATE customers AS c
      SET email = v.email, phone = v.phone, emails = v.emails, phones = v.phones, postal_key = v.postal_key
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v(id text, email text, phone text, emails jsonb, phones jsonb, postal_key text)
      WHERE c.id = v.id`.execute(db);
    return;
  }
  // SQLite keeps the lists as JSON text.
  const json = JSON.stringify(rows.map((r) => ({ ...r, emails: JSON.stringify(r.emails), phones: JSON.stringify(r.phones) })));
  await sql`UPDATE customers
    SET email = v.email, phone = v.phone, emails = v.emails, phones = v.phones, postal_key = v.postal_key
    FROM (SELECT value ->> 'id' AS id, value ->> 'email' AS email, value ->> 'phone' AS phone, value ->> 'emails' AS emails,
                 value ->> 'phones' AS phones, value ->> 'postal_key' AS postal_key FROM json_each(${json})) AS v
    WHERE customers.id = v.id`.execute(db);
}

async function rewriteSuppressions(db: Kysely<Schema>, dialect: Dialect, batchSize: number, report: CanonicalAddressesReport): Promise<void> {
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('suppressions')
      .select(['id', 'channel', 'address', 'reason', 'at', 'valid_until', 'source'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(batchSize)
      .execute();
    const last = rows[rows.length - 1];
    if (last === undefined) return;
    after = Number(last.id);
    const rekeyed: { id: number; address: string; fingerprint: string }[] = [];
    for (const row of rows) {
      const channel = row.channel as Channel;
      const address = canonicalChannelAddress(channel, row.address);
      if (address === null) report.unreadable++;
      if (address === null || address === row.address) continue;
      const fingerprint = suppressionFingerprint({
        channel,
        address,
        reason: row.reason as SuppressionReason,
        at: row.at as Instant,
        validUntil: row.valid_until as Instant | null,
        source: row.source,
      });
      rekeyed.push({ id: Number(row.id), address, fingerprint });
    }
    if (rekeyed.length === 0) continue;
    // A re-keyed row whose fingerprint is already taken (by a stored row or an earlier one of this batch) is a duplicate.
    const taken = new Set(
      (await db.selectFrom('suppressions').select('fingerprint').where('fingerprint', 'in', rekeyed.map((r) => r.fingerprint)).execute()).map((r) => r.fingerprint),
    );
    const updates: typeof rekeyed = [];
    const duplicates: number[] = [];
    for (const r of rekeyed) {
      if (taken.has(r.fingerprint)) duplicates.push(r.id);
      else {
        taken.add(r.fingerprint);
        updates.push(r);
      }
    }
    await db.transaction().execute(async (trx) => {
      if (duplicates.length > 0) await trx.deleteFrom('suppressions').where('id', 'in', duplicates).execute();
      if (updates.length > 0) await updateSuppressionKeys(trx, dialect, updates);
    });
    report.suppressionsRewritten += updates.length;
    report.duplicateSuppressionsRemoved += duplicates.length;
  }
}

async function updateSuppressionKeys(db: Kysely<Schema>, dialect: Dialect, rows: { id: number; address: string; fingerprint: string }[]): Promise<void> {
  const json = JSON.stringify(rows);
  if (dialect === 'postgres') {
    await sql`UPDATE suppressions AS s SET address = v.address, fingerprint = v.fingerprint
      FROM jsonb_to_recordset(${json}::jsonb) AS v(id bigint, address text, fingerprint text)
      WHERE s.id = v.id`.execute(db);
    return;
  }
  await sql`UPDATE suppressions SET address = v.address, fingerprint = v.fingerprint
    FROM (SELECT value ->> 'id' AS id, value ->> 'address' AS address, value ->> 'fingerprint' AS fingerprint FROM json_each(${json})) AS v
    WHERE suppressions.id = v.id`.execute(db);
}
