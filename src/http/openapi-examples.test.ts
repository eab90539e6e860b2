/**
 * "Try it out" at /docs answers something useful: every documented read, filled with the examples of
 * its OpenAPI parameters, is answered 2xx by a server holding what a new user has — the first-start
 * demo data (seed 1), its templates, and the README's first campaigns with the first one launched.
 */
import { Readable } from 'node:stream';
import { beforeAll, expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/stores.ts';
import type { CustomerId, Instant, Sku } from '../core/records.ts';
import { saveDemoOffers } from '../demo/demo-offers.ts';
import { saveDemoTemplates } from '../demo/demo-templates.ts';
import { demoToNdjson } from '../demo/generate-demo.ts';
import { runImport } from '../import/run-import.ts';
import { createCampaign, launchCampaign } from '../use-cases/campaigns.ts';
import { trainModel } from '../use-cases/predictions/predictions.ts';
import { useClient } from './testing.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_RECORDINGS_KEY, wavFile } from '../../test/support/audio.ts';
import { recordingSetup } from '../recordings-setup.ts';
import { recordCall } from '../use-cases/calls/calls.ts';
import { attachRecording } from '../use-cases/calls/recordings.ts';
import { ticketDeps } from '../composition-root.ts';
import { openTicket } from '../use-cases/tickets/tickets.ts';

interface Parameter {
  in: 'path' | 'query' | 'header';
  name: string;
  required?: boolean;
  example?: unknown;
  schema?: { example?: unknown };
}

interface OpenApi {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: { example?: unknown } }> } }>>;
}

/** The request "Try it out" sends with the documented examples, or the parameters that have none. */
function exampleRequest(path: string, parameters: readonly Parameter[]): { url: string } | { missing: string[] } {
  const exampleOf = (p: Parameter): unknown => p.example ?? p.schema?.example;
  const missing = parameters.filter((p) => exampleOf(p) === undefined && (p.in === 'path' || p.required === true)).map((p) => `${p.in} ${p.name}`);
  if (missing.length > 0) return { missing };
  let url = path;
  const query = new URLSearchParams();
  for (const p of parameters) {
    const example = exampleOf(p);
    if (example === undefined) continue;
    if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeURIComponent(String(example)));
    if (p.in === 'query') query.set(p.name, String(example));
  }
  const search = query.toString();
  return { url: search === '' ? url : `${url}?${search}` };
}

/** The demo's first-start size is larger; customers are generated one by one from (seed, index), so the first 200 are the same. */
const DEMO = { customers: 200, seed: 1 };

describeEachStore(
  'the OpenAPI examples on the demo data',
  (ctx) => {
    const client = useClient(ctx);
    let reads: { path: string; parameters: Parameter[] }[] = [];
    let doc: OpenApi | undefined;

    beforeAll(async () => {
      const app = ctx.app;
      await runImport({ database: app.database, settings: app.settings, now: app.now }, { stream: Readable.from(demoToNdjson(DEMO)), format: 'ndjson' });
      await saveDemoTemplates(app.stores.templates, app.now());
      // The README's first campaigns, the first one launched.
      const deps = { ...app.stores, settings: app.settings, sending: app.sending, now: app.now };
      const autumn = await createCampaign(deps, { name: 'Syystarjous', purpose: 'marketing', channel: 'email', sku: 'UV-PRINT-7' as Sku, filter: {}, templateId: 'autumn' });
      await createCampaign(deps, { name: 'Jakeluhäiriö', purpose: 'service', channel: 'email', sku: null, filter: { postalCodePrefixes: ['33', '34', '35'] }, templateId: 'disruption' });
      await launchCampaign(deps, { campaignId: autumn.id });
      // A prediction model (model 1), as docs/segments-and-predictions.md trains one first.
      await trainModel({ predictions: app.stores.predictions, now: app.now }, { kind: 'churn', horizonDays: 180, asOf: '2026-10-01T00:00:00Z' });
      // A segment (segment 1), as docs/segments-and-predictions.md saves one first.
      await app.stores.segments.create({ name: 'Tampere daily readers', description: null, rule: { attribute: 'postalCode', startsWith: '33' }, createdBy: 'test', at: app.now() });
      // A call with its recording (call 1, recording 1), as docs/calls-and-recordings.md records one first.
      const callDeps = { ...app.stores, now: app.now };
      const call = { direction: 'inbound', agent: 'agent-7', customerId: 'C0000001', number: '+358401234567', startedAt: '2026-10-30T09:00:00.000Z' as Instant, endedAt: null, queue: 'billing', callList: null, purpose: 'service', outcome: 'reached', callbackAt: null, externalId: null } as const;
      const { call: recorded } = await recordCall(callDeps, call, { actor: 'test', role: 'agent' });
      const audio = { callId: recorded.id, mediaType: 'audio/wav', startedAt: call.startedAt, noticePlayedAt: call.startedAt, audio: Readable.from([wavFile(1000)]) };
      await attachRecording({ ...callDeps, ...recordingSetup(app) }, audio, { actor: 'test', role: 'agent' });
      // A phone sale on a telesales call (sale 1), as docs/calls-and-recordings.md makes one first.
      const { call: sold } = await app.stores.calls.insert({ ...call, direction: 'outbound', queue: null, callList: 'kevät', purpose: 'telesales', outcome: 'sale', customerId: 'C0000002' as CustomerId, recordedBy: 'test' });
      const terms = { sku: 'UV-PRINT-7' as Sku, productName: 'Uutisviikko', offerId: null, offerCode: null, kind: 'continuous', periodMonths: 3, priceCents: 990, currency: 'EUR', regularMonthlyCents: 2990 } as const;
      await app.stores.phoneSales.insert({ callId: sold.id, customerId: sold.customerId, agent: 'agent-7', terms, basis: 'written_acceptance', requestEvidence: null, delivery: 'email', deliveredTo: 'c2@example.fi', createdAt: app.now(), acceptBy: app.now() }, null);
      // A support ticket with an attachment (ticket 1, attachment 1), as docs/customer-service.md opens one.
      await openTicket(ticketDeps(app), { channel: 'email', contact: 'aino@example.fi', contactName: null, subject: 'Lehti ei tullut', body: 'Hei!', attachments: [{ fileName: 'kuva.png', contentType: 'image/png', data: Buffer.from('PNG') }] });
      // The demo offers (offer 1) with their outcomes, as a first start saves them.
      await saveDemoOffers(app.stores.offers, (await app.stores.customers.searchCustomers({ limit: 60 })).map((c) => c.id), app.now());
      // An ad audience (audience 1), as docs/sites-and-ads.md creates one first.
      await app.stores.adAudiences.create({ name: 'Kestotilaajat Metaan', platform: 'meta', externalId: '23851234567890123', filter: {}, createdBy: 'test', at: app.now() });
      // A remarketing list (list 1), as docs/sites-and-ads.md creates one first.
      await app.stores.remarketing.create({ name: 'tilaus-kesken', rule: { site: null, event: 'subscription_started', pagePrefix: null, withinDays: 30, notFollowedBy: 'subscription_completed' }, by: 'test', at: app.now() });
      // An own-product ad (ad 1), as docs/sites-and-ads.md creates one first.
      await app.stores.siteAds.create({ name: 'Print trial', headline: 'Uutisvirta on paper', text: 'First month 9.90 €', imageUrl: null, targetUrl: `${app.publicUrl}/tilaa`, sku: null, placements: ['front-top'], validFrom: null, validUntil: null, active: true }, app.now());
      doc = (await client.server.inject({ method: 'GET', url: '/docs/json' })).json<OpenApi>();
      // GET /v1/session answers the console's cookie, and GET /v1/ad-server/segments the ad server's
      // token, not a key: they have nothing to try out with one (session.test.ts, advertiser-segments.test.ts).
      const notByKey = new Set(['/v1/session', '/v1/ad-server/segments']);
      reads = Object.entries(doc.paths).flatMap(([path, ops]) => (path.startsWith('/v1/') && !notByKey.has(path) && ops['get'] !== undefined ? [{ path, parameters: ops['get'].parameters ?? [] }] : []));
    });

    it('documents the reads a new user tries first', () => {
      const paths = reads.map((r) => r.path);
      for (const path of ['/v1/customers/{id}', '/v1/decide', '/v1/products', '/v1/campaigns/{id}/deliveries/{customerId}', '/v1/customers/{id}/messages', '/v1/customers/{id}/timeline']) expect(paths).toContain(path);
    });

    it('gives every required parameter of every read an example, and each example request is answered 2xx', async () => {
      const outcomes: Record<string, unknown> = {};
      for (const { path, parameters } of reads) {
        const request = exampleRequest(path, parameters);
        if ('missing' in request) {
          outcomes[path] = { missing: request.missing };
          continue;
        }
        const res = await client.get(request.url);
        outcomes[path] = res.statusCode >= 200 && res.statusCode < 300 ? 'ok' : { url: request.url, status: res.statusCode, body: res.json<unknown>() };
      }
      expect(outcomes).toEqual(Object.fromEntries(reads.map((r) => [r.path, 'ok'])));
    });

    it("creates a campaign from the create example, as a marketer, and launching it queues messages", async () => {
      const example = doc?.paths['/v1/campaigns']?.['post']?.requestBody?.content['application/json']?.schema.example;
      expect(example).toBeDefined();
      const created = await client.post('/v1/campaigns', example, 'marketer');
      expect(created.statusCode).toBe(201);
      const id = created.json<{ id: number }>().id;
      // The README's first campaign sent the same template to some of the same people: named at create, confirmed at launch.
      expect(created.json<{ recentSends: { campaignId: number }[] }>().recentSends.map((r) => r.campaignId)).toEqual([1]);
      const launchExample = doc?.paths['/v1/campaigns/{id}/launch']?.['post']?.requestBody?.content['application/json']?.schema.example;
      expect(launchExample).toEqual({ despiteRecent: [1] });
      const launched = await client.post(`/v1/campaigns/${id}/launch`, launchExample, 'marketer');
      expect(launched.statusCode).toBe(200);
      expect(launched.json<{ counts: { byState: { queued?: number } } }>().counts.byState.queued).toBeGreaterThan(0);
      const scheduleExample = doc?.paths['/v1/campaigns/{id}/schedule']?.['post']?.requestBody?.content['application/json']?.schema.example;
      const draft = await client.post('/v1/campaigns', example, 'marketer');
      expect((await client.post(`/v1/campaigns/${draft.json<{ id: number }>().id}/schedule`, scheduleExample, 'marketer')).statusCode).toBe(200);
    });
  },
  { now: () => '2026-11-01T00:00:00.000Z' as Instant, env: { LUPA_RECORDINGS_KEY: TEST_RECORDINGS_KEY, LUPA_RECORDINGS_DIR: mkdtempSync(join(tmpdir(), 'lupa-recordings-')), LUPA_TICKET_FILES_DIR: mkdtempSync(join(tmpdir(), 'lupa-ticket-files-')) } },
);
