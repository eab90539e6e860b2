/**
 * A campaign's message as the rules see it: its compiled template and the purposes its content
 * needs (compliance.md §2 rule 12). The launch, the re-check before each hand-off and the preview
 * all come here, so what a message carries decides what must be allowed everywhere alike.
 */
import type { Campaign, TemplateStore } from '../core/campaign.ts';
import { DomainError } from '../core/errors.ts';
import { messagePurposes, PLAIN_CONTENT, type MessagePurposes } from '../core/message-purposes.ts';
import { MARKETING_MESSAGE_PURPOSES } from '../core/vocabulary.ts';
import { compileTemplate, type CompiledTemplate, type TemplateDefinition } from '../templates/index.ts';

const compiled = new Map<string, Promise<CompiledTemplate>>();

/**
 * The campaign's template, compiled once per process and campaign (rendering per recipient is the
 * hot path). Throws TEMPLATE_INVALID when the campaign has none, it is missing or invalid, or a
 * marketing message would go out without the opt-out footer only a marketing template carries.
 */
export async function campaignTemplate(deps: { templates: TemplateStore }, campaign: Campaign): Promise<CompiledTemplate> {
  if (campaign.templateId === null) throw new DomainError('TEMPLATE_INVALID', `campaign ${campaign.id} has no template`, { field: 'template' });
  const key = `${campaign.id}:${campaign.templateId}`;
  let template = compiled.get(key);
  if (template === undefined) {
    const definition = await deps.templates.get(campaign.templateId);
    if (definition === null) throw new DomainError('TEMPLATE_INVALID', `no template ${campaign.templateId}`, { field: 'template' });
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
export function campaignPurposes(campaign: Pick<Campaign, 'id' | 'purpose' | 'templateId'>, template: CompiledTemplate | null): MessagePurposes {
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
