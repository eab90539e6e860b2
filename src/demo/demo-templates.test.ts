/** The demo templates: the ones docs/examples shows, compiled, and enough for the README's first campaigns. */
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import type { Sku } from '../core/records.ts';
import { runImport } from '../import/run-import.ts';
import { compileTemplate } from '../templates/index.ts';
import { createCampaign, launchCampaign } from '../use-cases/campaigns.ts';
import { describeEachStore } from '../../test/support/stores.ts';
import { DEMO_TEMPLATES, saveDemoTemplates } from './demo-templates.ts';
import { demoToNdjson } from './generate-demo.ts';

it('are the templates docs/examples gives, and compile', async () => {
  for (const t of DEMO_TEMPLATES) {
    expect(JSON.parse(readFileSync(new URL(`../../docs/examples/${t.id}.json`, import.meta.url), 'utf8'))).toEqual(t);
    expect((await compileTemplate(t)).id).toBe(t.id);
  }
});

describeEachStore('the demo templates', (ctx) => {
  it('let the README\'s two first campaigns be created and launched as written, and are stored once', async () => {
    await runImport({ database: ctx.app.database, settings: ctx.app.settings, now: ctx.app.now }, { stream: Readable.from(demoToNdjson({ customers: 200, seed: 1 })), format: 'ndjson' });
    expect(await saveDemoTemplates(ctx.app.stores.templates, ctx.app.now())).toEqual(['autumn', 'disruption']);
    expect(await saveDemoTemplates(ctx.app.stores.templates, ctx.app.now())).toEqual([]);
    const deps = { ...ctx.app.stores, settings: ctx.app.settings, sending: ctx.app.sending, now: ctx.app.now };
    const offer = await createCampaign(deps, { name: 'Syystarjous', purpose: 'marketing', channel: 'email', sku: 'UV-PRINT-7' as Sku, filter: {}, templateId: 'autumn' });
    const notice = await createCampaign(deps, { name: 'Jakeluhäiriö', purpose: 'service', channel: 'email', sku: null, filter: { postalCodePrefixes: ['33', '34', '35'] }, templateId: 'disruption' });
    expect((await launchCampaign(deps, { campaignId: offer.id })).campaign.purposes).toEqual(['marketing']);
    expect((await launchCampaign(deps, { campaignId: notice.id })).campaign.purposes).toEqual(['service']);
  });
});
