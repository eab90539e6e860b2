/**
 * `lupa feedback` as documented (docs/customer-service.md#feedback): `nps send` draws a seeded
 * sample and sends the question through LUPA_SMTP_URL (a recording inbox here) only to those
 * research by e-mail allows; `tickets close` asks the closed ticket's customer the CSAT question;
 * `results` prints the figures (as JSON with --json); a wrong option exits 2.
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { DevInbox } from '../../src/channels/email/dev-inbox.ts';
import { createApp } from '../../src/composition-root.ts';
import { loadConfig } from '../../src/config.ts';
import type { CustomerId, Instant, OrderId, Sku } from '../../src/core/records.ts';
import { lupa, PROCESS_TEST_TIMEOUT_MS } from '../support/processes.ts';
import { describeEachStoreUrl } from '../support/stores.ts';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS });

const T0 = '2025-01-01T00:00:00.000Z' as Instant;

describeEachStoreUrl('lupa feedback', (store) => {
  const inbox = new DevInbox(100);
  let env: Record<string, string> = {};
  const run = (args: string[]) => lupa(['--db', store().url, ...args], env);

  beforeAll(async () => {
    env = { LUPA_SMTP_URL: `smtp://127.0.0.1:${(await inbox.start('127.0.0.1', 0)).port}` };
    const app = await createApp(loadConfig({ LUPA_DATABASE_URL: store().url, LUPA_LOG_LEVEL: 'silent', ...env }));
    await app.stores.catalogue.upsertProduct({ sku: 'HS-7' as Sku, name: 'HS 7 pv', category: 'news' } as never);
    for (const id of ['K1', 'K2', 'K3']) {
      await app.stores.customers.insertCustomer({ id: id as CustomerId, kind: 'person', name: `Test ${id}`, emails: [`${id.toLowerCase()}@example.fi`], phones: [], address: null, locale: 'fi', createdAt: T0, updatedAt: T0 });
    }
    // K3 has never ordered: not an existing customer, no research on legitimate interest.
    for (const id of ['K1', 'K2']) await app.stores.catalogue.upsertOrder({ id: `O${id}` as OrderId, customerId: id as CustomerId, sku: 'HS-7' as Sku, startedAt: T0, endedAt: null, soldVia: 'web', optOutOffered: true } as never);
    await app.stores.tickets.create(
      { customerId: 'K1', contact: 'k1@example.fi', contactName: null, channel: 'email', subject: 'Lasku', status: 'open', priority: 'normal', queue: 'billing', assignee: 'agent-7', tags: [], createdAt: T0, firstResponseDue: T0, resolutionDue: T0 },
      { author: 'customer', authorName: null, body: 'Hei', messageId: null, createdAt: T0 },
    );
    await app.close();
  });
  afterAll(() => inbox.stop());

  it('sends the NPS survey to the sample research allows, the CSAT question on close, and prints the results', async () => {
    const sent = await run(['feedback', 'nps', 'send', '--size', '3', '--seed', 'cli', '--json']);
    expect(sent.code, sent.stderr).toBe(0);
    expect(JSON.parse(sent.stdout)).toMatchObject({ survey: { drawn: 3, seed: 'cli' }, sent: 2, skipped: 1, reasons: { NO_LEGAL_BASIS: 1 } });
    const to = async () => (await inbox.list()).flatMap((m) => m.envelopeTo).sort();
    expect(await to()).toEqual(['k1@example.fi', 'k2@example.fi']);

    expect((await run(['tickets', 'close', '1'])).code).toBe(0);
    expect(await to()).toEqual(['k1@example.fi', 'k1@example.fi', 'k2@example.fi']);

    const results = await run(['feedback', 'results', '--kind', 'csat', '--by', 'agent', '--json']);
    expect(results.code).toBe(0);
    expect(JSON.parse(results.stdout)).toMatchObject({ kind: 'csat', groups: [{ key: 'agent-7', sent: 1, answered: 0 }] });
    const table = await run(['feedback', 'results', '--kind', 'nps']);
    expect(table.stdout).toMatch(/month\s+sent\s+answered/);
    expect((await run(['feedback', 'results', '--kind', 'stars'])).code).toBe(2);
    expect((await run(['feedback', 'nps', 'send'])).code).toBe(2);
  });
});
