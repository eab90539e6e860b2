/**
 * Customer search and the customer view over HTTP, on the store the import left (`--only import,search`):
 *  - search: `GET /v1/customers` by surname, first name, "first last", e-mail, phone and id, as the
 *    console asks it (`limit=50`, every customer returned audited); target p95 < 300 ms;
 *  - view: the calls the console's customer page makes (the customer, orders, messages, ledger,
 *    its "may we?" grid in one read, and one decision); target p95 ≤ 150 ms each;
 * each beside a bare reference in the same run: a `node:http` endpoint answering one indexed point
 * SELECT of a customer row through the store's own driver, no Lupa code on top (the floor of any
 * read of one customer that day), with the ratio of each p95 to its p95.
 * Requests go one at a time over one keep-alive connection from a client process of its own
 * (bench/http-sequential.mjs), each group over customers spread across the whole register.
 * Figures in milliseconds.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { App } from '../src/composition-root.ts';
import type { Customer, CustomerId } from '../src/core/records.ts';
import { buildServer } from '../src/http/server.ts';
import { createApiKey } from '../src/use-cases/api-keys.ts';
import { runJsonClient } from './http-capacity.ts';
import { round } from './run.ts';

const SEARCH_P95_TARGET_MS = 300;
const VIEW_P95_TARGET_MS = 150;
/** Requests per group. */
const SAMPLES = 200;
const CLIENT = fileURLToPath(new URL('./http-sequential.mjs', import.meta.url));

interface GroupFigures {
  requests: number;
  non200: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
}

export async function benchCustomerSearch(app: App, customers: number): Promise<Record<string, unknown>> {
  const { key } = await createApiKey({ apiKeys: app.stores.apiKeys, now: app.now }, { name: 'benchmark search', role: 'agent' });
  // What autovacuum does after an import: the word index answers from the index alone once the
  // table's pages are marked all-visible (PostgreSQL; SQLite has no such step).
  if (app.database.dialect === 'postgres') await app.database.pool.query('VACUUM (ANALYZE) customer_name_words');
  const sample = await sampleCustomers(app, customers);
  const people = sample.filter((c) => c.kind === 'person' && c.name.includes(' '));
  const q = (params: Record<string, string>): string => `/v1/customers?${new URLSearchParams({ ...params, limit: '50' }).toString()}`;
  const words = (c: Customer): string[] => c.name.split(' ');
  const searches: Record<string, string[]> = {
    surname: people.map((c) => q({ name: words(c).at(-1) ?? '' })),
    firstName: people.map((c) => q({ name: words(c)[0] ?? '' })),
    firstLast: people.map((c) => q({ name: c.name })),
    email: sample.filter((c) => c.emails[0] !== undefined).map((c) => q({ email: c.emails[0] ?? '' })),
    phone: sample.filter((c) => c.phones[0] !== undefined).map((c) => q({ phone: c.phones[0] ?? '' })),
    id: sample.map((c) => q({ id: c.id })),
  };
  const ids = sample.map((c) => encodeURIComponent(c.id));
  const view: Record<string, string[]> = {
    customer: ids.map((id) => `/v1/customers/${id}`),
    orders: ids.map((id) => `/v1/customers/${id}/orders`),
    messages: ids.map((id) => `/v1/customers/${id}/messages`),
    ledger: ids.map((id) => `/v1/customers/${id}/ledger`),
    decide: ids.map((id) => `/v1/decide?customer=${id}&purpose=marketing&channel=email`),
    permissions: ids.map((id) => `/v1/customers/${id}/permissions`),
  };
  const server = await buildServer(app, { logger: false });
  await server.listen({ host: '127.0.0.1', port: 0 });
  const bare = await barePointSelectServer(app);
  try {
    const url = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}/`;
    const headers = { authorization: `Bearer ${key}` };
    const bareFigures = (await sequential({ url: `http://127.0.0.1:${bare.port}/`, groups: { pointSelect: ids.map((id) => `/?id=${id}`) } }))['pointSelect'];
    const searchFigures = await sequential({ url, headers, groups: searches });
    const viewFigures = await sequential({ url, headers, groups: view });
    const bareP95 = bareFigures?.latencyMs.p95 ?? NaN;
    const judged = (figures: Record<string, GroupFigures>, target: number) =>
      Object.fromEntries(
        Object.entries(figures).map(([name, f]) => [name, { ...f, p95RatioToBare: round(f.latencyMs.p95 / bareP95), met: f.non200 === 0 && f.latencyMs.p95 <= target }]),
      );
    const search = judged(searchFigures, SEARCH_P95_TARGET_MS);
    const customerView = judged(viewFigures, VIEW_P95_TARGET_MS);
    return {
      samples: SAMPLES,
      bare: { what: 'node:http + one indexed point SELECT of a customer row (store driver)', ...bareFigures },
      search,
      customerView,
      targets: {
        searchP95Ms: { below: SEARCH_P95_TARGET_MS, met: Object.values(search).every((f) => f.met) },
        customerViewP95Ms: { atMost: VIEW_P95_TARGET_MS, met: Object.values(customerView).every((f) => f.met) },
      },
    };
  } finally {
    await bare.close();
    await server.close();
  }
}

/** SAMPLES customers with ids spread over the whole register (the demo's ids are C0000001…). */
async function sampleCustomers(app: App, customers: number): Promise<Customer[]> {
  const ids = Array.from({ length: SAMPLES }, (_, i) => `C${String(1 + ((i * 7919) % customers)).padStart(7, '0')}` as CustomerId);
  const found = await app.stores.customers.getCustomers(ids);
  if (found.length === 0) throw new Error('no demo customers in the store: run with --only import,search');
  // In the sampled order, not the store's id order: neighbours in id are not neighbours in the table.
  const byId = new Map(found.map((c) => [c.id, c]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** The bare reference: `GET /?id=…` answered with the customer row, read by one point SELECT on the primary key. */
async function barePointSelectServer(app: App): Promise<{ port: number; close(): Promise<void> }> {
  const database = app.database;
  const read: (id: string) => Promise<unknown> =
    database.dialect === 'sqlite'
      ? ((statement) => async (id: string) => statement.get(id))(database.sqlite.prepare('SELECT * FROM customers WHERE id = ?'))
      : async (id: string) => (await database.pool.query({ name: 'bench-point-select', text: 'SELECT * FROM customers WHERE id = $1', values: [id] })).rows[0];
  const server = http.createServer((req, res) => {
    const id = new URL(req.url ?? '/', 'http://x').searchParams.get('id') ?? '';
    read(id).then(
      (row) => {
        const payload = Buffer.from(JSON.stringify(row ?? null));
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': payload.length });
        res.end(payload);
      },
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Runs the sequential client (bench/http-sequential.mjs) in a process of its own. */
function sequential(job: { url: string; headers?: Record<string, string>; groups: Record<string, string[]> }): Promise<Record<string, GroupFigures>> {
  return runJsonClient<Record<string, GroupFigures>>(CLIENT, job);
}
