/**
 * HTTP capacity, measured from a client process of its own (bench/http-load.mjs, autocannon), and
 * the bare reference it is judged against: a `node:http` server answering a fixed JSON body, in the
 * same process and run as the server under test. The ratio of the two tells the code's cost from
 * the machine's day.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import Fastify from 'fastify';

export interface LoadJob {
  /** Base URL, e.g. `http://127.0.0.1:8080/v1/decide`; `paths` replace its path in turn. */
  url: string;
  paths?: string[];
  headers?: Record<string, string>;
  connections: number;
  seconds: number;
  /** A fixed request rate (requests/s, all connections together); without it, as fast as answered. */
  rate?: number;
  /** Each request's body, `{n}` replaced by the request's number; sent with `method` (default POST). */
  bodyTemplate?: string;
  method?: string;
}

export interface LoadFigures {
  /** 2xx answers a second. */
  requestsPerSecond: number;
  answered: number;
  seconds: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
}

const CLIENT = fileURLToPath(new URL('./http-load.mjs', import.meta.url));
const PACED_CLIENT = fileURLToPath(new URL('./http-paced.mjs', import.meta.url));

/**
 * Runs one load in a child process; rejects when it fails or prints no figures. As fast as the
 * server answers: autocannon (http-load.mjs); at a fixed rate: requests paced evenly over each
 * second (http-paced.mjs), as traffic arrives, not autocannon's burst at the start of each second.
 */
export function runLoad(job: LoadJob): Promise<LoadFigures> {
  return runJsonClient<LoadFigures>(job.rate === undefined ? CLIENT : PACED_CLIENT, job);
}

/** Runs a client script in a process of its own: the job as JSON on its standard input, its figures as JSON from its standard output. */
export function runJsonClient<T>(script: string, job: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`${script} exited with ${String(code)}: ${err}`));
      else resolve(JSON.parse(out) as T);
    });
    child.stdin.end(JSON.stringify(job));
  });
}

/**
 * A bare `node:http` server answering every request with the rows `read` gives (a store's own
 * prepared statement, no Lupa code), as JSON; 500 when the read fails. Resolves to its port and a close.
 */
export async function bareRowsServer(read: () => Promise<unknown>): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => {
    read().then(
      (rows) => {
        const payload = Buffer.from(JSON.stringify(rows));
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': payload.length });
        res.end(payload);
      },
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A bare `node:http` server answering every request with `body` as JSON; resolves to its port and a close. */
export async function bareJsonServer(body: unknown): Promise<{ port: number; close(): Promise<void> }> {
  const payload = Buffer.from(JSON.stringify(body));
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': payload.length });
    res.end(payload);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * A Fastify server with the hooks Lupa's server runs on every API request (the cookie plugin's,
 * a `preValidation` and a route's `onRequest`, all doing nothing here) and the same reply
 * serialiser (JSON.stringify), answering `body` at any path; resolves to its port and a close.
 */
export async function fastifyJsonServer(body: unknown): Promise<{ port: number; close(): Promise<void> }> {
  const server = Fastify({ exposeHeadRoutes: false, bodyLimit: 64 * 1024 });
  server.setSerializerCompiler(() => (data: unknown) => JSON.stringify(data));
  await server.register(cookie);
  server.addHook('preValidation', async () => {});
  server.get('/*', { onRequest: async () => {} }, async () => body);
  await server.listen({ host: '127.0.0.1', port: 0 });
  return { port: (server.server.address() as AddressInfo).port, close: () => server.close() };
}
