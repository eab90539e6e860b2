/**
 * Segment benchmark: a segment of three conditions (language, an order in a category, an e-mail
 * marketing consent) computed over every customer, first into an empty membership (every member
 * inserted) and then again with its members present (the difference written), then refreshed incrementally after
 * 1 % of the customers changed; beside its bare reference in the same run: one count over the same
 * tables with the same three semi-joins and none of the rules (no latest-record logic, no
 * objection gate, nothing written).
 */
import { sql } from 'kysely';
import type { App } from '../src/composition-root.ts';
import type { Instant } from '../src/core/records.ts';
import type { SegmentRule } from '../src/core/segments/rule.ts';

const RULE: SegmentRule = {
  all: [{ attribute: 'locale', equals: 'fi' }, { orders: { category: ['daily'] } }, { consent: { purpose: 'marketing', channel: 'email' } }],
};

async function bareScan(app: App): Promise<{ rows: number; seconds: number }> {
  const started = performance.now();
  const { rows } = await sql<{ n: number }>`
    SELECT COUNT(*) AS n FROM customers c
    WHERE c.locale = 'fi'
      AND c.id IN (SELECT o.customer_id FROM orders o WHERE o.sku IN (SELECT sku FROM products WHERE category = 'daily'))
      AND c.id IN (SELECT l.customer_id FROM ledger l WHERE l.kind = 'consent' AND l.purpose = 'marketing' AND l.value = 'granted')`.execute(app.database.db);
  return { rows: Number(rows[0]?.n ?? 0), seconds: (performance.now() - started) / 1000 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

export async function benchSegments(app: App, customers: number): Promise<Record<string, unknown>> {
  const segments = app.stores.segments;
  for (const s of await segments.list()) await segments.remove(s.id);
  const at = app.now();
  const segment = await segments.create({ name: 'bench: fi daily e-mail consent', description: null, rule: RULE, createdBy: 'bench', at });
  await segments.refreshAll(at); // empties the changes the import left (millions of rows), not timed

  // The first computation, into an empty membership (every member inserted): a new segment of the same rule.
  const fresh = await segments.create({ name: 'bench: first computation', description: null, rule: RULE, createdBy: 'bench', at });
  const firstStarted = performance.now();
  await segments.recompute(fresh.id, app.now());
  const firstSeconds = (performance.now() - firstStarted) / 1000;
  await segments.remove(fresh.id);

  // Recomputed whole with the members present: the rule evaluated over everyone, the difference written.

  const full: number[] = [];
  let members = 0;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    members = (await segments.recompute(segment.id, app.now())).members;
    full.push((performance.now() - started) / 1000);
  }

  // 1 % of the customers changed: their city (a new value each run, so PostgreSQL's trigger sees a
  // change), which the rule does not read: the recompute of exactly these customers is measured.
  const changed = Math.max(1, Math.round(customers / 100));
  const incremental: number[] = [];
  let recomputed = 0;
  for (let i = 0; i < 3; i++) {
    await sql`UPDATE customers SET city = ${`Bench ${Date.now()} ${i}`} WHERE id IN (SELECT id FROM customers ORDER BY id LIMIT ${changed} OFFSET ${i * changed})`.execute(app.database.db);
    const started = performance.now();
    const [run] = await segments.refreshAll(app.now());
    incremental.push((performance.now() - started) / 1000);
    recomputed = run?.recomputed ?? 0;
  }

  const count: number[] = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    await segments.count(RULE, app.now() as Instant);
    count.push((performance.now() - started) / 1000);
  }
  await bareScan(app);
  const bare: number[] = [];
  let bareRows = 0;
  for (let i = 0; i < 3; i++) {
    const b = await bareScan(app);
    bare.push(b.seconds);
    bareRows = b.rows;
  }
  await segments.remove(segment.id);
  return {
    rule: RULE,
    members,
    firstSeconds: Number(firstSeconds.toFixed(3)),
    fullSeconds: Number(median(full).toFixed(3)),
    countSeconds: Number(median(count).toFixed(3)),
    incremental: { changedCustomers: changed, recomputed, medianSeconds: Number(median(incremental).toFixed(3)) },
    bare: { rows: bareRows, medianSeconds: Number(median(bare).toFixed(3)) },
    firstRatioToBare: Number((firstSeconds / median(bare)).toFixed(3)),
    fullRatioToBare: Number((median(full) / median(bare)).toFixed(3)),
    incrementalRatioToBare: Number((median(incremental) / median(bare)).toFixed(3)),
  };
}
