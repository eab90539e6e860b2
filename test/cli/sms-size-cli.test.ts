/** `lupa template preview --channel sms` and `lupa campaign status` show an SMS's segments and encoding, and warn when names push it over. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createApp } from '../../src/composition-root.ts';
import { loadConfig } from '../../src/config.ts';
import type { CustomerId } from '../../src/core/records.ts';
import { lupa, PROCESS_TEST_TIMEOUT_MS } from '../support/processes.ts';
import { describeOnStore, freshStore, type TestStore } from '../support/stores.ts';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS });

const MJML = '<mjml><mj-body><mj-section><mj-column><mj-text>-</mj-text></mj-column></mj-section></mj-body></mjml>';
const OFFER = { id: 'offer-sms', kind: 'marketing', defaultLocale: 'fi', locales: { fi: { subject: `Hei {{ customer.firstName }}! ${'Tarjous '.repeat(14)}`.trimEnd(), mjml: MJML } } };

describeOnStore('sqlite', 'SMS segments on the command line', () => {
  let store: TestStore;
  let env: Record<string, string>;

  beforeAll(async () => {
    store = await freshStore('sqlite');
    env = { LUPA_DATABASE_URL: store.url };
    const dir = mkdtempSync(join(tmpdir(), 'lupa-sms-'));
    writeFileSync(join(dir, 'offer.json'), JSON.stringify(OFFER));
    writeFileSync(join(dir, 'c.ndjson'), `${JSON.stringify({ type: 'customer', id: 'S1', kind: 'person', name: 'Aino Virtanen', phone: '040 123 4567', locale: 'fi' })}\n`);
    expect((await lupa(['import', join(dir, 'c.ndjson')], env)).code).toBe(0);
    expect((await lupa(['template', 'add', join(dir, 'offer.json')], env)).code).toBe(0);
  });
  afterAll(async () => {
    await store.drop();
  });

  it('previews the SMS with its segments and the warning, and audits the read of the customer', async () => {
    const run = await lupa(['template', 'preview', 'offer-sms', '--customer', 'S1', '--channel', 'sms'], env);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('SMS (fi): 1 segment, GSM-7, 142 of 160 in the last segment');
    expect(run.stdout).toContain('  Lopetus: vastaa STOP');
    expect(run.stdout).toMatch(/warning: personalisation can make this SMS 3 segments instead of 1: .*UCS-2/);
    const app = await createApp(loadConfig({ LUPA_DATABASE_URL: store.url, LUPA_LOG_LEVEL: 'silent' }));
    try {
      expect((await app.stores.audit.forCustomer('S1' as CustomerId)).map((e) => e.action)).toEqual(['template.preview']);
    } finally {
      await app.close();
    }
  });

  it('shows the size in the status of an SMS campaign', async () => {
    expect((await lupa(['campaign', 'create', '--name', 'Tarjous', '--purpose', 'marketing', '--channel', 'sms', '--template', 'offer-sms'], env)).code).toBe(0);
    const status = JSON.parse((await lupa(['campaign', 'status', '1'], env)).stdout) as { sms: { segments: number; encoding: string; maxSegments: number } };
    expect(status.sms).toMatchObject({ segments: 1, encoding: 'gsm7', maxSegments: 3 });
  });
});
