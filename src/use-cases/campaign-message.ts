/**
 * A campaign's message as the rules see it: its compiled template, what the campaign fills it with,
 * and the purposes its content needs (compliance.md §2 rule 12). Creation, the launch, the re-check
 * before each hand-off and the preview all come here, so what a message carries decides what must
 * be allowed everywhere alike, and a template that cannot be filled is refused before anything is sent.
 */
import type { Campaign, TemplateStore } from '../core/campaign.ts';
import { DomainError, isDomainError } from '../core/errors.ts';
import { messagePurposes, PLAIN_CONTENT, type MessagePurposes } from '../core/message-purposes.ts';
import type { CatalogueStore } from '../core/ports.ts';
import { MARKETING_MESSAGE_PURPOSES } from '../core/vocabulary.ts';
import { compileTemplate, render, type CompiledTemplate, type RenderInput, type TemplateDefinition } from '../templates/index.ts';

/** Links Lupa makes for every recipient itself; a campaign cannot set them. */
export const RESERVED_LINKS = ['unsubscribe', 'preferences'] as const;

/** Compiled templates by their stored definition: a changed definition is compiled afresh. */
const compiled = new Map<string, Promise<CompiledTemplate>>();
const CACHE_LIMIT = 200;

/**
 * The campaign's template as stored now, compiled once per process and definition (rendering per
 * recipient is the hot path; an edited template is picked up at the next batch). Throws
 * TEMPLATE_INVALID when the campaign has none, it is missing or invalid, or a marketing message would
 * go out without the opt-out footer only a marketing template carries.
 */
export async function campaignTemplate(deps: { templates: TemplateStore }, campaign: Pick<Campaign, 'purpose' | 'templateId'> & { id?: number }): Promise<CompiledTemplate> {
  if (campaign.templateId === null) {
    const which = campaign.id === undefined ? 'the campaign' : `campaign ${campaign.id}`;
    throw new DomainError('TEMPLATE_INVALID', `${which} has no template: create it with --template ID`, { field: 'template' });
  }
  const definition = await deps.templates.get(campaign.templateId);
  if (definition === null) throw new DomainError('TEMPLATE_INVALID', `no template ${campaign.templateId}`, { field: 'template' });
  const key = JSON.stringify(definition);
  let template = compiled.get(key);
  if (template === undefined) {
    if (compiled.size >= CACHE_LIMIT) compiled.clear();
    template = compileTemplate(definition as TemplateDefinition);
    compiled.set(key, template);
    // A template that fails to compile is not kept: the next try reads it again.
    template.catch(() => compiled.delete(key));
  }
  const result = await template;
  campaignPurposes(campaign, result);
  return result;
}

/**
 * What the campaign's message must be allowed for, from the campaign's purpose and the template's
 * content (null: no template yet, so nothing beyond the campaign's purpose). Throws TEMPLATE_INVALID
 * when the message would be marketing but the template is a service template: every marketing
 * message carries the opt-out footer (rule 3), which only marketing templates get.
 */
export function campaignPurposes(campaign: Pick<Campaign, 'purpose' | 'templateId'>, template: CompiledTemplate | null): MessagePurposes {
  const purposes = messagePurposes(campaign.purpose, template?.content ?? PLAIN_CONTENT);
  if (template !== null && template.kind === 'service' && MARKETING_MESSAGE_PURPOSES.includes(purposes.primary)) {
    throw new DomainError(
      'TEMPLATE_INVALID',
      `a ${campaign.purpose} campaign needs a marketing template (with the opt-out footer); ${template.id} is a service template`,
      { field: 'template' },
    );
  }
  return purposes;
}

/** The marketed product's name, for `product.name` (null: the campaign markets none). */
export async function productNameOf(deps: { catalogue: CatalogueStore }, campaign: Pick<Campaign, 'sku'>): Promise<string | null> {
  if (campaign.sku === null) return null;
  return (await deps.catalogue.getProduct(campaign.sku))?.name ?? null;
}

/** What every message of the campaign fills its template with; the per-recipient links are added by the sender. */
export function campaignRenderInput(campaign: Pick<Campaign, 'vars' | 'links'>, productName: string | null): Pick<RenderInput, 'product' | 'vars'> & { links: Record<string, string> } {
  return { ...(productName === null ? {} : { product: { name: productName } }), vars: campaign.vars, links: campaign.links };
}

/**
 * Refuses a template the campaign cannot fill: every message is rendered once per locale and
 * customer language with the campaign's product, links and values, exactly as the sender will, so a
 * gap is found now with the name of what is missing, never at send time. Throws TEMPLATE_INVALID with
 * `field` naming it (`links.article1`, `vars.discount`, `product`).
 */
export function requireFilled(template: CompiledTemplate, campaign: Pick<Campaign, 'vars' | 'links' | 'sku'>, productName: string | null): void {
  const input = campaignRenderInput(campaign, productName);
  const links = { ...input.links, unsubscribe: 'https://lupa.invalid/u', preferences: 'https://lupa.invalid/p' };
  for (const locale of template.locales) {
    for (const customerLocale of [locale, null]) {
      try {
        render(template, { ...input, links, locale, customer: { name: 'Aino Esimerkki', locale: customerLocale } });
      } catch (err) {
        const variable = isDomainError(err) && typeof err.details?.variable === 'string' ? err.details.variable : null;
        if (variable === null) throw err;
        throw new DomainError('TEMPLATE_INVALID', `template ${template.id} uses ${variable}, which the campaign does not supply: ${howToSupply(variable)}`, { field: variable });
      }
    }
  }
}

function howToSupply(variable: string): string {
  const [root, name] = variable.split('.');
  if (root === 'links') return `give it with --link ${name ?? 'NAME'}=URL (API: "links")`;
  if (root === 'vars') return `give it with --var ${name ?? 'NAME'}=VALUE (API: "vars")`;
  if (root === 'product') return 'name the marketed product with --product SKU, or test for it with {% if product %}';
  return 'the template may use customer.*, product.name, offer.*, links.* and vars.* (docs/templates.md)';
}
