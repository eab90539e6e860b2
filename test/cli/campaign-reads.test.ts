/** `lupa campaign list|skipped|explain`, `lupa template list`, `lupa product list` as processes, on every store. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createApp } from '../../src/composition-root.ts';
import { loadConfig } from '../../src/config.ts';
import type { CustomerId } from '../../src/core/records.ts';
import { lupa, PROCESS_TEST_TIMEOUT_MS } from '../support/processes.ts';
import { describeOnStore, freshStore, type TestStore } from '../support/stores.ts';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS });

for (const kind of ['sqlite', 'postgres'] as const) {
  describeOnStore(kind, 'finding things out with lupa', () => {
    let store: TestStore;
    const run = (args: string[]) => lupa(['--db', store.url, ...args]);
    const dir = mkdtempSync(join(tmpdir(), 'lupa-reads-'));

    beforeAll(async () => {
      store = await freshStore(kind);
      expect((await run(['demo', '--customers', '40'])).code).toBe(0);
      expect((await run(['campaign', 'create', '--name', 'Syystarjous', '--purpose', 'marketing', '--channel', 'email', '--product', 'UV-PRINT-7', '--template', 'autumn'])).code).toBe(0);
      expect((await run(['campaign', 'launch', '1'])).code).toBe(0);
    });
    afterAll(async () => {
      await store.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('lists campaigns, templates and products as tables, and as JSON with --json', async () => {
      const campaigns = await run(['campaign', 'list']);
      expect(campaigns.stdout.split('\n')[0]).toMatch(/^id\s+name\s+status\s+purposes/);
      expect(campaigns.stdout).toMatch(/^1\s+Syystarjous\s+running\s+marketing\s+email\s+UV-PRINT-7\s+autumn/m);
      expect((await run(['template', 'list'])).stdout).toMatch(/^autumn\s+marketing\s+en,fi,sv/m);
      const products = JSON.parse((await run(['product', 'list', '--json'])).stdout) as { sku: string; category: string }[];
      expect(products).toContainEqual(expect.objectContaining({ sku: 'UV-PRINT-7', category: 'daily' }));
    });

    it('exports the skipped customers with their reasons to CSV, the same rows as --json, each audited', async () => {
      const out = join(dir, `skipped-${kind}.csv`);
      const exported = await run(['campaign', 'skipped', '1', '--out', out]);
      expect(exported.code).toBe(0);
      const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as { customerId: string; state: string; reasons: string }[];
      expect(exported.stdout).toBe(`wrote ${rows.length} rows to ${out}\n`);
      const listed = (await run(['campaign', 'skipped', '1', '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { customerId: string; reasons: string[] });
      expect(rows.map((r) => [r.customerId, r.state, r.reasons])).toEqual(listed.map((d) => [d.customerId, 'skipped', d.reasons.join(' ')]));
      expect(rows.length).toBeGreaterThan(0);
      const onlySimilar = (await run(['campaign', 'skipped', '1', '--reason', 'NOT_SIMILAR_PRODUCT', '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { reasons: string[] });
      expect(onlySimilar.length).toBeGreaterThan(0);
      expect(onlySimilar.every((d) => d.reasons.includes('NOT_SIMILAR_PRODUCT'))).toBe(true);
      const app = await createApp(loadConfig({ LUPA_DATABASE_URL: store.url, LUPA_LOG_LEVEL: 'silent' }));
      try {
        const trail = await app.stores.audit.forCustomer((rows[0]?.customerId ?? '') as CustomerId);
        expect(trail).toContainEqual(expect.objectContaining({ action: 'campaign.skipped', detail: { campaign: 1 } }));
      } finally {
        await app.close();
      }
    });

    it('explains a NOT_SIMILAR_PRODUCT recipient by naming the orders that were considered', async () => {
      const skipped = (await run(['campaign', 'skipped', '1', '--reason', 'NOT_SIMILAR_PRODUCT', '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { customerId: string });
      const customer = skipped[0]?.customerId ?? '';
      const explained = JSON.parse((await run(['campaign', 'explain', '1', '--customer', customer, '--json'])).stdout) as {
        decisions: { decision: { evidence: { consideredOrders: { id: string; similar: boolean }[] } } }[];
      };
      const orders = explained.decisions[0]?.decision.evidence.consideredOrders ?? [];
      expect(orders.length).toBeGreaterThan(0);
      expect(orders.every((o) => !o.similar)).toBe(true);
      const text = await run(['campaign', 'explain', '1', '--customer', customer]);
      expect(text.stdout).toContain(`campaign 1, customer ${customer}: skipped (NOT_SIMILAR_PRODUCT)`);
      for (const o of orders) expect(text.stdout).toMatch(new RegExp(`${o.id} .*not similar`));
    });

    it('refuses an unknown --ordered-sku like an unknown product, exit 3 naming orderedSku', async () => {
      const refused = await run(['audience', '--purpose', 'marketing', '--channel', 'email', '--ordered-sku', 'UV-PRINT7']);
      expect(refused.code).toBe(3);
      expect(refused.stderr).toMatch(/UNKNOWN_PRODUCT \(orderedSku\)/);
    });
  });
}
