/**
 * A message's purposes come from its content (compliance.md §2 rule 12): every combination of
 * template content and campaign purpose, launched set-based and re-checked before hand-off, on both
 * stores, against `decide` asked per customer and purpose.
 */
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Verdict } from '../core/evaluate.ts';
import { combineVerdicts, messagePurposes, type MessageContent } from '../core/message-purposes.ts';
import type { CustomerId, Instant, Sku } from '../core/records.ts';
import type { Purpose } from '../core/vocabulary.ts';
import { runImport } from '../import/run-import.ts';
import { describeEachStore } from '../../test/support/stores.ts';
import { inboxSender } from '../../test/support/sending.ts';
import { DevInbox } from '../channels/email/dev-inbox.ts';
import type { TemplateDefinition } from '../templates/index.ts';
import { campaignResults, createCampaign, launchCampaign } from './campaigns.ts';
import { decideForCustomer } from './decide-for-customer.ts';
import { sendCampaign } from './send-campaign.ts';
import { previewForCustomer } from './template-preview.ts';

const NOW = '2026-11-01T00:00:00.000Z' as Instant;
const SKU = 'UV-PRINT-7' as Sku;

const body = (inner: string): string => `<mjml><mj-body><mj-section><mj-column><mj-text>Hei {{ customer.firstName }}!</mj-text>${inner}</mj-column></mj-section></mj-body></mjml>`;
const PARTNER = { partnerName: 'Matkatoimisto Oy', html: '<p>Kevätlomat -20 %</p>', text: 'Kevätlomat -20 %' };

/** One template per kind of content a message can carry. */
const TEMPLATES: Record<string, TemplateDefinition> = {
  'service notice': { id: 't-service', kind: 'service', defaultLocale: 'fi', locales: { fi: { subject: 'Jakeluhäiriö', mjml: body('<mj-text>Lehti myöhästyy.</mj-text>') } } },
  'plain marketing': { id: 't-marketing', kind: 'marketing', defaultLocale: 'fi', locales: { fi: { subject: 'Tarjous', mjml: body('<mj-text css-class="promo">-30 %</mj-text>') } } },
  'marketing with a partner block': {
    id: 't-partner',
    kind: 'marketing',
    defaultLocale: 'fi',
    locales: { fi: { subject: 'Tarjous', mjml: body('<mj-text>Uutiset</mj-text>') } },
    partnerBlock: PARTNER,
  },
  'marketing with a personalised block': {
    id: 't-personal',
    kind: 'marketing',
    defaultLocale: 'fi',
    locales: { fi: { subject: 'Sinulle', mjml: body('<mj-text css-class="personalised">Valittu sinulle</mj-text>') } },
  },
  'marketing with a partner and a personalised block': {
    id: 't-both',
    kind: 'marketing',
    defaultLocale: 'fi',
    locales: { fi: { subject: 'Sinulle', mjml: body('<mj-raw><div data-personalised>Valittu sinulle</div></mj-raw>') } },
    partnerBlock: PARTNER,
  },
};

/**
 * Customers covering every state that matters: marketing consent (granted, withdrawn, none, or soft
 * opt-in through an order), partner consent on e-mail or on every channel (granted, withdrawn,
 * none), objections (none, to direct marketing, to profiling), and a few without an e-mail.
 */
function customerFile(): string {
  const lines: object[] = [{ type: 'product', sku: SKU, name: 'Uutisvirta 7 pv', category: 'daily' }];
  const consent = (customerId: string, purpose: Purpose, channel: string | null, value: string) =>
    lines.push({ type: 'consent', customerId, purpose, ...(channel === null ? {} : { channel }), value, at: '2026-01-01T00:00:00Z', source: 'web-form' });
  let n = 0;
  for (const marketing of ['granted', 'withdrawn', 'none', 'soft']) {
    for (const partner of ['granted', 'granted-all', 'withdrawn', 'none']) {
      for (const objection of ['none', 'direct_marketing', 'profiling']) {
        const id = `M${String(++n).padStart(3, '0')}`;
        lines.push({ type: 'customer', id, kind: 'person', name: `Testi ${id}`, ...(n % 11 === 0 ? {} : { email: `m${n}@example.fi` }), locale: 'fi' });
        if (marketing === 'soft') lines.push({ type: 'order', id: `O${id}`, customerId: id, sku: SKU, startedAt: '2026-01-01T00:00:00Z', endedAt: null, soldVia: 'web', optOutOffered: true });
        else if (marketing !== 'none') consent(id, 'marketing', 'email', marketing);
        if (partner === 'granted-all') consent(id, 'partner_marketing', null, 'granted');
        else if (partner !== 'none') consent(id, 'partner_marketing', 'email', partner);
        if (objection !== 'none') lines.push({ type: 'objection', customerId: id, scope: objection, at: '2026-02-01T00:00:00Z', source: 'customer-service' });
      }
    }
  }
  return lines.map((l) => JSON.stringify(l)).join('\n');
}

describe('the purposes of a message', () => {
  const content = (c: Partial<MessageContent>): MessageContent => ({ promotional: false, partnerAd: false, personalised: false, ...c });

  it('makes a service message with promotion a marketing message (rule 1)', () => {
    expect(messagePurposes('service', content({ promotional: true }))).toEqual({ primary: 'marketing', further: [] });
    expect(messagePurposes('service', content({}))).toEqual({ primary: 'service', further: [] });
  });

  it('adds partner_marketing for a partner block whatever the campaign purpose (rule 6)', () => {
    expect(messagePurposes('marketing', content({ promotional: true, partnerAd: true }))).toEqual({ primary: 'marketing', further: ['partner_marketing'] });
    expect(messagePurposes('service', content({ partnerAd: true }))).toEqual({ primary: 'marketing', further: ['partner_marketing'] });
    expect(messagePurposes('partner_marketing', content({ promotional: true, partnerAd: true }))).toEqual({ primary: 'partner_marketing', further: [] });
  });

  it('adds profiling for a personalised block (rule 7), and marketing to a research invitation that promotes (rule 11)', () => {
    expect(messagePurposes('marketing', content({ promotional: true, personalised: true }))).toEqual({ primary: 'marketing', further: ['profiling'] });
    expect(messagePurposes('research', content({ promotional: true }))).toEqual({ primary: 'research', further: ['marketing'] });
    expect(messagePurposes('research', content({}))).toEqual({ primary: 'research', further: [] });
  });

  it('allows a message only when every purpose is, naming the further purposes in its reasons', () => {
    const allowed: Verdict = { allowed: true, basis: 'consent', reasons: ['CONSENT_GRANTED'] };
    const blocked: Verdict = { allowed: false, basis: null, reasons: ['NO_LEGAL_BASIS'] };
    expect(combineVerdicts(allowed, [{ purpose: 'partner_marketing', verdict: blocked }])).toEqual({ allowed: false, basis: null, reasons: ['partner_marketing:NO_LEGAL_BASIS'] });
    expect(combineVerdicts(allowed, [{ purpose: 'partner_marketing', verdict: allowed }])).toEqual({ allowed: true, basis: 'consent', reasons: ['CONSENT_GRANTED', 'partner_marketing:CONSENT_GRANTED'] });
    expect(combineVerdicts(blocked, [{ purpose: 'profiling', verdict: allowed }])).toEqual({ allowed: false, basis: null, reasons: ['NO_LEGAL_BASIS'] });
    expect(combineVerdicts(blocked, [{ purpose: 'profiling', verdict: { allowed: false, basis: null, reasons: ['PROFILING_OBJECTED'] } }])).toEqual({
      allowed: false,
      basis: null,
      reasons: ['NO_LEGAL_BASIS', 'profiling:PROFILING_OBJECTED'],
    });
  });
});

describeEachStore('a message is allowed for everything its content carries', (ctx) => {
  const deps = () => ({ ...ctx.app.stores, settings: ctx.app.settings, sending: ctx.app.sending, now: ctx.app.now });
  const inbox = new DevInbox(10_000);
  let port = 0;

  beforeAll(async () => {
    port = (await inbox.start('127.0.0.1', 0)).port;
    const result = await runImport({ database: ctx.app.database, settings: ctx.app.settings, now: ctx.app.now }, { stream: Readable.from(customerFile()), format: 'ndjson' });
    expect(result.errorCount).toBe(0);
    for (const t of Object.values(TEMPLATES)) await ctx.app.stores.templates.save(t.id, t, ctx.app.now());
    return () => inbox.stop();
  });

  /** What the launch must write for a customer: `decide` per purpose, joined as rule 12 says. */
  async function expected(customerId: string, primary: Purpose, further: Purpose[], sku: Sku | null) {
    const decide = (purpose: Purpose, product: Sku | null) =>
      decideForCustomer({ ...ctx.app.stores, settings: ctx.app.settings }, { customerId: customerId as CustomerId, purpose, channel: 'email', sku: product, at: NOW });
    const first = await decide(primary, sku);
    const parts = await Promise.all(further.map(async (purpose) => ({ purpose, verdict: await decide(purpose, null) })));
    return combineVerdicts(first, parts);
  }

  // Read from the records first, then (after a refresh) from the audience summaries.
  const cases = (['records', 'summaries'] as const).flatMap((path) =>
    Object.keys(TEMPLATES).flatMap((template) => (['service', 'marketing', 'partner_marketing'] as const).map((purpose) => [template, purpose, path] as const)),
  );

  it.each(cases)('launches "%s" in a %s campaign with the verdict decide gives for every purpose it needs (from the %s)', async (templateName, campaignPurpose, path) => {
    const template = TEMPLATES[templateName];
    if (template === undefined) throw new Error(templateName);
    if (path === 'summaries') await ctx.app.stores.audience.refreshSummaries();
    const input = { name: `${templateName} ${campaignPurpose} ${path}`, purpose: campaignPurpose, channel: 'email', sku: campaignPurpose === 'marketing' ? SKU : null, filter: {}, templateId: template.id } as const;
    const purposes = messagePurposes(campaignPurpose, { promotional: template.kind === 'marketing', partnerAd: template.partnerBlock !== undefined, personalised: template.id === 't-personal' || template.id === 't-both' });
    if (template.kind === 'service' && campaignPurpose !== 'service') {
      // A marketing message without the opt-out footer is refused before anything is written.
      await expect(createCampaign(deps(), input)).rejects.toMatchObject({ code: 'TEMPLATE_INVALID', field: 'template' });
      return;
    }
    const campaign = await createCampaign(deps(), input);
    const launched = await launchCampaign(deps(), { campaignId: campaign.id });
    expect(launched.campaign.purposes).toEqual([purposes.primary, ...purposes.further]);
    const rows = await sql<{ customer_id: string; state: string; basis: string | null; reasons: string }>`
      SELECT customer_id, state, basis, reasons FROM deliveries WHERE campaign_id = ${campaign.id} ORDER BY customer_id`.execute(ctx.app.database.db);
    expect(rows.rows).toHaveLength(48);
    for (const row of rows.rows) {
      const verdict = await expected(row.customer_id, purposes.primary, purposes.further, campaign.sku);
      expect({ id: row.customer_id, state: row.state, basis: row.basis, reasons: row.reasons }).toEqual({
        id: row.customer_id,
        state: verdict.allowed ? 'queued' : 'skipped',
        basis: verdict.basis,
        reasons: verdict.reasons.join(','),
      });
    }
    expect((await campaignResults(ctx.app.stores, { campaignId: campaign.id })).purposes).toEqual([purposes.primary, ...purposes.further]);
  });

  it('sends a partner ad to nobody without partner consent, and stops one whose partner consent was withdrawn after launch', async () => {
    const template = TEMPLATES['marketing with a partner block'];
    if (template === undefined) throw new Error('template');
    const campaign = await createCampaign(deps(), { name: 'Kumppani', purpose: 'marketing', channel: 'email', sku: SKU, filter: {}, templateId: template.id, from: { name: 'Uutisvirta', address: 'uutiset@lupa.test' } });
    const launched = await launchCampaign(deps(), { campaignId: campaign.id });
    // Marketing consent without partner consent: skipped for the partner's ad alone.
    const noPartner = await sql<{ reasons: string }>`SELECT d.reasons FROM deliveries d WHERE d.campaign_id = ${campaign.id} AND d.customer_id = 'M010'`.execute(ctx.app.database.db);
    expect(noPartner.rows[0]?.reasons).toBe('partner_marketing:NO_LEGAL_BASIS');
    expect(launched.counts.skippedBy['partner_marketing:NO_LEGAL_BASIS']).toBeGreaterThan(0);

    const queued = await sql<{ customer_id: string }>`SELECT customer_id FROM deliveries WHERE campaign_id = ${campaign.id} AND state = 'queued' ORDER BY customer_id`.execute(ctx.app.database.db);
    const [first, ...rest] = queued.rows.map((r) => r.customer_id);
    if (first === undefined) throw new Error('nothing queued');
    await ctx.app.stores.ledger.append([{ kind: 'consent', customerId: first as CustomerId, purpose: 'partner_marketing', channel: 'email', value: 'withdrawn', at: ctx.app.now(), source: 'preference_page', noticeVersion: null, noticeLocale: null, evidenceRef: null }]);

    const sender = inboxSender(ctx.app, port);
    try {
      const summary = await sendCampaign({ ...deps(), sender, signer: ctx.app.signer, publicUrl: 'https://lupa.test', trackingMode: 'always' }, { campaignId: campaign.id, workerId: 'w' });
      expect(summary).toMatchObject({ sent: rest.length, skipped: 1 });
    } finally {
      await sender.close();
    }
    const skipped = await sql<{ state: string; reasons: string }>`SELECT state, reasons FROM deliveries WHERE campaign_id = ${campaign.id} AND customer_id = ${first}`.execute(ctx.app.database.db);
    expect(skipped.rows[0]).toEqual({ state: 'skipped', reasons: 'partner_marketing:CONSENT_WITHDRAWN' });
  });

  it('tells in a preview what the template must be allowed for', async () => {
    const preview = await previewForCustomer(ctx.app.stores, { templateId: 't-both', customerId: 'M001' as CustomerId });
    expect(preview.purposes).toEqual(['marketing', 'partner_marketing', 'profiling']);
    expect((await previewForCustomer(ctx.app.stores, { templateId: 't-service', customerId: 'M001' as CustomerId })).purposes).toEqual(['service']);
  });
});
