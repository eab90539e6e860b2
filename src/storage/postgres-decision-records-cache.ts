/**
 * A customer's decision records kept in memory between reads, on PostgreSQL, and exact at every
 * read (decision 0031): a decision sees every write committed before it started, as without the
 * cache; there is no time window.
 *
 * How it knows what changed: every write a decision depends on marks the customer in
 * `audience_dirty` in the writer's own transaction, whichever process writes, and a trigger on the
 * marks sends the customers' ids as a notification on the schema's own channel (migration 0047);
 * a statement that marked many, and every change of suppressions, their lifts and products, sends
 * '*' (forget everyone, products included). The cache listens on a connection of its own and
 * forgets the customers it is told about; a payload it cannot read makes it forget everyone.
 *
 * Why that is exact: PostgreSQL delivers notifications in the order the transactions committed.
 * Before a read the cache sends a notification of its own (a "ping") on its listening connection
 * and waits until it comes back; by then every notification of every transaction committed before
 * the ping was sent has arrived and been applied. Requests arriving while a ping is out wait for
 * the next one, sent after they arrived; the requests of one event-loop turn share a ping.
 *  - A read is kept only if no notification forgot anyone while it was awaited: a write committed
 *    just after the read's snapshot is notified later, possibly before the entry exists.
 *  - While the listening connection is not up (starting, lost, a ping unanswered for
 *    PING_TIMEOUT_MS) the cache is bypassed and emptied; it connects again after RETRY_MS.
 *  - Reads through the pool are never inside a caller's transaction, so nothing read can still be
 *    rolled back.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { DecisionRecords, DecisionRecordsAndProduct, DecisionRecordsStore } from '../core/ports.ts';
import type { CustomerId, Product, Sku } from '../core/records.ts';
import { DecisionRecordsLru, type ChannelKey } from './decision-records-lru.ts';
import { productFromRow } from './row-mappers.ts';
import type { ProductsTable } from './schema.ts';

/** A ping not back after this long means the listening connection is lost (ms). */
const PING_TIMEOUT_MS = 2_000;
/** After a lost or refused listening connection, the next try waits this long (ms). */
const RETRY_MS = 1_000;

type Waiter = (caughtUp: boolean) => void;

export class PostgresCachedDecisionRecords implements DecisionRecordsStore {
  private readonly entries: DecisionRecordsLru;
  private listener: pg.PoolClient | null = null;
  private connecting = false;
  private retryAt = 0;
  private closed = false;
  /** Counts the notifications that forgot customers (see the class comment). */
  private generation = 0;
  /** Moved by every 'catalogue' notification; the products in memory were read at `products.version`. */
  private catalogueVersion = 0;
  private products: { version: number; bySku: Map<string, Product> } = { version: -1, bySku: new Map() };
  private productsLoad: Promise<void> | null = null;
  /** Pings carry this instance's id, so another server's pings are told apart from ours. */
  private readonly instance = randomUUID();
  private pings = 0;
  /** This schema's channel (migration 0047's decision_records_channel), known once listening. */
  private channel: string | null = null;
  /** The ping out now, and the requests waiting for it. */
  private out: { payload: string; waiters: Waiter[]; timer: NodeJS.Timeout } | null = null;
  /** Requests that arrived after `out` was sent: they wait for the next ping. */
  private next: Waiter[] = [];
  private pingScheduled = false;

  /**
   * `capacity`: customers kept at most (LUPA_DECISION_CACHE_CUSTOMERS); 0 turns the cache off.
   * The listening connection is taken from `pool` at the first read and held until `close()`.
   */
  /**
   * Told when the listening connection is lost and when it listens again after that: an operator
   * should know that decisions read the store meanwhile (slower, never stale). A line with no
   * personal data: the error's code or class only.
   */
  onConnectionChange: (line: string) => void = () => undefined;
  private lostBefore = false;

  constructor(
    private readonly store: DecisionRecordsStore,
    private readonly pool: pg.Pool,
    capacity: number,
  ) {
    this.entries = new DecisionRecordsLru(capacity);
  }

  /** How many customers are cached now (for tests and the health of the cache). */
  get size(): number {
    return this.entries.size;
  }

  /** True once the listening connection is up and the cache is in use. */
  get listening(): boolean {
    return this.listener !== null;
  }

  /** This schema's notification channel (null until listening), for tests and diagnosis. */
  get channelName(): string | null {
    return this.channel;
  }

  /** The listening connection's server process id (null: not listening), for tests and diagnosis. */
  get listenerProcessId(): number | null {
    return (this.listener as { processID?: number } | null)?.processID ?? null;
  }

  async recordsFor(customerId: CustomerId, channel: ChannelKey): Promise<DecisionRecords | null> {
    return (await this.recordsAndProduct(customerId, channel, null)).records;
  }

  async recordsAndProduct(customerId: CustomerId, channel: ChannelKey, sku: Sku | null): Promise<DecisionRecordsAndProduct> {
    if (this.entries.capacity === 0 || !(await this.caughtUp())) return this.store.recordsAndProduct(customerId, channel, sku);
    const product = sku === null ? null : await this.product(sku);
    const cached = this.entries.get(customerId, channel);
    if (cached !== undefined) return { records: cached, product };
    const generation = this.generation;
    const records = await this.store.recordsFor(customerId, channel);
    if (generation === this.generation && this.listener !== null) this.entries.set(customerId, channel, records);
    return { records, product };
  }

  /** Lets the listening connection go; later reads go to the store. */
  async close(): Promise<void> {
    this.closed = true;
    this.lose(null);
  }

  /** Resolves true once a ping sent after this call came back; false when the cache must be bypassed. */
  private caughtUp(): Promise<boolean> {
    if (this.listener === null) {
      this.listen();
      return Promise.resolve(false);
    }
    return new Promise<boolean>((resolve) => {
      this.next.push(resolve);
      this.schedulePing();
    });
  }

  /** The requests of this event-loop turn share the ping sent in its check phase. */
  private schedulePing(): void {
    if (this.pingScheduled || this.out !== null) return;
    this.pingScheduled = true;
    setImmediate(() => {
      this.pingScheduled = false;
      this.ping();
    });
  }

  private ping(): void {
    const listener = this.listener;
    if (this.out !== null || this.next.length === 0) return;
    if (listener === null) return this.release(this.takeNext(), false);
    this.pings += 1;
    const payload = `ping:${this.instance}:${this.pings}`;
    const timer = setTimeout(() => this.listener === listener && this.lose(new Error('decision cache ping unanswered')), PING_TIMEOUT_MS);
    this.out = { payload, waiters: this.takeNext(), timer };
    // The payload is made of hex digits, dashes, colons and digits only: safe as a literal.
    listener.query(`NOTIFY "${this.channel}", '${payload}'`).catch((err: unknown) => this.listener === listener && this.lose(err));
  }

  private takeNext(): Waiter[] {
    const waiters = this.next;
    this.next = [];
    return waiters;
  }

  private release(waiters: Waiter[], caughtUp: boolean): void {
    for (const waiter of waiters) waiter(caughtUp);
  }

  private onNotification(payload: string): void {
    if (this.out !== null && payload === this.out.payload) {
      const { waiters, timer } = this.out;
      clearTimeout(timer);
      this.out = null;
      this.release(waiters, true);
      if (this.next.length > 0) this.schedulePing();
    } else if (payload.startsWith('ping:')) {
      // Another server's ping.
    } else {
      this.generation += 1;
      const ids = customerIds(payload);
      if (ids === null) {
        // '*', or anything else (anyone connected may notify on the channel): everyone, products too.
        this.entries.clear();
        this.catalogueVersion += 1;
      } else {
        for (const id of ids) this.entries.forget(id);
      }
    }
  }

  /** Starts listening in the background; reads bypass the cache until it is up. */
  private listen(): void {
    if (this.connecting || this.closed || Date.now() < this.retryAt) return;
    this.connecting = true;
    void (async () => {
      const client = await this.pool.connect();
      // A listening connection alone must not keep a process alive (a command that never closes
      // its app would otherwise wait for ever); the pool's other connections still do while busy.
      (client as unknown as { connection?: { stream?: { unref?: () => void } } }).connection?.stream?.unref?.();
      client.on('notification', (message) => {
        if (message.channel === this.channel && this.listener === client) this.onNotification(message.payload ?? '');
      });
      // A connection lost after a newer one took its place concerns no one.
      client.on('error', (err) => this.listener === client && this.lose(err));
      client.on('end', () => this.listener === client && this.lose(new Error('decision cache listener ended')));
      try {
        // The channel of the schema the marks are written in, as the triggers name it.
        const { rows } = await client.query<{ channel: string }>("SELECT decision_records_channel(n.nspname) AS channel FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = 'audience_dirty'::regclass");
        const channel = rows[0]?.channel;
        if (channel === undefined || !/^lupa_dr_[0-9a-f]{16}$/.test(channel)) throw new Error('no decision records channel');
        this.channel = channel;
        // A ping writes nothing that must survive a crash, and its order among the notifications
        // is fixed when it commits, before the flush: it need not wait for the WAL to reach disk.
        await client.query(`SET synchronous_commit TO off; LISTEN "${channel}"`);
      } catch (err) {
        client.release(err instanceof Error ? err : true);
        throw err;
      }
      if (this.closed) return client.release(true);
      // Nothing is cached while not listening; start from nothing all the same.
      this.entries.clear();
      this.generation += 1;
      this.listener = client;
      if (this.lostBefore) this.onConnectionChange('decision records cache: listening again; decisions are read from memory again');
      this.lostBefore = false;
    })()
      .catch(() => {
        this.retryAt = Date.now() + RETRY_MS;
      })
      .finally(() => {
        this.connecting = false;
      });
  }

  /** The listening connection is gone (or closed): forget everything, bypass until listening again. */
  private lose(err: unknown): void {
    const listener = this.listener;
    this.listener = null;
    this.entries.clear();
    this.generation += 1;
    if (this.out !== null) {
      clearTimeout(this.out.timer);
      this.release(this.out.waiters, false);
      this.out = null;
    }
    this.release(this.takeNext(), false);
    if (listener !== null) {
      if (err !== null && !this.closed) {
        this.lostBefore = true;
        const code = (err as { code?: unknown }).code;
        this.onConnectionChange(`decision records cache: listening connection lost (${typeof code === 'string' ? code : err instanceof Error ? err.name : 'unknown'}); decisions read the store until it listens again`);
      }
      this.retryAt = Date.now() + (err === null ? 0 : RETRY_MS);
      // Destroyed, not returned to the pool: it is still listening.
      listener.release(err instanceof Error ? err : true);
    }
  }

  /** The product by sku, from the catalogue as it was when the last ping came back. */
  private async product(sku: Sku): Promise<Product | undefined> {
    while (this.products.version !== this.catalogueVersion) {
      this.productsLoad ??= this.loadProducts().finally(() => {
        this.productsLoad = null;
      });
      await this.productsLoad;
    }
    return this.products.bySku.get(sku);
  }

  private async loadProducts(): Promise<void> {
    const version = this.catalogueVersion;
    const { rows } = await this.pool.query<ProductsTable>({ name: 'lupa-decision-products', text: 'SELECT sku, name, brand, category FROM products' });
    this.products = { version, bySku: new Map(rows.map((row) => [row.sku, productFromRow(row)])) };
  }
}

/** The customer ids of a notification's JSON array, or null for anything else ('*' included). */
function customerIds(payload: string): string[] | null {
  if (!payload.startsWith('[')) return null;
  try {
    const parsed: unknown = JSON.parse(payload);
    return Array.isArray(parsed) && parsed.every((id) => typeof id === 'string') ? (parsed as string[]) : null;
  } catch {
    return null;
  }
}
