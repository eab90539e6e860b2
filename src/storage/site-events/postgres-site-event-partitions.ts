/**
 * PostgreSQL's day partitions of `site_events` (migration 0040): created ahead by the server
 * (`upkeep`, and before a batch whose day has none yet), and dropped whole once past retention, so
 * that retention deletes no row one by one. A partition is named by its day: `site_events_p20261201`
 * holds [2026-12-01T00:00Z, 2026-12-02T00:00Z).
 */
import type pg from 'pg';

/** Days of partitions kept ready ahead of today. */
export const PARTITION_DAYS_AHEAD = 7;

const NAME = /^site_events_p(\d{4})(\d{2})(\d{2})$/;
/** duplicate_table, unique_violation (two processes creating the same partition at once). */
const ALREADY_THERE = new Set(['42P07', '23505']);

function partitionName(day: string): string {
  return `site_events_p${day.replaceAll('-', '')}`;
}

function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

export class PostgresSiteEventPartitions {
  /** Days known to have a partition (a cache: a miss costs one CREATE … IF NOT EXISTS). */
  private readonly known = new Set<string>();

  constructor(private readonly pool: pg.Pool) {}

  /** Makes sure each day (`YYYY-MM-DD`, UTC) has its partition. */
  async ensure(days: Iterable<string>): Promise<number> {
    let created = 0;
    for (const day of days) {
      if (this.known.has(day)) continue;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`not a day: ${day}`);
      try {
        const res = await this.pool.query(
          `CREATE TABLE IF NOT EXISTS ${partitionName(day)} PARTITION OF site_events FOR VALUES FROM ('${day}T00:00:00Z') TO ('${nextDay(day)}T00:00:00Z')`,
        );
        if (res.command === 'CREATE') created += 1;
      } catch (err) {
        if (!ALREADY_THERE.has((err as { code?: string }).code ?? '')) throw err;
      }
      this.known.add(day);
    }
    return created;
  }

  /** Today's and the next PARTITION_DAYS_AHEAD days' partitions. */
  async createAhead(now: Date): Promise<number> {
    const days: string[] = [];
    let day = now.toISOString().slice(0, 10);
    for (let i = 0; i <= PARTITION_DAYS_AHEAD; i++) {
      days.push(day);
      day = nextDay(day);
    }
    return this.ensure(days);
  }

  /** Drops the partitions that end at or before `cutoff` (every row in them is past retention). */
  async dropBefore(cutoff: Date): Promise<number> {
    const res = await this.pool.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
       WHERE p.oid = 'site_events'::regclass`,
    );
    let dropped = 0;
    for (const { name } of res.rows) {
      const m = NAME.exec(name);
      if (m === null) continue;
      const end = new Date(`${nextDay(`${m[1]}-${m[2]}-${m[3]}`)}T00:00:00Z`);
      if (end.getTime() > cutoff.getTime()) continue;
      await this.pool.query(`DROP TABLE IF EXISTS ${name}`);
      this.known.delete(`${m[1]}-${m[2]}-${m[3]}`);
      dropped += 1;
    }
    return dropped;
  }
}
