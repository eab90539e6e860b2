/// <reference lib="dom" />
/**
 * The data protection officer's screens in Chromium (playwright-core, Debian's /usr/bin/chromium):
 * the links a DPO sees and a marketer does not, a decision replayed as it stood before a withdrawal
 * beside the decision now, the audit entry of that read in the audit log, the ledger across
 * customers; axe-core at 1280 and 320 px. Runs against the built console (`npm run build`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleDeps, createApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { buildServer } from '../../src/http/server.ts';
import { consoleBuildDir } from '../../src/http/routes/console.ts';
import type { Instant } from '../../src/core/records.ts';
import { saveDemoTemplates } from '../../src/demo/demo-templates.ts';
import { createApiKey } from '../../src/use-cases/api-keys.ts';
import { createCampaign, launchCampaign } from '../../src/use-cases/campaigns.ts';
import { createConsoleUser } from '../../src/use-cases/console-users.ts';
import { CHROMIUM, docsScreenshot, PASSWORD, SKIP_REASON as skipReason, seriousViolations, signIn } from './support.ts';

/**
 * The server's clock is held while the campaign is launched and while D2 withdraws a minute later
 * (both in the past, so nothing depends on how fast the setup runs), then follows the real time:
 * session cookies expire by the browser's clock.
 */
const LAUNCHED_AT = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000).toISOString() as Instant;
const WITHDRAWN_AT = new Date(Date.parse(LAUNCHED_AT) + 60_000).toISOString() as Instant;
/** As the console writes a time for an English (en-GB) reader: Helsinki time. */
const shown = (iso: string): string => new Intl.DateTimeFormat('en-GB', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Helsinki' }).format(new Date(iso));

/** No serious axe-core violation at 1280 and at 320 px. */
async function accessibleAtBothWidths(page: Page): Promise<void> {
  for (const width of [1280, 320]) {
    await page.setViewportSize({ width, height: 900 });
    expect(await seriousViolations(page)).toEqual([]);
  }
  // Reflow (WCAG 1.4.10): nothing wider than the screen but a table's own scrolling box.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
}

(skipReason === null ? describe : describe.skip)(`the DPO's screens in Chromium${skipReason === null ? '' : ` (${skipReason})`}`, () => {
  let dir: string;
  let app: App;
  let server: FastifyInstance;
  let browser: Browser;
  let base: string;
  let held: Instant | null = LAUNCHED_AT;

  beforeAll(async () => {
    const build = consoleBuildDir();
    if (build === null) throw new Error('the console is not built: run npm run build (web/dist/index.html is missing)');
    dir = mkdtempSync(join(tmpdir(), 'lupa-dpo-console-'));
    app = await createApp(loadConfig({ LUPA_DATABASE_URL: `sqlite:${join(dir, 'lupa.db')}`, LUPA_LOG_LEVEL: 'silent', LUPA_PASSWORD_SCRYPT_LOG_N: '14' }), () => held ?? (new Date().toISOString() as Instant));
    for (const role of ['dpo', 'marketer'] as const) await createConsoleUser(consoleDeps(app), { email: `${role}@lupa.example`, role, password: PASSWORD });
    server = await buildServer(app, { consoleDir: build });
    // A customer who consented to marketing e-mail and later withdrew, recorded through the API.
    const { key } = await createApiKey({ apiKeys: app.stores.apiKeys, now: app.now }, { name: 'setup', role: 'agent' });
    const post = async (url: string, payload: object): Promise<void> => {
      const res = await server.inject({ method: 'POST', url, headers: { authorization: `Bearer ${key}` }, payload });
      if (res.statusCode !== 201) throw new Error(`${url}: ${res.body}`);
    };
    await post('/v1/customers', { id: 'D1', kind: 'person', name: 'Maija Mallikas', email: 'maija@example.fi' });
    const consent = { kind: 'consent', purpose: 'marketing', channel: 'email', source: 'web_form', noticeVersion: '2025-01' };
    await post('/v1/customers/D1/ledger', { ...consent, value: 'granted', at: '2025-01-10T09:00:00Z', evidenceRef: 'form-1' });
    await post('/v1/customers/D1/ledger', { ...consent, value: 'withdrawn', at: '2025-06-01T09:00:00Z', source: 'unsubscribe_link' });
    // D2 consented, got the campaign's message, and withdrew the day after the launch.
    await post('/v1/customers', { id: 'D2', kind: 'person', name: 'Matti Meikäläinen', email: 'matti@example.fi' });
    await post('/v1/customers/D2/ledger', { ...consent, value: 'granted', at: '2025-02-01T09:00:00Z' });
    await saveDemoTemplates(app.stores.templates, app.now());
    const deps = { ...app.stores, settings: app.settings, sending: app.sending, now: app.now };
    const campaign = await createCampaign(deps, { name: 'Syystarjous', purpose: 'marketing', channel: 'email', sku: null, filter: {}, templateId: 'autumn' });
    await launchCampaign(deps, { campaignId: campaign.id });
    held = WITHDRAWN_AT;
    await post('/v1/customers/D2/ledger', { ...consent, value: 'withdrawn', source: 'unsubscribe_link' });
    held = null;
    base = await server.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const signedIn = (role: string): Promise<Page> => signIn(browser, base, role, 'en-GB', 'Europe/Helsinki');

  it('shows a DPO the Decisions, Audit log and Ledger links; a marketer sees no Audit log or Ledger, and the server refuses them', async () => {
    const dpo = (await signedIn('dpo')).getByRole('navigation');
    for (const name of ['Decisions', 'Audit log', 'Ledger']) await expect(dpo.getByRole('link', { name }).count()).resolves.toBe(1);
    const marketer = await signedIn('marketer');
    for (const name of ['Audit log', 'Ledger']) await expect(marketer.getByRole('navigation').getByRole('link', { name }).count()).resolves.toBe(0);
    const statuses = await marketer.evaluate(async () => Promise.all(['/v1/audit', '/v1/audit.csv', '/v1/ledger'].map(async (url) => (await fetch(url)).status)));
    expect(statuses).toEqual([403, 403, 403]);
  }, 120_000);

  it('replays a decision as it stood before the withdrawal (allowed) beside now (not allowed), and finds the read in the audit log', async () => {
    const page = await signedIn('dpo');
    await page.getByRole('navigation').getByRole('link', { name: 'Decisions' }).click();
    await page.getByLabel('Replay').selectOption('question');
    await page.getByLabel('Customer id').fill('D1');
    await page.getByLabel('Purpose').selectOption('marketing');
    await page.getByLabel('Channel').selectOption('email');
    await page.getByLabel('As of (your time)').fill('2025-03-01T12:00');
    await page.getByRole('button', { name: 'Show' }).click();
    const then = page.getByRole('region', { name: /^As it stood on 01\/03\/2025, 12:00/ });
    const now = page.getByRole('region', { name: 'As it stands now' });
    await now.waitFor();
    expect(await then.getByText('Allowed, on the basis of consent.').count()).toBe(1);
    expect(await then.getByText('The person gave consent for this purpose and channel.').count()).toBe(1);
    expect(await then.getByText(/^Consent record #1: granted on 10\/01\/2025, 11:00 \(source web form\); privacy notice 2025-01; evidence form-1$/).count()).toBe(1);
    expect(await now.getByText('Not allowed.').count()).toBe(1);
    expect(await now.getByText('The person withdrew consent (or opted out) for this purpose and channel.').count()).toBe(1);
    expect(await now.getByText(/^Consent record #2: withdrawn/).count()).toBe(1);
    expect(await page.getByText('The answer has changed since then.').count()).toBe(1);
    expect(page.url()).toContain('at=2025-03-01T10%3A00%3A00.000Z');
    await docsScreenshot(page, 'console-decision-replay');
    await accessibleAtBothWidths(page);

    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('navigation').getByRole('link', { name: 'Audit log' }).click();
    // The Decisions screen has a "Customer id" field too: fill the audit log's, once it is there.
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    await page.getByLabel('Customer id').fill('D1');
    await page.getByLabel('Action').fill('decide');
    await page.getByRole('button', { name: 'Apply' }).click();
    // The filtered list replaces the whole log once the address has the filters: wait for that, not for a row both show.
    await expect.poll(() => new URL(page.url()).search).toBe('?customer=D1&action=decide');
    const dpoId = (await app.stores.consoleUsers.userByEmail('dpo@lupa.example'))?.id ?? '';
    const rows = page.getByRole('row', { name: new RegExp(`${dpoId}.*decide D1`) });
    // The replay (as of 1 March 2025) and the answer now: two reads, each audited under the DPO.
    // Polled: the unfiltered list (which has these rows too) may still be on screen, or the
    // filtered one still loading, when the address already has the filters.
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(2);
    await expect.poll(() => rows.filter({ hasText: '"asOf":"2025-03-01T10:00:00.000Z"' }).count(), { timeout: 15_000 }).toBe(1);
    expect(new URL(page.url()).search).toBe('?customer=D1&action=decide');
    const csv = await page.getByRole('link', { name: 'Download as CSV' }).getAttribute('href');
    expect(csv).toBe('/v1/audit.csv?customer=D1&action=decide');
    await accessibleAtBothWidths(page);
  }, 120_000);

  it("replays a campaign's delivery as the launch decided it (allowed) beside now (withdrawn since)", async () => {
    const page = await signedIn('dpo');
    await page.getByRole('navigation').getByRole('link', { name: 'Decisions' }).click();
    await page.getByLabel('Replay').selectOption('delivery');
    await page.getByLabel('Campaign id').fill('1');
    await page.getByLabel('Customer id').fill('D2');
    await page.getByRole('button', { name: 'Show' }).click();
    const then = page.getByRole('region', { name: `As the campaign decided it, on ${shown(LAUNCHED_AT)}` });
    const now = page.getByRole('region', { name: 'As it stands now' });
    await now.waitFor();
    expect(await page.getByText('The delivery is queued. Recorded at launch:').count()).toBe(1);
    expect(await page.getByText('The person gave consent for this purpose and channel.').count()).toBe(2);
    expect(await page.getByText('CONSENT_GRANTED').count()).toBe(0);
    expect(await then.getByText('Allowed, on the basis of consent.').count()).toBe(1);
    expect(await now.getByText('The person withdrew consent (or opted out) for this purpose and channel.').count()).toBe(1);
    expect(await page.getByText('The answer has changed since then.').count()).toBe(1);
    expect(new URL(page.url()).search).toBe('?campaign=1&customer=D2');
    await accessibleAtBothWidths(page);
  }, 120_000);

  it('lists ledger records across customers, filtered in the URL', async () => {
    const page = await signedIn('dpo');
    await page.goto(`${base}/ledger?source=unsubscribe_link`);
    await page.getByRole('row', { name: /D1 Withdrew consent to marketing by e-mail unsubscribe link/ }).waitFor();
    // Newest recorded first: D2's withdrawal after the launch, then D1's.
    const customers = await page.getByRole('row').evaluateAll((rows) => rows.slice(1).map((r) => r.querySelectorAll('td')[1]?.textContent));
    expect(customers).toEqual(['D2', 'D1']);
    expect(await page.getByLabel('Source').inputValue()).toBe('unsubscribe_link');
    await accessibleAtBothWidths(page);
  }, 120_000);
});
