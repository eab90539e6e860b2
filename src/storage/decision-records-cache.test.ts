/**
 * The decision records cache is exact on both stores: every write a decision depends on, by this
 * connection or by another process's, is seen by the next read, whatever consumed the marks
 * (SQLite: decision-records-cache.ts; PostgreSQL: postgres-decision-records-cache.ts).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { App } from '../composition-root.ts';
import type { Customer, CustomerId, Instant, OrderId, Sku } from '../core/records.ts';
import { decideForCustomer } from '../use-cases/decide-for-customer.ts';
import { describeOnStore, twoAppsOnOneStore, type StoreKind, type TwoApps } from '../../test/support/stores.ts';
import { CachedDecisionRecords } from './decision-records-cache.ts';
import { PostgresCachedDecisionRecords } from './postgres-decision-records-cache.ts';

const T0 = '2024-01-01T00:00:00.000Z' as Instant;
const NOW = '2025-01-01T00:00:00.000Z' as Instant;
let counter = 0;

function customer(id: string): Customer {
  return {
    id: id as CustomerId,
    kind: 'person',
    name: `Aino ${id}`,
    emails: [`${id.toLowerCase()}@example.fi`],
    phones: ['+358401234567'],
    address: { street: 'Mannerheimintie 1', postalCode: '00100', city: 'Helsinki', country: 'FI' },
    locale: 'fi',
    createdAt: T0,
    updatedAt: T0,
  };
}

for (const kind of ['sqlite', 'postgres'] as const satisfies StoreKind[]) describeOnStore(kind, 'decision records cache', () => {
  /** The server: reads through its cache. */
  let server: App;
  /** Another process on the same file, as `lupa import` or a worker would be. */
  let other: App;
  let id: CustomerId;

  const emailMarketing = async (): Promise<{ allowed: boolean; reasons: readonly string[] }> =>
    decideForCustomer({ ...server.stores, settings: server.settings }, { customerId: id, purpose: 'marketing', channel: 'email', sku: null, at: NOW });
  const grant = (app: App, value: 'granted' | 'withdrawn', at: Instant) =>
    app.stores.ledger.append([
      { kind: 'consent', customerId: id, purpose: 'marketing', channel: 'email', value, at, source: 'web_form', noticeVersion: '2024-05', noticeLocale: 'fi', evidenceRef: null },
    ]);

  let apps: TwoApps;
  beforeAll(async () => {
    apps = await twoAppsOnOneStore(kind);
    ({ server, other } = apps);
    const cache = server.stores.decisionRecords;
    if (cache instanceof PostgresCachedDecisionRecords) {
      // The first read starts the listening connection and bypasses the cache until it is up.
      await cache.recordsFor('nobody' as CustomerId, 'email');
      for (let tries = 0; !cache.listening && tries < 500; tries += 1) await new Promise((resolve) => setTimeout(resolve, 10));
      if (!cache.listening) throw new Error('the decision records cache did not start listening');
    }
  });
  afterAll(() => apps.close());

  beforeEach(async () => {
    id = `K${++counter}` as CustomerId;
    await other.stores.customers.insertCustomer(customer(id));
    await grant(other, 'granted', T0);
    expect((await emailMarketing()).allowed).toBe(true);
  });

  it('is the store the server decides with, and keeps what it read', () => {
    const cache = server.stores.decisionRecords;
    expect(cache).toBeInstanceOf(kind === 'sqlite' ? CachedDecisionRecords : PostgresCachedDecisionRecords);
    expect((cache as CachedDecisionRecords | PostgresCachedDecisionRecords).size).toBeGreaterThan(0);
  });

  it("sees another process's withdrawal at the next read", async () => {
    await grant(other, 'withdrawn', '2024-06-01T00:00:00.000Z' as Instant);
    expect(await emailMarketing()).toMatchObject({ allowed: false });
  });

  it("sees its own connection's objection at the next read", async () => {
    await server.stores.ledger.append([
      { kind: 'objection', customerId: id, scope: 'direct_marketing', value: 'objected', at: '2024-06-01T00:00:00.000Z' as Instant, source: 'web_form', noticeVersion: null, noticeLocale: null, evidenceRef: null },
    ]);
    expect((await emailMarketing()).allowed).toBe(false);
  });

  it('sees a suppression of the address and its lift', async () => {
    const unsubscribe = await other.stores.suppressions.add({ channel: 'email', address: `${id.toLowerCase()}@example.fi`, reason: 'unsubscribe', at: '2024-03-01T00:00:00.000Z' as Instant, validUntil: null, source: 'test' } as never);
    expect((await emailMarketing()).allowed).toBe(false);
    await other.stores.suppressions.lift({ suppressionId: unsubscribe.id, at: '2024-04-01T00:00:00.000Z' as Instant, source: 'test', evidenceRef: null });
    expect((await emailMarketing()).allowed).toBe(true);
  });

  it("sees a new e-mail address on the customer's record, and a new name", async () => {
    await other.stores.suppressions.add({ channel: 'email', address: `new.${id.toLowerCase()}@example.fi`, reason: 'hard_bounce', at: T0, validUntil: null, source: 'test' } as never);
    expect((await emailMarketing()).allowed).toBe(true);
    await other.stores.customers.updateCustomer({ ...customer(id), emails: [`new.${id.toLowerCase()}@example.fi`], updatedAt: NOW });
    expect(await emailMarketing()).toMatchObject({ allowed: false });
    // The audience summary does not watch the name; what the stores answer with the records does.
    await other.stores.customers.updateCustomer({ ...customer(id), name: 'Aino Uusi', emails: [`new.${id.toLowerCase()}@example.fi`], updatedAt: NOW });
    expect((await server.stores.decisionRecords.recordsFor(id, 'email'))?.customer.name).toBe('Aino Uusi');
  });

  it('sees an order, and a change of its product category, for soft opt-in', async () => {
    await other.stores.catalogue.upsertProduct({ sku: `P${id}` as Sku, name: 'Lehti', brand: 'Lehti', category: 'weekly' });
    await other.stores.catalogue.upsertOrder({ id: `O${id}` as OrderId, customerId: id, sku: `P${id}` as Sku, startedAt: T0, endedAt: null, soldVia: 'web', optOutOffered: true });
    const read = () => server.stores.decisionRecords.recordsFor(id, 'email');
    expect((await read())?.orders.map((o) => o.category)).toEqual(['weekly']);
    await other.stores.catalogue.upsertProduct({ sku: `P${id}` as Sku, name: 'Lehti', brand: 'Lehti', category: 'daily' });
    expect((await read())?.orders.map((o) => o.category)).toEqual(['daily']);
  });

  it('sees a product another process adds or changes, though it keeps the catalogue in memory', async () => {
    const sku = `N${id}` as Sku;
    const product = () => server.stores.decisionRecords.recordsAndProduct(id, 'email', sku).then((r) => r.product);
    // Read once: the catalogue is in memory now, without this product.
    expect(await product()).toBeUndefined();
    await other.stores.catalogue.upsertProduct({ sku, name: 'Uutuus', brand: 'Lehti', category: 'weekly' });
    expect(await product()).toMatchObject({ sku, category: 'weekly' });
    await other.stores.catalogue.upsertProduct({ sku, name: 'Uutuus', brand: 'Lehti', category: 'daily' });
    expect(await product()).toMatchObject({ sku, category: 'daily' });
  });

  it('answers a request that joins a catch-up already waiting with what was committed before it began', async () => {
    const first = emailMarketing();
    // Committed after the first request began, before the second: the second must see it, though
    // it shares the first one's catch-up.
    await grant(other, 'withdrawn', '2024-06-01T00:00:00.000Z' as Instant);
    const second = emailMarketing();
    expect((await second).allowed).toBe(false);
    await first;
  });

  it('sees a withdrawal whose marks a summary refresh consumed before the next read', async () => {
    await grant(other, 'withdrawn', '2024-06-01T00:00:00.000Z' as Instant);
    await other.stores.audience.refreshSummaries();
    // Marks made after the refresh take the next seqs; were seqs reused from 1, these would cover
    // the seqs the cache already saw, and the withdrawal's mark would be missed.
    const sqlite = other.database.dialect === 'sqlite' ? other.database.sqlite : null;
    sqlite?.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
       INSERT INTO customers (id, kind, name, created_at, updated_at) SELECT ? || '-' || i, 'person', 'X', ?, ? FROM n`,
    ).run(id, T0, T0);
    expect((await emailMarketing()).allowed).toBe(false);
  });

  it.runIf(kind === 'sqlite')('neither keeps nor trusts what it read inside a transaction that was rolled back', async () => {
    const sqlite = server.database.dialect === 'sqlite' ? server.database.sqlite : null;
    if (sqlite === null) throw new Error('SQLite only');
    // A use case's transaction on the server's own connection, which then fails.
    sqlite.exec('BEGIN');
    sqlite
      .prepare(
        `INSERT INTO ledger (customer_id, kind, purpose, channel, value, at, recorded_at, source, fingerprint)
         VALUES (?, 'consent', 'marketing', 'email', 'withdrawn', '2024-06-01T00:00:00.000Z', '2024-06-01T00:00:00.000Z', 'test', ?)`,
      )
      .run(id, `rolled-back-${id}`);
    expect((await emailMarketing()).allowed).toBe(false);
    sqlite.exec('ROLLBACK');
    // Another process's write takes the rolled-back seq before the server reads again.
    await other.stores.customers.insertCustomer(customer(`${id}b`));
    expect((await emailMarketing()).allowed).toBe(true);
    // And a later write is noticed as ever.
    await grant(other, 'withdrawn', '2024-07-01T00:00:00.000Z' as Instant);
    expect((await emailMarketing()).allowed).toBe(false);
  });

  it.runIf(kind === 'sqlite')("does not keep a read that another read's catch-up overtook while it was awaited", async () => {
    const sqlite = other.database.dialect === 'sqlite' ? other.database.sqlite : null;
    if (sqlite === null) throw new Error('SQLite only');
    const cache = server.stores.decisionRecords;
    // Not cached yet: the read happens now, its entry is kept after an await.
    const first = cache.recordsFor(id, 'sms');
    // Meanwhile another process withdraws (committed at once), and another request catches up
    // with that withdrawal's mark while there is still no entry of this customer to forget.
    sqlite
      .prepare(
        `INSERT INTO ledger (customer_id, kind, purpose, channel, value, at, recorded_at, source, fingerprint)
         VALUES (?, 'consent', 'marketing', NULL, 'withdrawn', '2024-06-01T00:00:00.000Z', '2024-06-01T00:00:00.000Z', 'test', ?)`,
      )
      .run(id, `overtaken-${id}`);
    const second = cache.recordsFor(`${id}-other` as CustomerId, 'sms');
    await Promise.all([first, second]);
    const after = await cache.recordsFor(id, 'sms');
    expect(after?.ledger.map((r) => r.value)).toContain('withdrawn');
  });

  it.runIf(kind === 'postgres')('forgets everyone on a statement that marked more customers than a notification names', async () => {
    if (other.database.dialect !== 'postgres') throw new Error('PostgreSQL only');
    const pool = other.database.pool;
    await pool.query(
      `INSERT INTO customers (id, kind, name, created_at, updated_at) SELECT $1 || '-bulk-' || g, 'person', 'X', $2, $2 FROM generate_series(1, 150) g`,
      [id, T0],
    );
    expect((await server.stores.decisionRecords.recordsFor(id, 'email'))?.customer.name).toBe(`Aino ${id}`);
    // One statement changes this customer's name among 150 others: the notification says '*'.
    await pool.query(`UPDATE customers SET name = name || ' Uusi' WHERE id = $1 OR id LIKE $1 || '-bulk-%'`, [id]);
    expect((await server.stores.decisionRecords.recordsFor(id, 'email'))?.customer.name).toBe(`Aino ${id} Uusi`);
  });

  it.runIf(kind === 'postgres')('bypasses the cache while its listening connection is lost, and is exact again once back', async () => {
    if (other.database.dialect !== 'postgres') throw new Error('PostgreSQL only');
    const cache = server.stores.decisionRecords as PostgresCachedDecisionRecords;
    const pid = cache.listenerProcessId;
    expect(pid).not.toBeNull();
    const told: string[] = [];
    cache.onConnectionChange = (line) => told.push(line);
    await other.database.pool.query('SELECT pg_terminate_backend($1)', [pid]);
    // Written while nobody listens: no notification will ever tell the cache.
    await grant(other, 'withdrawn', '2024-06-01T00:00:00.000Z' as Instant);
    expect((await emailMarketing()).allowed).toBe(false);
    // Reads start a new listening connection after a pause.
    await expect.poll(async () => (await emailMarketing(), [null, pid].includes(cache.listenerProcessId)), { timeout: 10_000 }).toBe(false);
    expect((await emailMarketing()).allowed).toBe(false);
    await grant(other, 'granted', '2024-07-01T00:00:00.000Z' as Instant);
    expect((await emailMarketing()).allowed).toBe(true);
    // An operator is told both, with the error's code and nothing personal.
    expect(told).toEqual([expect.stringMatching(/^decision records cache: listening connection lost \(\w+\)/), expect.stringMatching(/^decision records cache: listening again/)]);
  });

  it.runIf(kind === 'postgres')("listens on its schema's own channel, and forgets everyone on a payload it cannot read", async () => {
    if (other.database.dialect !== 'postgres') throw new Error('PostgreSQL only');
    const cache = server.stores.decisionRecords as PostgresCachedDecisionRecords;
    const schema = new URL(apps.store.url).searchParams.get('schema') ?? '';
    expect(cache.channelName).toBe(`lupa_dr_${createHash('md5').update(schema).digest('hex').slice(0, 16)}`);
    expect(cache.size).toBeGreaterThan(0);
    // Anyone connected may notify on a channel: nothing they send stops the server or leaves it stale.
    await other.database.pool.query(`NOTIFY "${cache.channelName}"`);
    await other.database.pool.query(`NOTIFY "${cache.channelName}", 'hello'`);
    await other.database.pool.query(`NOTIFY "${cache.channelName}", '[1, 2]'`);
    expect((await emailMarketing()).allowed).toBe(true);
    expect(cache.listening).toBe(true);
    expect(cache.size).toBe(1);
    await grant(other, 'withdrawn', '2024-06-01T00:00:00.000Z' as Instant);
    expect((await emailMarketing()).allowed).toBe(false);
  });

  it.runIf(kind === 'postgres')('sees a suppression committed after the customer took its address in a transaction of its own', async () => {
    if (other.database.dialect !== 'postgres') throw new Error('PostgreSQL only');
    const address = `race.${id.toLowerCase()}@example.fi`;
    const writer = await other.database.pool.connect();
    try {
      // The suppression's transaction reaches its customers through their address, in its snapshot:
      // the customer moves to that address after it, and commits first.
      await writer.query('BEGIN');
      await writer.query(
        `INSERT INTO suppressions (channel, address, reason, at, recorded_at, source, fingerprint) VALUES ('email', $1, 'hard_bounce', $2, $2, 'test', $3)`,
        [address, T0, `race-${id}`],
      );
      await other.stores.customers.updateCustomer({ ...customer(id), emails: [address], updatedAt: NOW });
      expect((await emailMarketing()).allowed).toBe(true);
      await writer.query('COMMIT');
    } finally {
      writer.release();
    }
    expect(await emailMarketing()).toMatchObject({ allowed: false, reasons: ['SUPPRESSED'] });
  });
});
