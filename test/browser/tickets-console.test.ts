/// <reference lib="dom" />
/**
 * Tickets in Chromium (playwright-core, Debian's /usr/bin/chromium): an agent finds a ticket in the
 * inbox with its SLA badge, opens it, adds an internal note (not sent), sends a reply (sent, as a
 * service message) and solves it; a marketer has no Tickets section and the server refuses the
 * read; axe-core at 1280 and 320 px. Runs against the built console (`npm run build`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleDeps, createApp, type App } from '../../src/app.ts';
import { ticketDeps } from '../../src/composition-root.ts';
import { loadConfig } from '../../src/config.ts';
import type { EmailMessage, MessageSender } from '../../src/core/email-message.ts';
import { buildServer } from '../../src/http/server.ts';
import { consoleBuildDir } from '../../src/http/routes/console.ts';
import { createConsoleUser } from '../../src/use-cases/console-users.ts';
import { openTicket } from '../../src/use-cases/tickets/tickets.ts';
import { CHROMIUM, PASSWORD, SKIP_REASON as skipReason, seriousViolations, signIn } from './support.ts';

async function accessibleAtBothWidths(page: Page): Promise<void> {
  for (const width of [1280, 320]) {
    await page.setViewportSize({ width, height: 900 });
    expect(await seriousViolations(page)).toEqual([]);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

(skipReason === null ? describe : describe.skip)(`tickets in Chromium${skipReason === null ? '' : ` (${skipReason})`}`, () => {
  let dir: string;
  let app: App;
  let server: FastifyInstance;
  let browser: Browser;
  let base: string;
  const sent: EmailMessage[] = [];
  const mailer: MessageSender = { send: async (m) => (sent.push(m), { messageId: `<n.${m.noticeId ?? ''}@lupa.test>`, response: '250' }), close: async () => undefined };

  beforeAll(async () => {
    const build = consoleBuildDir();
    if (build === null) throw new Error('the console is not built: run npm run build (web/dist/index.html is missing)');
    dir = mkdtempSync(join(tmpdir(), 'lupa-tickets-console-'));
    app = await createApp(loadConfig({ LUPA_DATABASE_URL: `sqlite:${join(dir, 'lupa.db')}`, LUPA_LOG_LEVEL: 'silent', LUPA_PASSWORD_SCRYPT_LOG_N: '14' }));
    for (const role of ['agent', 'marketer'] as const) await createConsoleUser(consoleDeps(app), { email: `${role}@lupa.example`, role, password: PASSWORD });
    await openTicket(ticketDeps(app), { channel: 'email', contact: 'aino@example.fi', contactName: 'Aino Virtanen', subject: 'Lehti ei tullut', body: 'Tämän aamun lehti puuttuu.', messageId: '<q1@example.fi>' });
    server = await buildServer(app, { consoleDir: build, mailer });
    base = await server.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets an agent note, reply to and solve a ticket from the inbox', async () => {
    const page = await signIn(browser, base, 'agent', 'en-GB', 'Europe/Helsinki');
    await page.getByRole('navigation').getByRole('link', { name: 'Tickets' }).click();
    await page.getByRole('heading', { level: 1, name: 'Tickets' }).waitFor();
    await page.getByRole('link', { name: 'Lehti ei tullut' }).waitFor();
    expect(await page.getByRole('table').textContent()).toMatch(/New.*(On time|Due soon|Breached)/);
    await accessibleAtBothWidths(page);

    await page.getByRole('link', { name: 'Lehti ei tullut' }).click();
    await page.getByText('Tämän aamun lehti puuttuu.').waitFor();
    await page.getByRole('textbox', { name: /^Message/ }).fill('Jakelureitti 12.');
    await page.getByLabel('Internal note (not sent)').check();
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByText('The note was added.').waitFor();
    expect(sent).toHaveLength(0);

    await page.getByLabel('Internal note (not sent)').uncheck();
    await page.getByRole('textbox', { name: /^Message/ }).fill('Pahoittelut! Lähetämme lehden uudelleen.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.getByText('The reply was sent.').waitFor();
    expect(sent.map((m) => [m.to, m.unsubscribe, m.thread?.inReplyTo])).toEqual([['aino@example.fi', null, '<q1@example.fi>']]);
    await page.getByText('Pahoittelut! Lähetämme lehden uudelleen.').waitFor();

    await page.getByLabel('Status', { exact: true }).selectOption('solved');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Status: Solved').waitFor();
    await accessibleAtBothWidths(page);
    expect((await app.stores.tickets.get(1))?.status).toBe('solved');
  }, 120_000);

  it('shows a marketer no Tickets section, and the server refuses the read', async () => {
    const page = await signIn(browser, base, 'marketer', 'en-GB', 'Europe/Helsinki');
    await page.getByRole('navigation').waitFor();
    expect(await page.getByRole('navigation').getByRole('link', { name: 'Tickets' }).count()).toBe(0);
    expect(await page.evaluate(async () => (await fetch('/v1/tickets')).status)).toBe(403);
  });
});
