/**
 * Use cases: save a template written in the console or sent over the API, and preview a definition
 * that is not saved yet. A definition is saved only when it compiles (the same checks as `lupa
 * template add`: the service/marketing rules of compliance.md rule 1, MJML and Liquid, known
 * variables), so a campaign can never be launched on a template that would fail at send time.
 */
import type { CampaignStore, TemplateStore } from '../core/campaign.ts';
import { DomainError } from '../core/errors.ts';
import type { CustomerStore } from '../core/ports.ts';
import type { CustomerId, Instant } from '../core/records.ts';
import type { Channel } from '../core/vocabulary.ts';
import { compileTemplate, type SenderIdentity, type TemplateDefinition } from '../templates/index.ts';
import { previewCompiledFor, previewRendered, type TemplatePreview } from './template-preview.ts';

export interface SavedTemplate {
  id: string;
  kind: string;
  locales: string[];
  /** What a message of this template must be allowed for, the primary purpose first. */
  purposes: string[];
}

/**
 * Compiles `definition` and stores it under `id` (a new template, or a new version of one).
 * Errors: VALIDATION_FAILED (`id`) when the body names another id; TEMPLATE_INVALID with the
 * field (`locales.fi.mjml`) and, where the parser tells it, `details.line`; TEMPLATE_IN_USE when a
 * running or paused campaign sends this template (its later batches would send the changed text
 * to the rest of an audience that got the old one).
 */
export async function saveTemplate(
  deps: { templates: TemplateStore; campaigns: CampaignStore; now: () => Instant },
  input: { id: string; definition: TemplateDefinition },
): Promise<SavedTemplate> {
  if (input.definition.id !== input.id) throw new DomainError('VALIDATION_FAILED', `the definition's id must be ${input.id}`, { field: 'id' });
  const compiled = await compileTemplate(input.definition);
  const sending = await deps.campaigns.sendingWithTemplate(input.id);
  if (sending.length > 0) {
    throw new DomainError(
      'TEMPLATE_IN_USE',
      `campaign ${sending.map((c) => `${c.id} (${c.name})`).join(', ')} is sending this template: save the change under a new id`,
      { field: 'id', details: { campaigns: sending.map((c) => c.id) } },
    );
  }
  await deps.templates.save(input.id, input.definition, deps.now());
  return { id: compiled.id, kind: compiled.kind, locales: [...compiled.locales], purposes: [...compiled.purposes] };
}

/** Whose name fills a preview when no customer is chosen: nobody's data is read. */
export const SAMPLE_CUSTOMER = { name: 'Aino Esimerkki', locale: null };

/**
 * A definition not saved (yet) as `customerId` would get it, or filled with SAMPLE_CUSTOMER when
 * none is given (so an editor previews without reading anyone's data), an empty subject allowed
 * (the body shows while the subject is written; saving needs one); UNKNOWN_CUSTOMER,
 * TEMPLATE_INVALID as `saveTemplate`.
 */
export async function previewDefinition(
  deps: { customers: CustomerStore },
  input: { definition: TemplateDefinition; customerId?: CustomerId; locale?: string; sender?: SenderIdentity; channel?: Channel },
): Promise<TemplatePreview> {
  // A draft: the body is previewed while the subject is still being written.
  const compiled = await compileTemplate(input.definition, { draft: true });
  if (input.customerId !== undefined) return previewCompiledFor(deps, compiled, { ...input, customerId: input.customerId });
  return previewRendered(compiled, SAMPLE_CUSTOMER, input);
}
