/// <reference lib="dom" />
/**
 * The Feedback screen in Chromium (playwright-core, Debian's /usr/bin/chromium): an analyst opens
 * Feedback, sees the CSAT results by month, groups them by agent (the grouping goes into the URL, so
 * the view can be shared and reloaded), and the distribution as a chart with a table of the same
 * figures; a group with fewer answers than the minimum shows no score; a marketer has no Feedback
 * section. axe-core at 1280 and 320 px. Runs against the built console (`npm run build`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleDeps, createApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { Instant } from '../../src/core/records.ts';
import { buildServer } from '../../src/http/server.ts';
import { consoleBuildDir } from '../../src/http/routes/console.ts';
import { createConsoleUser } from '../../src/use-cases/console-users.ts';
import { CHROMIUM, PASSWORD, SKIP_REASON as skipReason, seriousViolations, signIn } from './support.ts';

async function accessibleAtBothWidths(page: Page): Promise<void> {
  for (const width of [1280, 320]) {
    await page.setViewportSize({ width, height: 900 });
    expect(await seriousViolations(page)).toEqual([]);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

(skipReason === null ? describe : describe.skip)(`feedback results in Chromium${skipReason === null ? '' : ` (${skipReason})`}`, () => {
  let dir: string;
  let app: App;
  let server: FastifyInstance;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    const build = consoleBuildDir();
    if (build === null) throw new Error('the console is not built: run npm run build (web/dist/index.html is missing)');
    dir = mkdtempSync(join(tmpdir(), 'lupa-feedback-console-'));
    app = await createApp(loadConfig({ LUPA_DATABASE_URL: `sqlite:${join(dir, 'lupa.db')}`, LUPA_LOG_LEVEL: 'silent', LUPA_PASSWORD_SCRYPT_LOG_N: '14' }));
    for (const role of ['analyst', 'marketer'] as const) await createConsoleUser(consoleDeps(app), { email: `${role}@lupa.example`, role, password: PASSWORD });
    // Six answered CSAT questions for agent-7 (scores 5,5,5,4,4,2), two for agent-9 (too few to show)
    // and five for agent-5 (enough, but withheld with agent-9: the whole less agent-7 would be them).
    const at = app.now();
    const answers: [string, number][] = [['agent-7', 5], ['agent-7', 5], ['agent-7', 5], ['agent-7', 4], ['agent-7', 4], ['agent-7', 2], ['agent-9', 3], ['agent-9', 1], ...Array.from({ length: 5 }, (): [string, number] => ['agent-5', 4])];
    for (const [agent, score] of answers) {
      const { ticket } = await app.stores.tickets.create(
        { customerId: 'C1', contact: null, contactName: null, channel: 'phone', subject: 'Kysymys', status: 'solved', priority: 'normal', queue: 'support', assignee: agent, tags: [], createdAt: at, firstResponseDue: at, resolutionDue: at },
        { author: 'customer', authorName: null, body: 'Hei', messageId: null, createdAt: at },
      );
      const r = await app.stores.feedback.claimCsat({ ticketId: ticket.id, customerId: 'C1', channel: 'email', agent, queue: 'support', state: 'pending', basis: 'legitimate_interest', reasons: ['LEGITIMATE_INTEREST'], month: at.slice(0, 7), createdAt: at, expiresAt: at });
      await app.stores.feedback.markSent(r?.id ?? 0, at);
      await app.stores.feedback.answer(r?.id ?? 0, score, null, at as Instant);
    }
    server = await buildServer(app, { consoleDir: build });
    base = await server.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows an analyst the CSAT results by month and by agent, with the distribution as a chart and a table', async () => {
    const page = await signIn(browser, base, 'analyst', 'en-GB', 'Europe/Helsinki');
    await page.getByRole('navigation').getByRole('link', { name: 'Feedback' }).click();
    await page.getByRole('heading', { level: 1, name: 'Feedback' }).waitFor();
    await page.getByText(/All: 13 sent, 13 answers \(100 %\), average 3\.77/).waitFor();
    await page.getByRole('heading', { name: 'CSAT (1–5): answers by score' }).waitFor();
    await accessibleAtBothWidths(page);

    await page.getByLabel('Group by').selectOption('agent');
    await page.getByRole('rowheader', { name: 'agent-9' }).waitFor();
    expect(new URL(page.url()).searchParams.get('by')).toBe('agent');
    const row = (name: string) => page.getByRole('row').filter({ has: page.getByRole('rowheader', { name }) }).first().innerText();
    expect(await row('agent-7')).toMatch(/6\s+6\s+100 %\s+4\.17/);
    expect(await row('agent-9')).toMatch(/withheld/);
    expect(await row('agent-5')).toMatch(/5\s+5\s+100 %\s+withheld/);
    await page.reload();
    await page.getByRole('rowheader', { name: 'agent-9' }).waitFor();
    await page.close();
  });

  it('gives a marketer no Feedback section', async () => {
    const page = await signIn(browser, base, 'marketer', 'en-GB', 'Europe/Helsinki');
    await page.getByRole('navigation').waitFor();
    expect(await page.getByRole('navigation').getByRole('link', { name: 'Feedback' }).count()).toBe(0);
    await page.close();
  });
});
