/**
 * Ad audience benchmark: every customer given an `ad_audience` consent (objectors stay excluded),
 * then a Meta audience synced from scratch to the local stand-in (who may be uploaded, hashing,
 * the merge against what was sent, 10,000-row requests, the state written), then synced again after
 * 1 % of the customers withdrew: only their removals are sent. Beside its bare reference in the same
 * run: SHA-256 of as many strings as identifiers were sent, and the same number of 10,000-hash
 * POSTs to an HTTP server that only reads them.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { MetaCustomAudiences } from '../src/channels/ads/meta-custom-audiences.ts';
import type { App } from '../src/composition-root.ts';
import { syncAdAudience } from '../src/use-cases/ad-audiences/sync-ad-audience.ts';
import { startMetaStandIn } from '../test/support/ad-platform-stand-ins.ts';

const BATCH = 10_000;

async function grantAll(app: App, value: 'granted' | 'withdrawn', at: string, where: string): Promise<void> {
  await sql`INSERT INTO ledger (customer_id, kind, purpose, channel, value, at, recorded_at, source, notice_version, notice_locale, evidence_ref, fingerprint)
    SELECT id, 'consent', 'ad_audience', NULL, ${value}, ${at}, ${at}, 'bench', NULL, NULL, NULL, ${`bench-ad-${value}-${at}-`} || id FROM customers WHERE ${sql.raw(where)}`.execute(app.database.db);
  await app.stores.audience.refreshSummaries();
}

/** SHA-256 of `n` strings like e-mail addresses, and `n / 10,000` bare POSTs of 10,000 hashes each. */
async function bare(n: number): Promise<{ hashSeconds: number; postSeconds: number }> {
  let started = performance.now();
  const hashes: string[] = [];
  for (let i = 0; i < n; i++) hashes.push(createHash('sha256').update(`person${i}@example.fi`).digest('hex'));
  const hashSeconds = (performance.now() - started) / 1000;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('{}'));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  started = performance.now();
  for (let i = 0; i < hashes.length; i += BATCH) {
    await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data: hashes.slice(i, i + BATCH) }) })).text();
  }
  const postSeconds = (performance.now() - started) / 1000;
  server.close();
  return { hashSeconds: Number(hashSeconds.toFixed(3)), postSeconds: Number(postSeconds.toFixed(3)) };
}

export async function benchAdAudiences(app: App, customers: number): Promise<Record<string, unknown>> {
  const standIn = await startMetaStandIn('bench');
  try {
    const at = app.now();
    await grantAll(app, 'granted', at, '1 = 1');
    const deps = { ...app.stores, settings: app.settings, now: app.now, platforms: { meta: new MetaCustomAudiences({ apiUrl: standIn.url, accessToken: 'bench' }) } };
    await sql`DELETE FROM ad_audiences WHERE name = 'bench'`.execute(app.database.db);
    const audience = await app.stores.adAudiences.create({ name: 'bench', platform: 'meta', externalId: '1', filter: {}, createdBy: 'bench', at });

    let started = performance.now();
    const first = await syncAdAudience(deps, audience.id);
    const firstSeconds = (performance.now() - started) / 1000;

    // 1 % withdraw (every hundredth customer by id).
    const later = app.now();
    const changed = Math.max(1, Math.round(customers / 100));
    await grantAll(app, 'withdrawn', later, `id IN (SELECT id FROM customers ORDER BY id LIMIT ${changed})`);
    const requestsBefore = { ...standIn.requests };
    started = performance.now();
    const second = await syncAdAudience(deps, audience.id);
    const secondSeconds = (performance.now() - started) / 1000;
    const reference = await bare(first.added);
    return {
      eligible: first.eligible,
      first: { identifiers: first.added, seconds: Number(firstSeconds.toFixed(3)), requests: standIn.requests['POST users'] ?? 0, largestBatch: standIn.largestBatch },
      afterOnePercentWithdrew: {
        withdrew: changed,
        added: second.added,
        removed: second.removed,
        seconds: Number(secondSeconds.toFixed(3)),
        deleteRequests: (standIn.requests['DELETE users'] ?? 0) - (requestsBefore['DELETE users'] ?? 0),
      },
      violations: standIn.violations.length,
      bare: reference,
      ratioToBare: Number((firstSeconds / (reference.hashSeconds + reference.postSeconds)).toFixed(2)),
    };
  } finally {
    await standIn.close();
  }
}
