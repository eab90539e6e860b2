/**
 * render: one recipient, one message. This is the hot path of a campaign send, so it only renders
 * the Liquid trees compileTemplate prepared; nothing is parsed, laid out or looked up here.
 */
import { LiquidError, type Liquid, type Template } from 'liquidjs';
import { compileTemplate } from './compile-template.ts';
import { htmlEngine, textEngine } from './liquid-engine.ts';
import { collapseBlankLines } from './plain-text.ts';
import {
  invalid,
  normaliseLocale,
  type CompiledTemplate,
  type OfferFill,
  type RenderedMessage,
  type RenderInput,
  type TemplateDefinition,
  type TemplateLocale,
} from './template-definition.ts';

/**
 * Which of the template's languages a recipient gets: the one asked for, else the customer's own,
 * else the template's default, else the first the template has (fi, sv, en order).
 */
export function resolveLocale(
  compiled: Pick<CompiledTemplate, 'locales' | 'defaultLocale'>,
  requested: string | null | undefined,
  customerLocale: string | null | undefined,
): TemplateLocale {
  for (const candidate of [normaliseLocale(requested), normaliseLocale(customerLocale), compiled.defaultLocale]) {
    if (candidate !== null && compiled.locales.includes(candidate)) return candidate;
  }
  const any = compiled.locales[0];
  if (any === undefined) throw invalid(`template ${JSON.stringify((compiled as CompiledTemplate).id)} has no locales`, 'locales');
  return any;
}

export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? '';
}

const NO_OFFER: Record<keyof OfferFill, null> = { code: null, name: null, price: null, period: null, explanation: null, reason: null };

export function render(compiled: CompiledTemplate, input: RenderInput): RenderedMessage {
  return renderWith(compiled, input, true);
}

/** `strict` false (previews only): a value the template uses but the input lacks prints as empty. */
function renderWith(compiled: CompiledTemplate, input: RenderInput, strict: boolean): RenderedMessage {
  const locale = resolveLocale(compiled, input.locale, input.customer.locale);
  const part = compiled.parts.get(locale);
  if (part === undefined) throw invalid(`template ${compiled.id} lacks locale ${locale}`, 'locale');

  const links: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.links)) if (typeof v === 'string' && v !== '') links[k] = v;
  // Rule 3: a marketing message without a working opt-out must not exist, so it cannot be rendered.
  if (compiled.kind === 'marketing' && (links['unsubscribe'] === undefined || links['unsubscribe'].trim() === '')) {
    throw invalid(`marketing template ${compiled.id} needs links.unsubscribe: every marketing message carries an opt-out`, 'links.unsubscribe');
  }

  const scope: Record<string, unknown> = {
    customer: { name: input.customer.name, firstName: firstName(input.customer.name), locale: input.customer.locale, kind: input.customer.kind ?? 'person' },
    links,
    vars: input.vars ?? {},
    // Always present, so that the footer's `{% if sender.name %}` never meets an undefined variable;
    // null, not '', for none: an empty string is true in Liquid.
    sender: { name: input.sender?.name || null, postalAddress: input.sender?.postalAddress || null },
  };
  // Left out when absent, so that a template that needs a product fails loudly instead of
  // printing an empty name.
  if (input.product !== undefined) scope['product'] = { name: input.product.name };
  // Always present, its fields null without an offer: `{% if offer.name %}` is false and prints nothing.
  // Never in a service message, whatever the caller passes: an offer is promotion, and a service
  // message carries none (rule 1). compileTemplate refuses a service template that prints one; this
  // holds even for a compiled template that did not come from it.
  scope['offer'] = compiled.kind === 'service' ? NO_OFFER : (input.offer ?? NO_OFFER);

  // A header must stay one line whatever a name or campaign value contains.
  const subject = renderPart(textEngine, part.subject, scope, compiled.id, strict).replace(/[\r\n]+/g, ' ').trim();
  return {
    subject,
    // The HTML's title is the subject (message-html.ts).
    html: renderPart(htmlEngine, part.html, { ...scope, message: { subject } }, compiled.id, strict),
    text: tidyText(renderPart(textEngine, part.text, scope, compiled.id, strict), part.textDerived),
    locale,
  };
}

/** A false `{% if %}` leaves an empty line or a stray space where its block was. */
function tidyText(text: string, derived: boolean): string {
  return collapseBlankLines(derived ? text.replace(/^[ \t]+|[ \t]+$/gm, '') : text);
}

function renderPart(engine: Liquid, tpl: Template[], scope: object, id: string, strict: boolean): string {
  try {
    return String(strict ? engine.renderSync(tpl, scope) : engine.renderSync(tpl, scope, { strictVariables: false }));
  } catch (err) {
    if (err instanceof LiquidError) {
      const missing = /undefined variable: ([^,\s]+)/.exec(err.message)?.[1];
      if (missing !== undefined) {
        throw invalid(`template ${id} uses ${missing}, which this render did not supply`, missing, { variable: missing });
      }
      throw invalid(`template ${id} failed to render: ${err.message.split('\n')[0] ?? ''}`, 'template');
    }
    throw err;
  }
}

/** Links a preview uses when the caller gives none, so a marketing preview still renders. */
export const PREVIEW_LINKS = { unsubscribe: '#unsubscribe', preferences: '#preferences' } as const;

/**
 * Compile and render for one customer: for previews in an editor, never inside a send loop.
 * Lenient where render() is strict, so a half-filled preview form still shows the layout: missing
 * values print as empty and the opt-out links default to PREVIEW_LINKS.
 */
export async function previewTemplate(
  def: TemplateDefinition,
  customer: RenderInput['customer'],
  opts: Omit<RenderInput, 'customer' | 'links'> & { links?: RenderInput['links'] } = {},
): Promise<RenderedMessage> {
  return previewCompiled(await compileTemplate(def), customer, opts);
}

/** `previewTemplate` of a template compiled already. */
export function previewCompiled(
  compiled: CompiledTemplate,
  customer: RenderInput['customer'],
  opts: Omit<RenderInput, 'customer' | 'links'> & { links?: RenderInput['links'] } = {},
): RenderedMessage {
  return renderWith(compiled, { ...opts, customer, links: { ...PREVIEW_LINKS, ...opts.links } }, false);
}
