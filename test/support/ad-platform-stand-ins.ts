/**
 * Local stand-ins for Meta's Marketing API (custom audience users) and Google Ads' offline user
 * data jobs: real HTTP servers that check each request strictly against the documented format
 * (batch sizes, session fields, hash shape, job order, consent fields), answer 400 to anything
 * else, and hold the audience each ends up with, so a test can compare it with who may be uploaded.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const HASH = /^[0-9a-f]{64}$/;

export interface StandIn {
  url: string;
  /** Every refusal the stand-in made, in order: a correct client causes none. */
  violations: string[];
  /** Requests answered, by kind (e.g. `POST users`, `addOperations`). */
  requests: Record<string, number>;
  /** The largest batch of rows or operations seen in one request. */
  largestBatch: number;
  /** Answer the next n requests with the platform's rate-limit answer. */
  rateLimitNext(n: number): void;
  /** The identifiers an audience (Meta) or user list (Google) holds: `email:HASH` / `phone:HASH`. */
  members(audienceId: string): Set<string>;
  close(): Promise<void>;
}

class Refusal extends Error {}

function check(ok: boolean, message: string): asserts ok {
  if (!ok) throw new Refusal(message);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  check(typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed), 'body is not a JSON object');
  return parsed as Record<string, unknown>;
}

interface Base {
  standIn: StandIn;
  lists: Map<string, Set<string>>;
  rateLimited: { n: number };
}

async function serve(
  handler: (req: IncomingMessage, path: string, body: Record<string, unknown> | null, base: Base) => unknown,
  rateLimitAnswer: { status: number; body: unknown },
  port = 0,
): Promise<StandIn> {
  const lists = new Map<string, Set<string>>();
  const rateLimited = { n: 0 };
  const base = { lists, rateLimited } as Base;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const send = (status: number, body: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      };
      try {
        const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
        const body = req.method === 'GET' ? null : await readJson(req);
        if (rateLimited.n > 0) {
          rateLimited.n -= 1;
          send(rateLimitAnswer.status, rateLimitAnswer.body);
          return;
        }
        send(200, await handler(req, path, body, base));
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        standIn.violations.push(message);
        send(400, { error: { message, code: 100 } });
      }
    })();
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const standIn: StandIn = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    violations: [],
    requests: {},
    largestBatch: 0,
    rateLimitNext: (n) => {
      rateLimited.n = n;
    },
    members: (id) => lists.get(id) ?? new Set(),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  base.standIn = standIn;
  return standIn;
}

function count(base: Base, kind: string, batch: number): void {
  base.standIn.requests[kind] = (base.standIn.requests[kind] ?? 0) + 1;
  base.standIn.largestBatch = Math.max(base.standIn.largestBatch, batch);
}

function list(base: Base, id: string): Set<string> {
  let members = base.lists.get(id);
  if (members === undefined) base.lists.set(id, (members = new Set()));
  return members;
}

const META_SCHEMAS: Record<string, string> = { EMAIL_SHA256: 'email', PHONE_SHA256: 'phone' };

/**
 * Meta's `POST|DELETE /{audience_id}/users`: `payload.schema` one of EMAIL_SHA256 / PHONE_SHA256,
 * `payload.data` 1–10,000 hashes; `session` with a positive integer `session_id`, `batch_seq` 1, 2, …
 * in order, a boolean `last_batch_flag` (no batch after it), `estimated_num_total` at least the rows
 * sent; one method and schema per session. Rate limit: 400 with Graph error code 80003.
 */
export async function startMetaStandIn(token: string, port = 0): Promise<StandIn> {
  const sessions = new Map<number, { seq: number; closed: boolean; method: string; schema: string; rows: number }>();
  return serve(
    (req, path, body, base) => {
      const match = /^\/(\d+)\/users$/.exec(path);
      check(match !== null && (req.method === 'POST' || req.method === 'DELETE'), `no such endpoint: ${req.method} ${path}`);
      check(req.headers.authorization === `Bearer ${token}`, 'missing or wrong access token');
      check(body !== null, 'no body');
      const session = body.session as Record<string, unknown> | undefined;
      const payload = body.payload as Record<string, unknown> | undefined;
      check(typeof session === 'object' && session !== null, 'session missing');
      check(typeof payload === 'object' && payload !== null, 'payload missing');
      const { session_id: id, batch_seq: seq, last_batch_flag: last, estimated_num_total: total } = session;
      check(Number.isSafeInteger(id) && (id as number) > 0, 'session.session_id must be a positive integer');
      check(Number.isSafeInteger(seq) && (seq as number) >= 1, 'session.batch_seq must be an integer from 1');
      check(typeof last === 'boolean', 'session.last_batch_flag must be a boolean');
      check(Number.isSafeInteger(total) && (total as number) > 0, 'session.estimated_num_total must be a positive integer');
      const kind = META_SCHEMAS[String(payload.schema)];
      check(kind !== undefined, `payload.schema ${String(payload.schema)} is not EMAIL_SHA256 or PHONE_SHA256`);
      const data = payload.data;
      check(Array.isArray(data) && data.length >= 1, 'payload.data must be a non-empty array');
      check(data.length <= 10_000, `payload.data has ${data.length} rows; at most 10,000 per request`);
      check(data.every((h) => typeof h === 'string' && HASH.test(h)), 'payload.data holds something that is not a SHA-256 hash in lowercase hex');
      const state = sessions.get(id as number) ?? { seq: 0, closed: false, method: req.method ?? '', schema: String(payload.schema), rows: 0 };
      // The same batch again (a retry after a lost answer) is accepted and changes nothing.
      if (seq === state.seq && seq !== 0 && sessions.has(id as number)) return { audience_id: match[1], session_id: id, num_received: data.length, num_invalid_entries: 0 };
      check(!state.closed, "a batch after the session's last_batch_flag");
      check(seq === state.seq + 1, `batch_seq ${String(seq)} after ${state.seq}`);
      check(state.method === req.method && state.schema === payload.schema, 'one session mixes methods or schemas');
      check(state.rows + data.length <= (total as number), 'more rows than estimated_num_total');
      state.seq = seq as number;
      state.rows += data.length;
      state.closed = last as boolean;
      sessions.set(id as number, state);
      count(base, `${req.method} users`, data.length);
      const members = list(base, match[1] as string);
      for (const hash of data as string[]) {
        if (req.method === 'POST') members.add(`${kind}:${hash}`);
        else members.delete(`${kind}:${hash}`);
      }
      return { audience_id: match[1], session_id: id, num_received: data.length, num_invalid_entries: 0, invalid_entry_samples: {} };
    },
    { status: 400, body: { error: { message: 'There have been too many calls to this ad-account.', type: 'OAuthException', code: 80003 } } },
    port,
  );
}

interface GoogleJob {
  userList: string;
  consent: unknown;
  state: 'PENDING' | 'RUNNING' | 'SUCCESS';
  operations: { op: 'create' | 'remove'; identifier: string }[];
}

const CONSENT_VALUES = new Set(['GRANTED', 'DENIED', 'UNSPECIFIED']);

/**
 * Google Ads' offline user data jobs (REST): `offlineUserDataJobs:create` for a
 * CUSTOMER_MATCH_USER_LIST job on `customers/{cid}/userLists/{id}`, `:addOperations` before `:run`
 * only, each operation exactly one of `create` / `remove` with one `userIdentifiers` entry holding a
 * 64-hex `hashedEmail` or `hashedPhoneNumber`, at most 100,000 per request; every `create` carries
 * `consent.adUserData` and `consent.adPersonalization`; `:run` once; status through
 * `googleAds:search` (RUNNING at the first poll, SUCCESS after). Rate limit: 429 RESOURCE_EXHAUSTED.
 */
export async function startGoogleStandIn(opts: { customerId: string; developerToken: string; accessToken: string }, port = 0): Promise<StandIn & { consents: unknown[] }> {
  const jobs = new Map<string, GoogleJob>();
  const consents: unknown[] = [];
  const standIn = await serve(
    (req, path, body, base) => {
      check(req.method === 'POST', `no such endpoint: ${req.method} ${path}`);
      check(req.headers['developer-token'] === opts.developerToken, 'missing or wrong developer-token');
      check(req.headers.authorization === `Bearer ${opts.accessToken}`, 'missing or wrong access token');
      check(body !== null, 'no body');
      const prefix = `/customers/${opts.customerId}/`;
      check(path.startsWith(prefix), `not this customer: ${path}`);
      const rest = path.slice(prefix.length);
      if (rest === 'offlineUserDataJobs:create') {
        const job = body.job as Record<string, unknown> | undefined;
        check(job?.type === 'CUSTOMER_MATCH_USER_LIST', 'job.type must be CUSTOMER_MATCH_USER_LIST');
        const meta = job.customerMatchUserListMetadata as Record<string, unknown> | undefined;
        const userList = meta?.userList;
        check(typeof userList === 'string' && new RegExp(`^customers/${opts.customerId}/userLists/\\d+$`).test(userList), 'customerMatchUserListMetadata.userList is not a user list of this customer');
        if (meta?.consent !== undefined) checkConsent(meta.consent);
        const name = `customers/${opts.customerId}/offlineUserDataJobs/${jobs.size + 1}`;
        jobs.set(name, { userList, consent: meta?.consent, state: 'PENDING', operations: [] });
        count(base, 'create', 0);
        return { resourceName: name };
      }
      if (rest === 'googleAds:search') {
        const query = String(body.query);
        const m = /offline_user_data_job\.resource_name = '([^']+)'/.exec(query);
        check(m !== null && /^SELECT .*offline_user_data_job\.status.* FROM offline_user_data_job WHERE/.test(query), 'not a job status query');
        const job = jobs.get(m[1] as string);
        check(job !== undefined && job.state !== 'PENDING', 'status of a job that was not run');
        const status = job.state;
        if (job.state === 'RUNNING') {
          // The job finishes between two polls: its operations are applied to the list.
          job.state = 'SUCCESS';
          const members = list(base, job.userList.split('/').at(-1) as string);
          for (const o of job.operations) {
            if (o.op === 'create') members.add(o.identifier);
            else members.delete(o.identifier);
          }
        }
        count(base, 'search', 0);
        return { results: [{ offlineUserDataJob: { resourceName: m[1], status } }] };
      }
      const op = /^offlineUserDataJobs\/(\d+):(addOperations|run)$/.exec(rest);
      check(op !== null, `no such endpoint: ${path}`);
      const job = jobs.get(`customers/${opts.customerId}/offlineUserDataJobs/${op[1]}`);
      check(job !== undefined, 'no such job');
      check(job.state === 'PENDING', 'the job was run already');
      if (op[2] === 'run') {
        job.state = 'RUNNING';
        count(base, 'run', 0);
        return { name: `customers/${opts.customerId}/operations/${op[1]}` };
      }
      const operations = body.operations;
      check(Array.isArray(operations) && operations.length >= 1, 'operations must be a non-empty array');
      check(operations.length <= 100_000, `${operations.length} operations; at most 100,000 identifiers per request`);
      for (const o of operations as Record<string, unknown>[]) {
        const keys = Object.keys(o);
        check(keys.length === 1 && (keys[0] === 'create' || keys[0] === 'remove'), 'an operation is exactly one of create or remove');
        const kind = keys[0] as 'create' | 'remove';
        const data = o[kind] as Record<string, unknown>;
        const ids = data.userIdentifiers;
        check(Array.isArray(ids) && ids.length === 1, 'one userIdentifiers entry per operation');
        const id = ids[0] as Record<string, unknown>;
        const field = Object.keys(id);
        check(field.length === 1 && (field[0] === 'hashedEmail' || field[0] === 'hashedPhoneNumber'), 'a user identifier is hashedEmail or hashedPhoneNumber');
        const hash = id[field[0] as string];
        check(typeof hash === 'string' && HASH.test(hash), 'a hash that is not SHA-256 in lowercase hex');
        if (kind === 'create') {
          checkConsent(data.consent);
          consents.push(data.consent);
        }
        job.operations.push({ op: kind, identifier: `${field[0] === 'hashedEmail' ? 'email' : 'phone'}:${hash}` });
      }
      count(base, 'addOperations', operations.length);
      return {};
    },
    { status: 429, body: { error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'Too many requests' } } },
    port,
  );
  return Object.assign(standIn, { consents });
}

function checkConsent(consent: unknown): void {
  const c = consent as Record<string, unknown> | undefined;
  check(typeof c === 'object' && c !== null, 'consent missing');
  check(CONSENT_VALUES.has(String(c.adUserData)) && CONSENT_VALUES.has(String(c.adPersonalization)), 'consent.adUserData and consent.adPersonalization must be GRANTED, DENIED or UNSPECIFIED');
}
