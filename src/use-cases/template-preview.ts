/** Preview a template as a chosen customer would get it (their name and language). */
import type { TemplateStore } from '../core/campaign.ts';
import { DomainError } from '../core/errors.ts';
import type { CustomerStore } from '../core/ports.ts';
import type { CustomerId } from '../core/records.ts';
import type { Channel, Purpose } from '../core/vocabulary.ts';
import { compileTemplate, previewCompiled, type CompiledTemplate, type RenderedMessage, type SenderIdentity, type TemplateDefinition } from '../templates/index.ts';
import { smsEstimate, type SmsEstimate } from './sms-size.ts';

/** A preview, and what a message of this template must be allowed for (message-purposes.ts). */
export interface TemplatePreview extends RenderedMessage {
  /** The template's purposes on its own, the primary first; a campaign's own purpose can add to them. */
  purposes: Purpose[];
  /** With `channel: 'sms'`: the SMS text, its encoding and segments, and a warning when other names make it longer. */
  sms?: SmsEstimate;
}

export async function previewForCustomer(
  deps: { templates: TemplateStore; customers: CustomerStore },
  input: { templateId: string; customerId: CustomerId; locale?: string; sender?: SenderIdentity; channel?: Channel },
): Promise<TemplatePreview> {
  const definition = await deps.templates.get(input.templateId);
  if (definition === null) throw new DomainError('NOT_FOUND', `no template ${input.templateId}`, { field: 'template' });
  return previewCompiledFor(deps, await compileTemplate(definition as TemplateDefinition), input);
}

/** Who a preview is for: a customer's name, language and kind (person or business). */
export type PreviewRecipient = Parameters<typeof previewCompiled>[1];

/** A compiled template rendered for the customer `customerId` (their name and language unless `locale`). UNKNOWN_CUSTOMER. */
export async function previewCompiledFor(
  deps: { customers: CustomerStore },
  compiled: CompiledTemplate,
  input: { customerId: CustomerId; locale?: string; sender?: SenderIdentity; channel?: Channel },
): Promise<TemplatePreview> {
  const customer = await deps.customers.getCustomer(input.customerId);
  if (customer === null) throw new DomainError('UNKNOWN_CUSTOMER', `no customer with id ${input.customerId}`, { field: 'customer' });
  return previewRendered(compiled, { name: customer.name, locale: customer.locale, kind: customer.kind }, input);
}

/** A compiled template rendered for `recipient`, with the SMS estimate when `channel` is sms. */
export function previewRendered(compiled: CompiledTemplate, recipient: PreviewRecipient, input: { locale?: string; sender?: SenderIdentity; channel?: Channel }): TemplatePreview {
  const options = { ...(input.locale === undefined ? {} : { locale: input.locale }), ...(input.sender === undefined ? {} : { sender: input.sender }) };
  const rendered = previewCompiled(compiled, recipient, options);
  const sms = input.channel === 'sms' ? { sms: smsEstimate(compiled, input.sender === undefined ? {} : { sender: input.sender }, recipient, options) } : {};
  return { ...rendered, purposes: [...compiled.purposes], ...sms };
}
