/**
 * Remarketing lists (migration 0046) on SQLite and PostgreSQL. A refresh computes a list's members
 * in one INSERT … SELECT over `site_events` (set-based: no loop over visitors), replacing the
 * earlier members in the same transaction, so the browser's question never sees a half-made list.
 *
 * Who is left out, in the same statement: a visitor signed in (site_visitors) as a customer no
 * longer in the register, or whose ledger refuses ads chosen for them on the sites as of the
 * refresh: the latest `site_ads` consent record (channel `web` or every channel) is a withdrawal
 * (CONSENT_WITHDRAWN), or an objection to direct marketing or to profiling stands (OBJECTED,
 * PROFILING_OBJECTED: profilingAllowedSql). These are the ad server's LEDGER_REFUSALS, which the
 * browser's question also asks per visitor (use-cases/remarketing.ts).
 */
import { sql, type Kysely } from 'kysely';
import { DomainError } from '../../core/errors.ts';
import type { Instant } from '../../core/records.ts';
import { windowStart, type RemarketingList, type RemarketingRefresh, type RemarketingRule, type RemarketingStore, type VisitorList } from '../../core/remarketing.ts';
import { profilingAllowedSql } from '../profiling-gate.ts';
import type { Schema } from '../schema.ts';
import { SqlParams } from '../sql-text.ts';

interface ListRow {
  id: number | string;
  name: string;
  site: string | null;
  event: string;
  page_prefix: string | null;
  within_days: number | string;
  not_followed_by: string | null;
  created_at: string;
  created_by: string;
  member_count: number | string;
  refreshed_at: string | null;
}

const COLUMNS = sql`id, name, site, event, page_prefix, within_days, not_followed_by, created_at, created_by, member_count, refreshed_at`;

/**
 * SQL condition, both dialects: the signed-in visitor `visitor` (a column expression) is one to
 * leave out as of `at` (a marker of an instant): see the module's comment.
 */
function refusedVisitorSql(visitor: string, at: string): string {
  const siteAds = `l.kind = 'consent' AND l.purpose = 'site_ads' AND (l.channel IS NULL OR l.channel = 'web') AND l.at <= ${at}`;
  const later = siteAds.replace(/\bl\./g, 'l2.');
  return `${visitor} IN (
    SELECT v.visitor_id FROM site_visitors v
    WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = v.customer_id)
      OR NOT (${profilingAllowedSql('v.customer_id', at)})
      OR v.customer_id IN (
        SELECT l.customer_id FROM ledger l
        WHERE ${siteAds} AND l.value = 'withdrawn'
          AND NOT EXISTS (SELECT 1 FROM ledger l2 WHERE l2.customer_id = l.customer_id AND ${later}
            AND (l2.at > l.at OR (l2.at = l.at AND l2.seq > l.seq)))))`;
}

/**
 * The statement that fills list `listId`'s members as of `at`: visitors who did `rule.event` in the
 * window (on the site, under the page prefix), after the latest of which they did not do
 * `rule.notFollowedBy`, and whom the ledger does not refuse.
 */
export function membershipSql(p: SqlParams, listId: number, rule: RemarketingRule, at: Instant, dialect: 'sqlite' | 'postgres'): string {
  const instant = (v: string): string => (dialect === 'postgres' ? `CAST(${p.param(v)} AS timestamptz)` : p.param(v));
  const atMarker = instant(at);
  const site = rule.site === null ? '' : ` AND e.site = ${p.param(rule.site)}`;
  const prefix = rule.pagePrefix === null ? '' : ` AND substr(e.page, 1, ${p.param(rule.pagePrefix.length)}) = ${p.param(rule.pagePrefix)}`;
  // "Did not do Y after it": no Y after some X in the window, i.e. none after the latest such X.
  const notAfter =
    rule.notFollowedBy === null
      ? ''
      : ` AND NOT EXISTS (SELECT 1 FROM site_events y WHERE y.visitor_id = e.visitor_id AND y.name = ${p.param(rule.notFollowedBy)}
          AND y.at > e.at AND y.at <= ${atMarker}${rule.site === null ? '' : ' AND y.site = e.site'})`;
  return `INSERT INTO remarketing_members (list_id, visitor_id)
    SELECT DISTINCT ${dialect === 'postgres' ? `CAST(${p.param(listId)} AS bigint)` : p.param(listId)}, e.visitor_id FROM site_events e
    WHERE e.name = ${p.param(rule.event)} AND e.at >= ${instant(windowStart(at, rule.withinDays))} AND e.at <= ${atMarker}${site}${prefix}${notAfter}
      AND NOT (${refusedVisitorSql('e.visitor_id', atMarker)})`;
}

export class SqlRemarketingStore implements RemarketingStore {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly dialect: 'sqlite' | 'postgres',
  ) {}

  async create(l: { name: string; rule: RemarketingRule; by: string; at: Instant }): Promise<RemarketingList> {
    const taken = await sql<{ id: number }>`SELECT id FROM remarketing_lists WHERE name = ${l.name}`.execute(this.db);
    if (taken.rows.length > 0) throw new DomainError('REMARKETING_LIST_EXISTS', `a remarketing list named "${l.name}" exists`, { field: 'name' });
    const r = l.rule;
    const { rows } = await sql<ListRow>`INSERT INTO remarketing_lists (name, site, event, page_prefix, within_days, not_followed_by, created_at, created_by)
      VALUES (${l.name}, ${r.site}, ${r.event}, ${r.pagePrefix}, ${r.withinDays}, ${r.notFollowedBy}, ${l.at}, ${l.by}) RETURNING ${COLUMNS}`.execute(this.db);
    return listOf(rows[0] as ListRow);
  }

  async list(): Promise<RemarketingList[]> {
    const { rows } = await sql<ListRow>`SELECT ${COLUMNS} FROM remarketing_lists ORDER BY name`.execute(this.db);
    return rows.map(listOf);
  }

  async get(id: number): Promise<RemarketingList | null> {
    const { rows } = await sql<ListRow>`SELECT ${COLUMNS} FROM remarketing_lists WHERE id = ${id}`.execute(this.db);
    return rows[0] === undefined ? null : listOf(rows[0]);
  }

  async remove(id: number): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await sql`DELETE FROM remarketing_members WHERE list_id = ${id}`.execute(trx);
      const res = await sql`DELETE FROM remarketing_lists WHERE id = ${id}`.execute(trx);
      return Number(res.numAffectedRows ?? 0) > 0;
    });
  }

  async refresh(id: number, at: Instant): Promise<RemarketingRefresh> {
    return this.db.transaction().execute(async (trx) => {
      // The list's row locked first (PostgreSQL): two refreshes of one list run one after the other.
      const lock = this.dialect === 'postgres' ? sql` FOR UPDATE` : sql``;
      const { rows } = await sql<ListRow>`SELECT ${COLUMNS} FROM remarketing_lists WHERE id = ${id}${lock}`.execute(trx);
      if (rows[0] === undefined) throw new DomainError('NOT_FOUND', `no remarketing list ${id}`, { field: 'id' });
      const list = listOf(rows[0]);
      await sql`DELETE FROM remarketing_members WHERE list_id = ${id}`.execute(trx);
      const p = new SqlParams();
      const inserted = await p.bind(membershipSql(p, id, list, at, this.dialect)).execute(trx);
      const members = Number(inserted.numAffectedRows ?? 0n);
      await sql`UPDATE remarketing_lists SET member_count = ${members}, refreshed_at = ${at} WHERE id = ${id}`.execute(trx);
      return { listId: id, members, refreshedAt: at };
    });
  }

  async listsOfVisitor(visitorId: string, site: string | null): Promise<VisitorList[]> {
    const onSite = site === null ? sql`` : sql` AND (l.site IS NULL OR l.site = ${site})`;
    const { rows } = await sql<{ id: number | string; name: string }>`SELECT l.id, l.name FROM remarketing_members m
      JOIN remarketing_lists l ON l.id = m.list_id WHERE m.visitor_id = ${visitorId}${onSite} ORDER BY l.id`.execute(this.db);
    return rows.map((r) => ({ id: Number(r.id), name: r.name }));
  }
}

function listOf(r: ListRow): RemarketingList {
  return {
    id: Number(r.id),
    name: r.name,
    site: r.site,
    event: r.event,
    pagePrefix: r.page_prefix,
    withinDays: Number(r.within_days),
    notFollowedBy: r.not_followed_by,
    createdAt: r.created_at as Instant,
    createdBy: r.created_by,
    members: Number(r.member_count),
    refreshedAt: r.refreshed_at as Instant | null,
  };
}
