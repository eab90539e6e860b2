/**
 * The marketer's console in a real browser (Debian's Chromium through playwright-core), against a
 * server that sends to the development inbox with a sending worker running, as `npm start` does:
 * the dashboard's reach chart, a campaign opened from the list, launched, watched until it is done
 * without a reload, and its results; an agent can neither see nor use the launch. axe-core on each
 * screen at 1280 and 320 px.
 *
 * With LUPA_SCREENSHOTS=1 the dashboard and the campaign are photographed into docs/images/ (the
 * pictures docs/console.md shows).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DevInbox } from '../../src/channels/email/dev-inbox.ts';
import { consoleDeps, createApp, type App } from '../../src/app.ts';
import { startSendingWorker, type RunningWorker } from '../../src/composition-root.ts';
import { loadConfig } from '../../src/config.ts';
import { demoToNdjson } from '../../src/demo/generate-demo.ts';
import { buildServer } from '../../src/http/server.ts';
import { consoleBuildDir } from '../../src/http/routes/console.ts';
import { runImport } from '../../src/import/run-import.ts';
import { createApiKey } from '../../src/use-cases/api-keys.ts';
import { createConsoleUser } from '../../src/use-cases/console-users.ts';
import { NEWSLETTER, saveStockTemplates } from '../support/sending.ts';
import { CHROMIUM, docsScreenshot, PASSWORD, SKIP_REASON, seriousViolations, signIn } from './support.ts';


(SKIP_REASON === null ? describe : describe.skip)(`the marketer's console in Chromium${SKIP_REASON === null ? '' : ` (${SKIP_REASON})`}`, () => {
  let dir: string;
  let app: App;
  let inbox: DevInbox;
  let worker: RunningWorker;
  let server: FastifyInstance;
  let browser: Browser;
  let base: string;
  let adminKey: string;

  beforeAll(async () => {
    const build = consoleBuildDir();
    if (build === null) throw new Error('the console is not built: run npm run build (web/dist/index.html is missing)');
    dir = mkdtempSync(join(tmpdir(), 'lupa-marketer-'));
    inbox = new DevInbox(1000);
    const { port } = await inbox.start('127.0.0.1', 0);
    app = await createApp(
      loadConfig({
        LUPA_DATABASE_URL: `sqlite:${join(dir, 'lupa.db')}`,
        LUPA_LOG_LEVEL: 'silent',
        LUPA_PASSWORD_SCRYPT_LOG_N: '14',
        LUPA_SMTP_URL: `smtp://127.0.0.1:${port}`,
        LUPA_DEV_INBOX: '1',
        LUPA_DEV_INBOX_PORT: String(port),
      }),
    );
    await runImport({ database: app.database, settings: app.settings, now: app.now }, { stream: Readable.from(demoToNdjson({ customers: 60, seed: 1 })), format: 'ndjson' });
    await saveStockTemplates(app);
    for (const role of ['marketer', 'agent'] as const) await createConsoleUser(consoleDeps(app), { email: `${role}@lupa.example`, role, password: PASSWORD });
    adminKey = (await createApiKey({ apiKeys: app.stores.apiKeys, now: app.now }, { name: 'browser test', role: 'admin' })).key;
    server = await buildServer(app, { consoleDir: build, devInbox: inbox });
    base = await server.listen({ host: '127.0.0.1', port: 0 });
    worker = startSendingWorker(app, { workerId: 'browser-test', pollSeconds: 1, batchSize: 5 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
    await server?.close();
    await app?.close();
    await inbox?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A draft marketing e-mail campaign over every demo customer, created through the API as a script would. */
  async function draft(name: string, template: string | null = NEWSLETTER.id): Promise<number> {
    const res = await fetch(`${base}/v1/campaigns`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name, purpose: 'marketing', channel: 'email', product: 'UV-PRINT-7', ...(template === null ? {} : { template }), from: { address: 'uutiset@lupa.test', name: 'Uutisvirta' }, perSecond: 10 }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: number }).id;
  }

  /** What the page reports as refused by the Content-Security-Policy, from now on. */
  function cspViolations(page: Page): string[] {
    const seen: string[] = [];
    page.on('console', (msg) => {
      if (msg.text().includes('Content Security Policy')) seen.push(msg.text());
    });
    return seen;
  }

  async function checkBothWidths(page: Page, label: string): Promise<void> {
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(await seriousViolations(page), `${label} at 1280 px`).toEqual([]);
    await page.setViewportSize({ width: 320, height: 640 });
    expect(await seriousViolations(page), `${label} at 320 px`).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${label} scrolls sideways at 320 px`).toBe(true);
    await page.setViewportSize({ width: 1280, height: 900 });
    // No tooltip in the picture.
    await page.mouse.move(0, 0);
  }

  it('shows a marketer the dashboard: the lawful reach per channel as a chart with its table, axe-clean at 1280 and 320 px', async () => {
    const page = await signIn(browser, base, 'marketer');
    const csp = cspViolations(page);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    const chart = page.getByRole('img', { name: /Lawful reach for marketing per channel/ });
    await chart.locator('svg.recharts-surface').first().waitFor();
    const table = page.getByRole('region', { name: /Table: Lawful reach for marketing/ });
    expect(await table.getByRole('row').count()).toBe(1 + 5);
    await checkBothWidths(page, 'dashboard');
    expect(csp).toEqual([]);
    await docsScreenshot(page, 'console-dashboard');
  }, 180_000);

  it('lets a marketer open a draft from the list, launch it after confirming, and watch it reach done without a reload', async () => {
    const id = await draft('Syystarjous selaimessa');
    const page = await signIn(browser, base, 'marketer');
    const csp = cspViolations(page);
    await page.getByRole('navigation').getByRole('link', { name: 'Campaigns' }).click();
    await page.getByRole('link', { name: 'Syystarjous selaimessa' }).click();
    await page.waitForURL(`${base}/campaigns/${id}`);
    await page.getByRole('heading', { level: 1, name: 'Syystarjous selaimessa' }).waitFor();
    expect(await page.getByTestId('campaign-status').textContent()).toBe('draft');
    // Marks the document: a reload would lose the mark.
    await page.evaluate(() => ((window as unknown as { unreloaded: boolean }).unreloaded = true));

    await page.getByRole('button', { name: 'Launch' }).click();
    await page.getByText('Launch “Syystarjous selaimessa” now?').waitFor();
    await page.getByRole('button', { name: 'Yes, launch' }).click();
    await page.getByTestId('campaign-status').getByText('running').or(page.getByTestId('campaign-status').getByText('done')).waitFor();
    await page.getByTestId('campaign-status').getByText('done').waitFor({ timeout: 60_000 });
    expect(await page.evaluate(() => (window as unknown as { unreloaded?: boolean }).unreloaded)).toBe(true);

    const counts = (await (await fetch(`${base}/v1/campaigns/${id}/results`, { headers: { authorization: `Bearer ${adminKey}` } })).json()) as { sent: number; audience: number };
    expect(counts.sent).toBeGreaterThan(0);
    // The messages reached the local inbox.
    expect((await inbox.list()).length).toBeGreaterThanOrEqual(counts.sent);
    const progress = await page.getByTestId('campaign-progress').textContent();
    expect(progress).toContain(`${counts.sent} of ${counts.sent}`);
    const funnel = page.getByRole('img', { name: /From audience to clicks/ });
    await funnel.locator('svg.recharts-surface').waitFor();
    const funnelTable = page.getByRole('region', { name: /Table: From audience to clicks/ });
    expect(await funnelTable.getByRole('row', { name: /^Sent/ }).textContent()).toContain(String(counts.sent));
    await page.getByRole('heading', { name: 'Skipped recipients' }).waitFor();
    await checkBothWidths(page, 'campaign');
    expect(csp).toEqual([]);
    await docsScreenshot(page, 'console-campaign');
  }, 180_000);

  it('schedules a draft in the marketer’s own time, lists it on the overview, and explains a refused launch in Finnish', async () => {
    const id = await draft('Joulukirje');
    const page = await signIn(browser, base, 'marketer');
    await page.goto(`${base}/campaigns/${id}`);
    await page.getByLabel('Send at (your time)').fill('2030-12-01T09:00');
    await page.getByRole('button', { name: 'Schedule', exact: true }).click();
    await page.getByRole('button', { name: 'Launch now' }).waitFor();
    const scheduled = (await (await fetch(`${base}/v1/campaigns/${id}`, { headers: { authorization: `Bearer ${adminKey}` } })).json()) as { sendAt: string; status: string };
    // The browser's time zone is the test machine's: the instant is its 09:00 on that day.
    expect(new Date(scheduled.sendAt).getTime()).toBe(await page.evaluate(() => new Date('2030-12-01T09:00').getTime()));
    expect(scheduled.status).toBe('draft');
    await page.getByRole('navigation').getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('row', { name: /Joulukirje/ }).getByText('scheduled').waitFor();

    const bare = await draft('Ilman pohjaa', null);
    await page.getByLabel('Language').selectOption('fi');
    await page.goto(`${base}/campaigns/${bare}`);
    await page.getByRole('button', { name: 'Käynnistä' }).click();
    await page.getByRole('button', { name: 'Kyllä, käynnistä' }).click();
    // The question itself is an alert too, until it closes: wait for the refusal's.
    const alert = page.getByRole('alert').filter({ hasText: 'Kampanja ei voi' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Kampanja ei voi täyttää viestipohjaansa: ”template”');
    expect(await alert.textContent()).not.toContain('TEMPLATE_INVALID');
    expect(await page.getByTestId('campaign-status').textContent()).toBe('luonnos');
  }, 120_000);

  it('lets a marketer create a draft in the form, send a test to themself (marked, counted nowhere), and copy it', async () => {
    const page = await signIn(browser, base, 'marketer');
    await page.getByRole('navigation').getByRole('link', { name: 'Campaigns' }).click();
    await page.getByRole('link', { name: 'New campaign' }).click();
    await page.getByLabel('Name').fill('Lomakkeen kampanja');
    await page.getByLabel('Template').selectOption(NEWSLETTER.id);
    await page.getByLabel('Marketed product (optional)').selectOption('UV-PRINT-7');
    await page.getByLabel('Postal code prefixes (optional)').fill('00, 02');
    expect(await seriousViolations(page)).toEqual([]);
    await docsScreenshot(page, 'console-new-campaign');
    await page.getByRole('button', { name: 'Save as draft' }).click();
    await page.getByRole('heading', { level: 1, name: 'Lomakkeen kampanja' }).waitFor();
    const id = Number(new URL(page.url()).pathname.split('/').at(-1));
    const created = (await (await fetch(`${base}/v1/campaigns/${id}`, { headers: { authorization: `Bearer ${adminKey}` } })).json()) as { status: string; sku: string; templateId: string; filter: { postalCodePrefixes?: string[] } };
    expect(created).toMatchObject({ status: 'draft', sku: 'UV-PRINT-7', templateId: NEWSLETTER.id, filter: { postalCodePrefixes: ['00', '02'] } });

    const before = (await inbox.list()).length;
    await page.getByRole('button', { name: 'Send test' }).click();
    await page.getByText('Test sent to marketer@lupa.example.').waitFor();
    const received = (await inbox.list()).slice(0, (await inbox.list()).length - before);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ envelopeTo: ['marketer@lupa.example'], subject: expect.stringMatching(/^\[TEST\] /) });
    const after = (await (await fetch(`${base}/v1/campaigns/${id}`, { headers: { authorization: `Bearer ${adminKey}` } })).json()) as { counts: { byState: Record<string, number> } };
    expect(after.counts.byState).toEqual({});
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'Copy to a new campaign' }).click();
    await page.getByRole('heading', { level: 1, name: 'Copy of a campaign' }).waitFor();
    expect(await page.getByLabel('Name').inputValue()).toBe('Copy of Lomakkeen kampanja');
    expect(await page.getByLabel('Template').inputValue()).toBe(NEWSLETTER.id);
    expect(await page.getByLabel('Postal code prefixes (optional)').inputValue()).toBe('00, 02');
  }, 120_000);

  it('names a recent campaign with the same offer at launch, and launches anyway only when asked', async () => {
    const first = await draft('Ensimmäinen talvikirje');
    const launched = await fetch(`${base}/v1/campaigns/${first}/launch`, { method: 'POST', headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ despiteRecent: await recentIds() }) });
    expect(launched.status).toBe(200);
    const second = await draft('Toinen talvikirje');
    const page = await signIn(browser, base, 'marketer');
    await page.goto(`${base}/campaigns/${second}`);
    await page.getByRole('button', { name: 'Launch' }).click();
    await page.getByRole('button', { name: 'Yes, launch' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'The same offer went out lately' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain(`“Ensimmäinen talvikirje” (campaign ${first})`);
    expect(await page.getByTestId('campaign-status').textContent()).toBe('draft');
    expect(await seriousViolations(page)).toEqual([]);
    // The safer way on: a copy that leaves out whoever got the earlier one.
    const copy = await page.getByRole('link', { name: 'Copy, leaving them out' }).getAttribute('href');
    const other = await signIn(browser, base, 'marketer');
    await other.goto(`${base}${copy ?? ''}`);
    await other.getByRole('heading', { level: 1, name: 'Copy of a campaign' }).waitFor();
    expect(await other.getByLabel('Leave out who got campaigns (optional)').inputValue()).toContain(String(first));
    await other.getByRole('button', { name: 'Save as draft' }).click();
    await other.getByRole('heading', { level: 1, name: 'Copy of Toinen talvikirje' }).waitFor();
    const copied = Number(new URL(other.url()).pathname.split('/').at(-1));
    const copiedCampaign = (await (await fetch(`${base}/v1/campaigns/${copied}`, { headers: { authorization: `Bearer ${adminKey}` } })).json()) as { filter: { excludeRecipientsOf?: number[] } };
    expect(copiedCampaign.filter.excludeRecipientsOf).toContain(first);
    await page.getByRole('button', { name: 'Launch anyway' }).click();
    await page.getByTestId('campaign-status').getByText(/running|done/).waitFor();
  }, 120_000);

  /** The campaigns launched so far: a launch in this suite names them, as the same offer went out in earlier tests. */
  async function recentIds(): Promise<number[]> {
    const res = await fetch(`${base}/v1/campaigns?limit=100`, { headers: { authorization: `Bearer ${adminKey}` } });
    const body = (await res.json()) as { campaigns: { id: number; launchedAt: string | null }[] };
    return body.campaigns.filter((c) => c.launchedAt !== null).map((c) => c.id);
  }

  it('lets a marketer download the call list of a phone audience, every customer in it audited under the marketer', async () => {
    const page = await signIn(browser, base, 'marketer');
    await page.goto(`${base}/audiences?purpose=marketing&channel=phone`);
    const link = page.getByRole('link', { name: 'Download the call list (CSV)' });
    await link.waitFor();
    const href = (await link.getAttribute('href')) ?? '';
    const csv = await page.evaluate(async (url) => (await fetch(url)).text(), href);
    const first = csv.split('\n')[1]?.split(',')[0] ?? '';
    expect(csv.startsWith('customerId,name,phone')).toBe(true);
    expect(first).toMatch(/^C\d+$/);
    const marketerId = (await app.stores.consoleUsers.userByEmail('marketer@lupa.example'))?.id;
    expect((await app.stores.audit.forCustomer(first as never)).some((e) => e.actor === marketerId)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto(`${base}/audiences?purpose=marketing&channel=email`);
    await page.getByText(/Customers evaluated/).waitFor();
    expect(await page.getByRole('link', { name: /Download the/ }).count()).toBe(0);
  }, 120_000);

  it('shows an agent no launch button, and the server refuses the agent’s launch with 403', async () => {
    const id = await draft('Ei agentille');
    const page = await signIn(browser, base, 'agent');
    await page.goto(`${base}/campaigns/${id}`);
    // An agent may not read campaigns at all: the screen says so, with no button to press.
    await page.getByRole('heading', { level: 1 }).or(page.getByText(/Your role may not do this/)).first().waitFor();
    expect(await page.getByRole('button', { name: 'Launch' }).count()).toBe(0);
    const status = await page.evaluate(async (campaign) => {
      const session = (await (await fetch('/v1/session')).json()) as { csrfToken: string };
      return (await fetch(`/v1/campaigns/${campaign}/launch`, { method: 'POST', headers: { 'x-csrf-token': session.csrfToken } })).status;
    }, id);
    expect(status).toBe(403);
    const after = (await (await fetch(`${base}/v1/campaigns/${id}`, { headers: { authorization: `Bearer ${adminKey}` } })).json()) as { status: string };
    expect(after.status).toBe('draft');
  }, 120_000);
});
