/**
 * Every page a customer can reach, in real Chromium, checked as WCAG 2.1 AA asks (EN 301 549):
 * axe-core finds no serious or critical violation at a desktop width and at 320 CSS px, nothing
 * scrolls sideways at 320 px (reflow, 1.4.10), and the forms work from the keyboard with a visible
 * focus (2.1.1, 2.4.7). A screenshot of each page at 320 px is saved in a temporary folder (its
 * path is printed) for a person to look at.
 *
 * Runs where /usr/bin/chromium is (Debian's `chromium`); skipped with the reason when it is absent,
 * unless LUPA_TEST_BROWSER=1 (CI), which makes its absence a failure.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp, type App } from '../../src/composition-root.ts';
import { loadConfig } from '../../src/config.ts';
import type { CustomerId, Instant, OrderId, Sku } from '../../src/core/records.ts';
import { toInstant } from '../../src/core/time.ts';
import { buildServer } from '../../src/http/server.ts';
import { preferencesUrl, unsubscribeUrl } from '../../src/use-cases/unsubscribe.ts';
import { PROCESS_TEST_TIMEOUT_MS } from '../support/processes.ts';
import { freshStore, type TestStore } from '../support/stores.ts';

// A browser is a process: on a loaded machine it may take long to start and to run axe. These limits
// only end a test that hangs; the tests wait for the page's events, never for time.
vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS, hookTimeout: PROCESS_TEST_TIMEOUT_MS });

const CHROMIUM = '/usr/bin/chromium';
const REQUIRED = process.env.LUPA_TEST_BROWSER === '1';
const SKIP = !existsSync(CHROMIUM) && !REQUIRED;
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SHOTS = join(tmpdir(), 'lupa-page-screenshots');
const T0 = '2025-01-01T00:00:00.000Z' as Instant;

const VIEWPORTS = { desktop: { width: 1280, height: 800 }, narrow: { width: 320, height: 640 } } as const;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

describe.skipIf(SKIP)(`the pages a customer reaches, in Chromium with axe-core${SKIP ? ' (skipped: /usr/bin/chromium is absent and LUPA_TEST_BROWSER is not 1)' : ''}`, () => {
  let store: TestStore;
  let app: App;
  let server: FastifyInstance;
  let browser: Browser;
  let base = '';

  beforeAll(async () => {
    store = await freshStore('sqlite');
    app = await createApp(loadConfig({ LUPA_DATABASE_URL: store.url, LUPA_LOG_LEVEL: 'silent', LUPA_SENDER_NAME: 'Uutisvirta' }));
    const people = [
      { id: 'F1', name: 'Aino Virtanen', locale: 'fi', email: 'aino@example.fi' },
      { id: 'S1', name: 'Björn Lindqvist', locale: 'sv', email: 'bjorn@example.fi' },
      { id: 'E1', name: 'Jane Smith', locale: 'en', email: 'jane@example.fi' },
    ];
    for (const p of people) {
      await app.stores.customers.insertCustomer({ id: p.id as CustomerId, kind: 'person', name: p.name, emails: [p.email], phones: ['+358401234567'], address: null, locale: p.locale, createdAt: T0, updatedAt: T0 });
    }
    // F1 reads a magazine and was offered the chance to refuse: e-mail and SMS marketing rest on soft opt-in.
    await app.stores.catalogue.upsertProduct({ sku: 'KOTI' as Sku, name: 'Kotilehti', brand: null, category: 'magazine_home' });
    await app.stores.catalogue.upsertOrder({ id: 'F1-O' as OrderId, customerId: 'F1' as CustomerId, sku: 'KOTI' as Sku, startedAt: T0, endedAt: null, soldVia: 'web', optOutOffered: true });
    // I1 tried a home magazine a while ago: "what we think interests you" lists home and garden.
    await app.stores.customers.insertCustomer({ id: 'I1' as CustomerId, kind: 'person', name: 'Ilkka Ahonen', emails: ['ilkka@example.fi'], phones: [], address: null, locale: 'fi', createdAt: T0, updatedAt: T0 });
    await app.stores.catalogue.upsertOrder({ id: 'I1-O' as OrderId, customerId: 'I1' as CustomerId, sku: 'KOTI' as Sku, startedAt: toInstant(Date.now() - 90 * 86_400_000), endedAt: toInstant(Date.now() - 60 * 86_400_000), soldVia: 'web', optOutOffered: true });
    await app.stores.interests.refreshInferred(toInstant(Date.now()), 180);
    // No e-mail address: asking for a fresh preference link sends nothing and says so.
    await app.stores.customers.insertCustomer({ id: 'N1' as CustomerId, kind: 'person', name: 'John Doe', emails: [], phones: [], address: null, locale: 'en', createdAt: T0, updatedAt: T0 });
    server = await buildServer(app);
    await server.listen({ host: '127.0.0.1', port: 0 });
    const address = server.server.address();
    base = typeof address === 'object' && address !== null ? `http://127.0.0.1:${address.port}` : '';
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    mkdirSync(SHOTS, { recursive: true });
    console.log(`screenshots at 320 px: ${SHOTS}`);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await app?.close();
    await store?.drop();
  });

  const path = (url: string): string => url.replace(app.publicUrl, '');
  const pages = {
    home: () => '/',
    unsubscribe: (customer: string) => path(unsubscribeUrl(app.signer, app.publicUrl, customer, 'email', 1)),
    preferences: (customer: string) => path(preferencesUrl(app.signer, app.publicUrl, customer)),
    /** A preference link made longer ago than links work (LUPA_PREFERENCE_LINK_DAYS). */
    expiredPreferences: (customer: string) => path(preferencesUrl(app.signer, app.publicUrl, customer, toInstant(Date.now() - 200 * 86_400_000))),
  };

  /** A page in a fresh context at `viewport`, opened at `url` (then `act`, e.g. a form sent), in Finnish unless the customer's language says otherwise. */
  async function open(viewport: keyof typeof VIEWPORTS, url: string, act?: (page: Page) => Promise<void>): Promise<Page> {
    const context = await browser.newContext({ viewport: VIEWPORTS[viewport], locale: 'fi-FI' });
    const page = await context.newPage();
    page.setDefaultTimeout(PROCESS_TEST_TIMEOUT_MS);
    await page.goto(base + url);
    if (act !== undefined) await act(page);
    return page;
  }

  /** Serious and critical axe violations of WCAG 2.0/2.1 A and AA on the page. */
  async function seriousViolations(page: Page): Promise<string[]> {
    // Evaluated through the debugging protocol, which a page's CSP (the console's script-src 'self') does not govern.
    await page.evaluate(AXE_SOURCE);
    // Browser-side code as text: it runs in the page, where `axe` and the DOM are.
    const violations = (await page.evaluate(
      `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }).then((r) => r.violations)`,
    )) as AxeViolation[];
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }

  const sendForm = async (page: Page) => {
    await page.locator('form button[type="submit"]').click();
    await page.waitForLoadState('load');
  };

  /** Every page a customer can reach: how to get there, and what it must say (so that the check is of the right page). */
  const CASES: { name: string; url: () => string; act?: (page: Page) => Promise<void>; says: RegExp; status?: number }[] = [
    { name: 'front page', url: pages.home, says: /Lupa/ },
    { name: 'unsubscribe question (fi)', url: () => pages.unsubscribe('F1'), says: /Haluatko lopettaa markkinoinnin/ },
    { name: 'unsubscribe done (sv)', url: () => pages.unsubscribe('S1'), act: sendForm, says: /Vi skickar inte längre marknadsföring/ },
    { name: 'preferences (fi)', url: () => pages.preferences('F1'), says: /Sähköposti \(sallittu asiakkuuden perusteella – voit kieltää\)/ },
    { name: 'preferences (sv)', url: () => pages.preferences('S1'), says: /Marknadsföringsinställningar/ },
    { name: 'preferences (en)', url: () => pages.preferences('E1'), says: /Marketing preferences/ },
    { name: 'preferences saved (fi)', url: () => pages.preferences('F1'), act: sendForm, says: /Ei muutoksia|Tallennettu/ },
    { name: 'expired preference link (sv)', url: () => pages.expiredPreferences('S1'), says: /Länken har gått ut/ },
    { name: 'fresh link asked for, no address to send to (en)', url: () => pages.expiredPreferences('N1'), act: sendForm, says: /no working e-mail address/ },
    { name: 'error: link not valid (fi)', url: () => '/u/not-a-valid-token', says: /Linkki ei ole voimassa/ },
    { name: 'error: link not valid (sv)', url: () => '/p/not-a-valid-token?lang=sv', says: /Länken gäller inte/ },
    {
      name: 'error: a form it could not read (en)',
      url: () => `${pages.preferences('E1')}?lang=en`,
      act: async (page) => {
        // A value the page does not offer, as a tampered or outdated form would send.
        await page.evaluate(`document.querySelector('input[name="marketing.email"]').value = 'maybe'`);
        await page.locator('input[name="marketing.email"]').first().check();
        await sendForm(page);
      },
      says: /could not/i,
    },
  ];

  for (const c of CASES) {
    for (const viewport of ['desktop', 'narrow'] as const) {
      it(`${c.name} at ${VIEWPORTS[viewport].width} px: no serious or critical axe violation, no sideways scrolling`, async () => {
        const page = await open(viewport, c.url(), c.act);
        try {
          expect((await page.locator('main').innerText()).replace(/\u00AD/g, '')).toMatch(c.says);
          expect(await page.locator('html').getAttribute('lang')).toMatch(/^(fi|sv|en)$/);
          const width = (await page.evaluate('({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth })')) as { scroll: number; inner: number };
          expect(width.scroll, `page is ${width.scroll} px wide in a ${width.inner} px window`).toBeLessThanOrEqual(width.inner);
          if (viewport === 'narrow') await page.screenshot({ path: join(SHOTS, `${c.name.replace(/[^a-z0-9]+/gi, '-')}.png`), fullPage: true });
          expect(await seriousViolations(page)).toEqual([]);
        } finally {
          await page.context().close();
        }
      });
    }
  }

  /** The element that has focus: what it is, and whether its focus is shown (an outline or a ring). */
  const focused = async (page: Page): Promise<{ tag: string; type: string | null; name: string | null; shown: boolean } | null> =>
    (await page.evaluate(`(() => {
      const el = document.activeElement;
      if (el === null || el === document.body) return null;
      const style = getComputedStyle(el);
      const shown = el.matches(':focus-visible') && ((style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none');
      return { tag: el.tagName.toLowerCase(), type: el.getAttribute('type'), name: el.getAttribute('name'), shown };
    })()`)) as { tag: string; type: string | null; name: string | null; shown: boolean } | null;

  it('takes the preference form from the keyboard alone at 320 px: Tab reaches every choice and the button, focus is shown, Enter saves', async () => {
    const page = await open('narrow', pages.preferences('F1'));
    try {
      const reached: { tag: string; type: string | null; name: string | null; shown: boolean }[] = [];
      for (let i = 0; i < 20; i++) {
        await page.keyboard.press('Tab');
        const f = await focused(page);
        if (f === null) continue;
        reached.push(f);
        if (f.tag === 'button') break;
      }
      const names = reached.map((r) => r.name);
      for (const name of ['marketing.email', 'marketing.sms', 'marketing.phone', 'marketing.post', 'partner.email', 'object.direct_marketing', 'object.profiling']) expect(names).toContain(name);
      expect(reached.at(-1)).toMatchObject({ tag: 'button', type: 'submit' });
      expect(reached.filter((r) => !r.shown)).toEqual([]);
      // Choosing with the keyboard: the e-mail radio group takes the arrow keys; the button takes Enter.
      await page.locator('input[name="marketing.email"][value="withdrawn"]').focus();
      await page.keyboard.press('Space');
      await page.locator('form button[type="submit"]').focus();
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      expect(await page.locator('[role="status"]').innerText()).toMatch(/Tallennettu \(1 muutos\)/);
    } finally {
      await page.context().close();
    }
  });

  it('records an objection ticked after removing an inferred interest (the form sends to the page, not to the removal)', async () => {
    const page = await open('desktop', pages.preferences('I1'));
    try {
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: /Poista: Koti ja puutarha/ }).click()]);
      expect(await page.locator('[role="status"]').innerText()).toMatch(/Poistettu: Koti ja puutarha/);
      await page.locator('input[name="object.profiling"]').check();
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Tallenna' }).click()]);
      const objections = (await app.stores.ledger.historyOf('I1' as CustomerId)).filter((r) => r.kind === 'objection');
      expect(objections.map((r) => (r.kind === 'objection' ? r.scope : null))).toEqual(['profiling']);
      expect(await page.locator('[role="status"]').innerText()).toMatch(/Tallennettu/);
    } finally {
      await page.context().close();
    }
  });

  it('takes the unsubscribe button from the keyboard, with its focus shown', async () => {
    const page = await open('narrow', pages.unsubscribe('E1'));
    try {
      let f = await focused(page);
      for (let i = 0; i < 10 && f?.tag !== 'button'; i++) {
        await page.keyboard.press('Tab');
        f = await focused(page);
      }
      expect(f).toMatchObject({ tag: 'button', shown: true });
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      expect(await page.locator('main').innerText()).toMatch(/no longer send you marketing/);
    } finally {
      await page.context().close();
    }
  });
});
