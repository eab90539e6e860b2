/**
 * Tracking pixel throughput against a bare `node:http` server answering the same GIF, measured in
 * the same run with the same client (a process of its own: bench/http-capacity.ts), and a check
 * that every hit was stored.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '../src/composition-root.ts';
import type { Instant } from '../src/core/records.ts';
import { buildServer } from '../src/http/server.ts';
import { PIXEL } from '../src/http/routes/tracking.ts';
import { openPixelUrl } from '../src/use-cases/tracking.ts';
import { runLoad } from './http-capacity.ts';

const SECONDS = 8;
const CONNECTIONS = 32;
const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';

export async function benchPixel(app: App): Promise<Record<string, unknown>> {
  const bare = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'image/gif', 'cache-control': 'no-store, max-age=0' });
    res.end(PIXEL);
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const barePort = (bare.address() as AddressInfo).port;
  const bareRun = await load(barePort, '/o/x.gif');
  await new Promise<void>((resolve) => bare.close(() => resolve()));

  const campaign = await app.stores.campaigns.create({ name: 'pixel benchmark', purpose: 'marketing', channel: 'email', sku: null, filter: {}, templateId: null }, app.now() as Instant);
  const server = await buildServer(app, { logger: false });
  await server.listen({ host: '127.0.0.1', port: 0 });
  const port = (server.server.address() as AddressInfo).port;
  const path = openPixelUrl(app.signer, '', { deliveryId: 1, campaignId: campaign.id, perPerson: true, sentAtSeconds: Math.floor(Date.now() / 1000) - 3600 });
  const lupaRun = await load(port, path);
  await server.close();
  const stored = await app.stores.tracking.counts(campaign.id);
  return {
    seconds: SECONDS,
    connections: CONNECTIONS,
    bareRequestsPerSecond: bareRun.requestsPerSecond,
    lupaRequestsPerSecond: lupaRun.requestsPerSecond,
    ratio: Number((lupaRun.requestsPerSecond / bareRun.requestsPerSecond).toFixed(3)),
    answered: lupaRun.ok,
    stored: stored.opens.people + stored.opens.machines,
    failed: lupaRun.failed,
  };
}

async function load(port: number, path: string): Promise<{ ok: number; failed: number; requestsPerSecond: number }> {
  const run = await runLoad({ url: `http://127.0.0.1:${port}${path}`, headers: { 'user-agent': BROWSER }, connections: CONNECTIONS, seconds: SECONDS });
  return { ok: run.answered, failed: run.non2xx + run.errors, requestsPerSecond: run.requestsPerSecond };
}
