/**
 * The shapes of a message template: what authors write (`TemplateDefinition`), what a campaign
 * passes per recipient (`RenderInput`) and what comes out (`RenderedMessage`). Format for users:
 * docs/templates.md.
 */
import type { Template } from 'liquidjs';
import { DomainError } from '../core/errors.ts';
import { english, phrase, type Phrase } from '../core/phrases.ts';
import type { MessageContent } from '../core/message-purposes.ts';
import type { CustomerKind, Purpose } from '../core/vocabulary.ts';

/** Languages Lupa writes messages in. Order matters: it is the last-resort fallback order. */
export const TEMPLATE_LOCALES = ['fi', 'sv', 'en'] as const;
export type TemplateLocale = (typeof TEMPLATE_LOCALES)[number];

/** `service` messages go out on the contract basis and may carry no marketing (compliance.md §2 rule 1). */
export type TemplateKind = 'service' | 'marketing';

export interface LocaleContent {
  /** Liquid; rendered without HTML escaping (it becomes a header). */
  subject: string;
  /** MJML with Liquid personalisation. */
  mjml: string;
  /** Hand-written plain-text part (Liquid). When absent it is derived from the HTML. */
  text?: string;
}

/** A partner's ad in one language: plain HTML (no MJML, no Liquid), shown as given, and its text part. */
export interface PartnerAd {
  html: string;
  text: string;
}

/**
 * A partner's ad, in the reader's language: `locales` gives it per language; `html` and `text`,
 * when given, are the ad in the template's default language. Each of the template's languages
 * needs one of them.
 */
export interface PartnerBlock {
  partnerName: string;
  html?: string;
  text?: string;
  locales?: Partial<Record<TemplateLocale, PartnerAd>>;
}

/** The partner's ad a reader of `locale` gets, or undefined when the block has none in that language. */
export function partnerAdIn(pb: PartnerBlock, locale: TemplateLocale, defaultLocale: TemplateLocale): PartnerAd | undefined {
  const own = pb.locales?.[locale];
  if (own !== undefined) return own;
  return locale === defaultLocale && pb.html !== undefined && pb.text !== undefined ? { html: pb.html, text: pb.text } : undefined;
}

export interface TemplateDefinition {
  id: string;
  kind: TemplateKind;
  locales: Partial<Record<TemplateLocale, LocaleContent>>;
  defaultLocale: TemplateLocale;
  partnerBlock?: PartnerBlock;
}

export interface RenderInput {
  /** `kind` (default `person`) lets a template greet a business by its name rather than by a "first name" (`{% if customer.kind == 'business' %}`). */
  customer: { name: string; locale: string | null; kind?: CustomerKind };
  product?: { name: string };
  links: { unsubscribe?: string; preferences?: string; [k: string]: string | undefined };
  vars?: Record<string, string | number | boolean>;
  /** The locale the caller asks for; falls back per docs/templates.md when the template lacks it. */
  locale?: string;
  /** Who sends, named in the marketing footer: LUPA_SENDER_NAME and LUPA_SENDER_POSTAL_ADDRESS. Absent: the footer names no one. */
  sender?: SenderIdentity;
  /** The recipient's best offer for e-mail (docs/templates.md, "The recipient's best offer"); absent or null: none, every field null. */
  offer?: OfferFill | null;
}

/** What `offer.*` prints: the offer's texts in the message's language; `reason` only where the recipient may be profiled. */
export interface OfferFill {
  code: string;
  name: string;
  price: string;
  period: string;
  explanation: string;
  reason: string | null;
}

/** The sender a marketing footer names (marketing-footer.ts). */
export interface SenderIdentity {
  name: string;
  /** One line: street, postcode and town. */
  postalAddress: string | null;
}

export interface RenderedMessage {
  subject: string;
  html: string;
  text: string;
  locale: TemplateLocale;
}

/** One locale, parsed once: per recipient only these Liquid trees are rendered. */
export interface CompiledLocale {
  readonly subject: Template[];
  readonly html: Template[];
  readonly text: Template[];
  /**
   * The text part was derived from HTML: after rendering, blank lines left by Liquid tags are
   * collapsed and lines trimmed. A hand-written text keeps its lines as written.
   */
  readonly textDerived: boolean;
}

export interface CompiledTemplate {
  readonly id: string;
  readonly kind: TemplateKind;
  readonly defaultLocale: TemplateLocale;
  /** The template's locales in fallback order (fi, sv, en). */
  readonly locales: readonly TemplateLocale[];
  /** What the message carries, as the rules see it: promotion, a partner's ad, a personalised block. */
  readonly content: MessageContent;
  /**
   * What a send of this template on its own must be allowed for (src/core/message-purposes.ts):
   * `service`, or `marketing`, plus `partner_marketing` when a partner's ad is attached (rule 6)
   * and `profiling` when a block is personalised (rule 7). A campaign derives its own from `content`.
   */
  readonly purposes: readonly Purpose[];
  readonly parts: ReadonlyMap<TemplateLocale, CompiledLocale>;
}

export function invalid(message: string, field: string, details?: Record<string, unknown>): DomainError {
  return new DomainError('TEMPLATE_INVALID', message, details === undefined ? { field } : { field, details });
}

/** TEMPLATE_INVALID said as a phrase: the English as the message, the phrase as `details.says` for the console to say in its reader's language. */
export function invalidSaid(says: Phrase, field: string, details: Record<string, unknown> = {}): DomainError {
  return invalid(english(says), field, { ...details, says });
}

export function isTemplateLocale(value: unknown): value is TemplateLocale {
  return typeof value === 'string' && (TEMPLATE_LOCALES as readonly string[]).includes(value);
}

/**
 * `fi-FI`, `sv_FI`, `EN` → `fi`, `sv`, `en`; anything else → null. Customer records and
 * Accept-Language style values both reach render(), so the region part is ignored.
 */
export function normaliseLocale(value: string | null | undefined): TemplateLocale | null {
  if (typeof value !== 'string') return null;
  const lang = value.trim().toLowerCase().split(/[-_]/)[0];
  return isTemplateLocale(lang) ? lang : null;
}

/**
 * Shape checks before any parsing, so that a definition read from JSON (an API body, a file)
 * fails with a field name rather than a TypeError deep inside MJML.
 */
/** `draft`: a definition being written, previewed before it is complete: a subject may still be empty (it is needed to save). */
export function validateDefinitionShape(def: TemplateDefinition, opts: { draft?: boolean } = {}): TemplateLocale[] {
  if (typeof def.id !== 'string' || def.id.trim() === '') throw invalid('template id must be a non-empty string', 'id');
  if (def.kind !== 'service' && def.kind !== 'marketing') {
    throw invalid(`template kind must be "service" or "marketing", got ${JSON.stringify(def.kind)}`, 'kind');
  }
  if (typeof def.locales !== 'object' || def.locales === null) throw invalid('template needs locales', 'locales');
  for (const key of Object.keys(def.locales)) {
    if (!isTemplateLocale(key)) throw invalid(`unsupported locale "${key}" (use fi, sv or en)`, `locales.${key}`);
  }
  const present = TEMPLATE_LOCALES.filter((l) => def.locales[l] !== undefined);
  if (present.length === 0) throw invalidSaid(phrase('template_needs_locale'), 'locales');
  for (const l of present) {
    const content = def.locales[l];
    if (typeof content?.subject !== 'string' || (content.subject.trim() === '' && opts.draft !== true)) {
      throw invalidSaid(phrase('template_needs_subject', { locale: l }), `locales.${l}.subject`);
    }
    if (typeof content.mjml !== 'string' || content.mjml.trim() === '') {
      throw invalidSaid(phrase('template_needs_body', { locale: l }), `locales.${l}.mjml`);
    }
    if (content.text !== undefined && typeof content.text !== 'string') {
      throw invalid(`locale ${l} text must be a string`, `locales.${l}.text`);
    }
  }
  if (!present.includes(def.defaultLocale)) {
    throw invalid(`default locale "${String(def.defaultLocale)}" is not one of the template's locales`, 'defaultLocale');
  }
  if (def.partnerBlock !== undefined) validatePartnerBlockShape(def.partnerBlock, present, def.defaultLocale);
  return present;
}

/** A partner block names the partner and has the ad in every language of the template. */
function validatePartnerBlockShape(pb: PartnerBlock, present: readonly TemplateLocale[], defaultLocale: TemplateLocale): void {
  if (typeof pb !== 'object' || pb === null || typeof pb.partnerName !== 'string' || pb.partnerName.trim() === '') {
    throw invalid('partner block needs partnerName', 'partnerBlock');
  }
  const pairs: [string, unknown][] = [['partnerBlock', pb], ...Object.entries(pb.locales ?? {}).map(([l, ad]): [string, unknown] => [`partnerBlock.locales.${l}`, ad])];
  for (const [field, ad] of pairs) {
    const { html, text } = (ad ?? {}) as { html?: unknown; text?: unknown };
    if ((html !== undefined || text !== undefined || field !== 'partnerBlock') && (typeof html !== 'string' || typeof text !== 'string')) {
      throw invalid(`${field} needs both html and text`, field);
    }
  }
  for (const key of Object.keys(pb.locales ?? {})) {
    if (!isTemplateLocale(key)) throw invalid(`unsupported locale "${key}" (use fi, sv or en)`, `partnerBlock.locales.${key}`);
  }
  for (const l of present) {
    if (partnerAdIn(pb, l, defaultLocale) === undefined) {
      throw invalidSaid(phrase('template_partner_ad_missing', { locale: l }), `partnerBlock.locales.${l}`);
    }
  }
}
