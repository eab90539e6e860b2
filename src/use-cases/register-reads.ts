/**
 * Use cases: the DPO's reads across customers, the audit log and the ledger filtered by who, what
 * and when (core/register-reads.ts), one page at a time or every page for an export. Reads only;
 * auditing them is the caller's (the route), who knows who reads.
 */
import type { ApiKeyStore } from '../core/access.ts';
import type { ConsoleUserStore } from '../core/console-users.ts';
import { DomainError } from '../core/errors.ts';
import type { AuditFilter, AuditRow, LedgerFilter, RegisterReadStore } from '../core/register-reads.ts';
import type { LedgerRecord } from '../core/records.ts';
import { MAX_PAGE, type Page, type Paged } from './listings.ts';

/** A numeric cursor as the API passes it (`next` of the page before). */
function cursorOf(after: string | number | undefined, field = 'after'): number | null {
  if (after === undefined) return null;
  const n = Number(after);
  if (!Number.isSafeInteger(n) || n < 1) throw new DomainError('VALIDATION_FAILED', `${field} must be the \`next\` of the page before`, { field });
  return n;
}

function limitOf(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw new DomainError('VALIDATION_FAILED', `limit must be 1–${MAX_PAGE}`, { field: 'limit' });
  return limit;
}

/** `from` must come before `to` when both are given (INVALID_DATE naming `to`). */
export function requireRange(filter: { from?: string; to?: string }): void {
  if (filter.from !== undefined && filter.to !== undefined && filter.from >= filter.to) {
    throw new DomainError('INVALID_DATE', 'to must be after from', { field: 'to' });
  }
}

/** Audit entries matching the filter, newest first. */
export async function auditLogPage(deps: { registerReads: RegisterReadStore }, input: AuditFilter & Page<number>): Promise<Paged<'entries', AuditRow>> {
  const { after, limit: rawLimit, ...filter } = input;
  requireRange(filter);
  const limit = limitOf(rawLimit);
  const entries = await deps.registerReads.auditEntries(filter, { after: cursorOf(after), limit });
  const last = entries[entries.length - 1];
  return { entries, next: entries.length === limit && last !== undefined ? String(last.id) : null };
}

/** Every audit entry matching the filter, newest first, a page (`pageSize`, default `MAX_PAGE`) at a time: the CSV export. */
export async function* allAuditEntries(deps: { registerReads: RegisterReadStore }, filter: AuditFilter, pageSize = MAX_PAGE): AsyncIterable<AuditRow> {
  let after: number | undefined;
  do {
    const page = await auditLogPage(deps, { ...filter, ...(after === undefined ? {} : { after }), limit: pageSize });
    yield* page.entries;
    after = page.next === null ? undefined : Number(page.next);
  } while (after !== undefined);
}

/** Ledger records matching the filter, newest recorded first. */
export async function ledgerPage(deps: { registerReads: RegisterReadStore }, input: LedgerFilter & Page<number>): Promise<Paged<'records', LedgerRecord>> {
  const { after, limit: rawLimit, ...filter } = input;
  requireRange(filter);
  const limit = limitOf(rawLimit);
  const records = await deps.registerReads.ledgerRecords(filter, { after: cursorOf(after), limit });
  const last = records[records.length - 1];
  return { records, next: records.length === limit && last !== undefined ? String(last.seq) : null };
}

/**
 * Who each actor id names, for people reading the audit log: a console user's e-mail, an API key's
 * name (`key "crm-sync"`), the command line's `cli:USER` as it is. Both tables are small (people
 * and programs, not customers), read whole once per page.
 */
export async function actorNames(deps: { consoleUsers: ConsoleUserStore; apiKeys: ApiKeyStore }, ids: readonly string[]): Promise<Map<string, string>> {
  const wanted = new Set(ids);
  const names = new Map<string, string>();
  if ([...wanted].some((id) => id.startsWith('user_'))) for (const u of await deps.consoleUsers.listUsers()) if (wanted.has(u.id)) names.set(u.id, u.email);
  if ([...wanted].some((id) => id.startsWith('key_'))) for (const k of await deps.apiKeys.list()) if (wanted.has(k.id)) names.set(k.id, `key "${k.name}"`);
  return names;
}
