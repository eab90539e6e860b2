/**
 * The feedback answer page (`/f/…`, docs/customer-service.md#feedback) in real Chromium: the CSAT
 * question in the customer's language, answered from the keyboard (a score, a comment, Enter), the
 * thanks, then the same link shows the question answered; a second form still open in another tab
 * is refused with the first answer standing; a forged link gets its own page. axe-core finds no
 * serious or critical WCAG 2.1 AA violation, and nothing scrolls sideways at 320 px.
 *
 * Runs where /usr/bin/chromium is; skipped with the reason when it is absent, unless
 * LUPA_TEST_BROWSER=1 (CI), which makes its absence a failure.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp, feedbackDeps, type App } from '../../src/composition-root.ts';
import { loadConfig } from '../../src/config.ts';
import type { CustomerId, Instant } from '../../src/core/records.ts';
import { buildServer } from '../../src/http/server.ts';
import { answerUrl } from '../../src/use-cases/feedback/feedback-deps.ts';
import { PROCESS_TEST_TIMEOUT_MS } from '../support/processes.ts';
import { freshStore, type TestStore } from '../support/stores.ts';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS, hookTimeout: PROCESS_TEST_TIMEOUT_MS });

const CHROMIUM = '/usr/bin/chromium';
const REQUIRED = process.env.LUPA_TEST_BROWSER === '1';
const SKIP = !existsSync(CHROMIUM) && !REQUIRED;
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const T0 = '2025-01-01T00:00:00.000Z' as Instant;

describe.skipIf(SKIP)(`the feedback answer page, in Chromium${SKIP ? ' (skipped: /usr/bin/chromium is absent and LUPA_TEST_BROWSER is not 1)' : ''}`, () => {
  let store: TestStore;
  let app: App;
  let server: FastifyInstance;
  let browser: Browser;
  let base = '';

  beforeAll(async () => {
    store = await freshStore('sqlite');
    app = await createApp(loadConfig({ LUPA_DATABASE_URL: store.url, LUPA_LOG_LEVEL: 'silent', LUPA_SENDER_NAME: 'Uutisvirta' }));
    for (const [id, locale] of [['F1', 'fi'], ['S1', 'sv']] as const) {
      await app.stores.customers.insertCustomer({ id: id as CustomerId, kind: 'person', name: `Test ${id}`, emails: [`${id.toLowerCase()}@example.fi`], phones: [], address: null, locale, createdAt: T0, updatedAt: T0 });
    }
    server = await buildServer(app);
    await server.listen({ host: '127.0.0.1', port: 0 });
    const address = server.server.address();
    base = typeof address === 'object' && address !== null ? `http://127.0.0.1:${address.port}` : '';
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await app?.close();
    await store?.drop();
  });

  /** A sent CSAT question for `customer` (as solving a ticket leaves one), and the path of its answer link. */
  async function question(customer: string): Promise<{ id: number; path: string }> {
    const at = app.now();
    const { ticket } = await app.stores.tickets.create(
      { customerId: customer, contact: null, contactName: null, channel: 'phone', subject: 'Lehti ei tullut', status: 'solved', priority: 'normal', queue: 'support', assignee: 'agent-7', tags: [], createdAt: at, firstResponseDue: at, resolutionDue: at },
      { author: 'customer', authorName: null, body: 'Hei', messageId: null, createdAt: at },
    );
    const claimed = await app.stores.feedback.claimCsat({ ticketId: ticket.id, customerId: customer, channel: 'email', agent: 'agent-7', queue: 'support', state: 'pending', basis: 'legitimate_interest', reasons: ['LEGITIMATE_INTEREST'], month: at.slice(0, 7), createdAt: at, expiresAt: new Date(Date.parse(at) + 86_400_000).toISOString() as Instant });
    if (claimed === null) throw new Error('not claimed');
    await app.stores.feedback.markSent(claimed.id, at);
    const deps = feedbackDeps(app, () => {
      throw new Error('nothing is sent here');
    });
    return { id: claimed.id, path: answerUrl(deps, claimed.id, at).replace(app.publicUrl.replace(/\/$/, ''), '') };
  }

  async function open(url: string, width = 320): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 700 }, locale: 'fi-FI' });
    const page = await context.newPage();
    page.setDefaultTimeout(PROCESS_TEST_TIMEOUT_MS);
    await page.goto(base + url);
    return page;
  }

  async function checkPage(page: Page): Promise<void> {
    const width = (await page.evaluate('({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth })')) as { scroll: number; inner: number };
    expect(width.scroll).toBeLessThanOrEqual(width.inner);
    await page.evaluate(AXE_SOURCE);
    const violations = (await page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }).then((r) => r.violations)`)) as { id: string; impact: string | null }[];
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  }

  it('takes one CSAT answer from the keyboard, in the customer’s language, and refuses a second from another tab', async () => {
    const q = await question('F1');
    const first = await open(q.path);
    const second = await open(q.path, 1280);
    try {
      expect(await first.locator('main').innerText()).toMatch(/Kuinka tyytyväinen olit/);
      expect(await first.locator('html').getAttribute('lang')).toBe('fi');
      await checkPage(first);
      await checkPage(second);
      // From the keyboard: the score's radio, the comment, the button with Enter.
      await first.locator('input[name="score"][value="4"]').focus();
      await first.keyboard.press('Space');
      await first.locator('textarea[name="comment"]').focus();
      await first.keyboard.type('Nopea ja ystävällinen apu.');
      await first.locator('form button[type="submit"]').focus();
      await Promise.all([first.waitForNavigation(), first.keyboard.press('Enter')]);
      expect(await first.locator('main').innerText()).toMatch(/Kiitos vastauksestasi/);
      await checkPage(first);
      expect(await app.stores.feedback.get(q.id)).toMatchObject({ score: 4, comment: 'Nopea ja ystävällinen apu.' });

      // The tab opened before the answer sends its own: refused, the first answer stands.
      await second.locator('input[name="score"][value="1"]').check();
      await Promise.all([second.waitForNavigation(), second.locator('form button[type="submit"]').click()]);
      expect(await second.locator('main').innerText()).toMatch(/Ensimmäinen vastaus jää voimaan/);
      expect(await app.stores.feedback.get(q.id)).toMatchObject({ score: 4 });

      // The link again: answered, no form.
      await first.goto(base + q.path);
      expect(await first.locator('form').count()).toBe(0);
      expect(await first.locator('main').innerText()).toMatch(/on jo vastattu/);
    } finally {
      await first.context().close();
      await second.context().close();
    }
  });

  it('shows the question in Swedish for a Swedish-speaking customer, and a forged link its own page', async () => {
    const q = await question('S1');
    const page = await open(q.path);
    try {
      expect(await page.locator('main').innerText()).toMatch(/Hur nöjd var du/);
      expect(await page.locator('input[name="score"]').count()).toBe(5);
      const forged = q.path.slice(0, -2) + (q.path.endsWith('AA') ? 'BB' : 'AA');
      // A forged link names nobody: the page follows the browser's language or ?lang=.
      const res = await page.goto(`${base}${forged}?lang=sv`);
      expect(res?.status()).toBe(404);
      expect(await page.locator('main').innerText()).toMatch(/Länken fungerar inte/);
      await checkPage(page);
    } finally {
      await page.context().close();
    }
  });
});
