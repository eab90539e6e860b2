/**
 * `lupa audiences preview` counts, set-based, exactly what `decide` for purpose `ad_audience` says
 * customer by customer (channel `web`: the customer record), on demo data, with and without a filter.
 */
import { Readable } from 'node:stream';
import { beforeAll, expect, it } from 'vitest';
import type { AudienceFilter } from '../../core/ports.ts';
import type { CustomerId } from '../../core/records.ts';
import type { BlockingReason } from '../../core/vocabulary.ts';
import { AD_AUDIENCE_CHANNEL } from '../../core/ad-audiences/identifiers.ts';
import { demoToNdjson } from '../../demo/generate-demo.ts';
import { runImport } from '../../import/run-import.ts';
import { describeEachStore } from '../../../test/support/stores.ts';
import { decideForCustomer } from '../decide-for-customer.ts';
import { previewAdAudience } from './ad-audiences.ts';

describeEachStore('ad audience preview', (ctx) => {
  beforeAll(async () => {
    const app = ctx.app;
    await runImport({ database: app.database, settings: app.settings, now: app.now }, { stream: Readable.from(demoToNdjson({ customers: 600, seed: 7 })), format: 'ndjson' });
  }, 120_000);

  it.each<[string, AudienceFilter]>([
    ['everyone', {}],
    ['persons in one city', { attribute: { name: 'city', value: 'Tampere' } }],
  ])('equals per-customer decide for %s', async (_, filter) => {
    const app = ctx.app;
    const deps = { ...app.stores, settings: app.settings, now: app.now };
    const at = app.now();
    const preview = await previewAdAudience({ ...deps, now: () => at }, filter);
    let query = app.database.db.selectFrom('customers').select('id');
    if (filter.attribute !== undefined) query = query.where('city', '=', filter.attribute.value);
    const ids = (await query.execute()).map((r) => r.id as CustomerId);
    let eligible = 0;
    const blocked: Partial<Record<BlockingReason, number>> = {};
    for (const customerId of ids) {
      const d = await decideForCustomer(deps, { customerId, purpose: 'ad_audience', channel: AD_AUDIENCE_CHANNEL, sku: null, at });
      if (d.allowed) eligible += 1;
      else for (const r of d.reasons) blocked[r] = (blocked[r] ?? 0) + 1;
    }
    expect(eligible).toBeGreaterThan(0);
    expect(preview).toEqual({ evaluated: ids.length, eligible, blocked });
  });
});
