/** Preview a stored template as a chosen customer would get it (their name and language). */
import type { TemplateStore } from '../core/campaign.ts';
import { DomainError } from '../core/errors.ts';
import type { CustomerStore } from '../core/ports.ts';
import type { CustomerId } from '../core/records.ts';
import type { Purpose } from '../core/vocabulary.ts';
import { compileTemplate, previewCompiled, type RenderedMessage, type SenderIdentity, type TemplateDefinition } from '../templates/index.ts';

/** A preview, and what a message of this template must be allowed for (message-purposes.ts). */
export interface TemplatePreview extends RenderedMessage {
  /** The template's purposes on its own, the primary first; a campaign's own purpose can add to them. */
  purposes: Purpose[];
}

export async function previewForCustomer(
  deps: { templates: TemplateStore; customers: CustomerStore },
  input: { templateId: string; customerId: CustomerId; locale?: string; sender?: SenderIdentity },
): Promise<TemplatePreview> {
  const definition = await deps.templates.get(input.templateId);
  if (definition === null) throw new DomainError('NOT_FOUND', `no template ${input.templateId}`, { field: 'template' });
  const customer = await deps.customers.getCustomer(input.customerId);
  if (customer === null) throw new DomainError('UNKNOWN_CUSTOMER', `no customer with id ${input.customerId}`, { field: 'customer' });
  const compiled = await compileTemplate(definition as TemplateDefinition);
  const rendered = previewCompiled(compiled, { name: customer.name, locale: customer.locale }, { ...(input.locale === undefined ? {} : { locale: input.locale }), ...(input.sender === undefined ? {} : { sender: input.sender }) });
  return { ...rendered, purposes: [...compiled.purposes] };
}
