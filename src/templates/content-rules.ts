/**
 * What a template may contain, by kind: service templates carry no promotion at all, and a
 * partner's ad carries nothing personal. Both are checked on the author's source, before MJML,
 * so the error names the rule rather than an MJML symptom.
 */
import type { MessageContent } from '../core/message-purposes.ts';
import type { Template } from 'liquidjs';
import { offerReads } from './liquid-engine.ts';
import { escapeHtml } from './marketing-footer.ts';
import { phrase, type PhraseCode } from '../core/phrases.ts';
import { invalidSaid, type PartnerAd, type PartnerBlock, type TemplateDefinition, type TemplateLocale } from './template-definition.ts';

/**
 * Markers authors put on blocks (docs/templates.md): a class (`promo`, `personalised`) on any
 * element, given as MJML's `css-class` / `mj-class` or HTML's `class` (e.g. inside mj-raw or
 * mj-text), or a `data-promo` / `data-personalised` attribute on any HTML element. The class must
 * be a whole class name.
 */
const CLASS_ATTR = /\b(?:css-class|mj-class|class)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;
const DATA_ATTR: Record<BlockMarker, RegExp> = {
  promo: /<[^>]*\sdata-promo(?:\s*=|\s|\/?>)/i,
  personalised: /<[^>]*\sdata-personali[sz]ed(?:\s*=|\s|\/?>)/i,
};

/** `promo`: an offer, upsell or ad. `personalised`: chosen per person from derived data (offers, segments, interests). */
export type BlockMarker = 'promo' | 'personalised';

export function containsMarker(mjml: string, marker: BlockMarker): boolean {
  if (DATA_ATTR[marker].test(mjml)) return true;
  const names = marker === 'personalised' ? ['personalised', 'personalized'] : [marker];
  for (const m of mjml.matchAll(CLASS_ATTR)) {
    const classes = (m[1] ?? m[2] ?? '').split(/\s+/);
    if (names.some((name) => classes.includes(name))) return true;
  }
  return false;
}

export function containsPromoMarker(mjml: string): boolean {
  return containsMarker(mjml, 'promo');
}

/**
 * What the template carries, as the rules see it (src/core/message-purposes.ts): a marketing
 * template is promotional as a whole; a partner block is a partner's ad; a block marked
 * `personalised` in any locale is chosen from derived data.
 */
export function messageContentOf(def: TemplateDefinition, locales: readonly TemplateLocale[]): MessageContent {
  const partnerAd = def.partnerBlock !== undefined;
  return {
    promotional: def.kind === 'marketing' || partnerAd || locales.some((l) => containsPromoMarker(def.locales[l]?.mjml ?? '')),
    partnerAd,
    personalised: locales.some((l) => containsMarker(def.locales[l]?.mjml ?? '', 'personalised')),
  };
}

/**
 * A service message may not be refused [S4] precisely because it contains no marketing; one with
 * an ad attached is marketing (Finnish consumer-authority practice, compliance.md §2 rule 1).
 */
export function checkServiceContent(def: TemplateDefinition, locales: readonly TemplateLocale[]): void {
  if (def.kind !== 'service') return;
  if (def.partnerBlock !== undefined) {
    throw invalidSaid(phrase('template_service_partner'), 'kind');
  }
  for (const l of locales) {
    if (containsPromoMarker(def.locales[l]?.mjml ?? '')) {
      throw invalidSaid(phrase('template_service_promo', { locale: l }), 'kind', { locale: l });
    }
  }
}

/**
 * The recipient's offer is promotion by nature (docs/templates.md#the-recipients-best-offer), so a
 * service template may not print it in any way the parse tree shows (liquid-engine.ts `offerReads`);
 * refused with the field and the line of the first read, so the editor can point at it.
 */
export function checkServiceOffer(kind: TemplateDefinition['kind'], tree: Template[], field: string): void {
  if (kind !== 'service') return;
  const read = offerReads(tree)[0];
  if (read === undefined) return;
  throw invalidSaid(phrase('template_service_offer', { variable: read.variable, field, line: read.line }), field, {
    variable: read.variable,
    line: read.line,
    column: read.column,
    kind: 'service',
  });
}

/** Liquid delimiters, or a reference to the customer's data or personal links. */
const PARTNER_FORBIDDEN: ReadonlyArray<[RegExp, PhraseCode]> = [
  [/\{\{|\{%|\}\}|%\}/, 'partner_liquid'],
  [/\b(?:customer|links)\s*\.\s*[A-Za-z_]/, 'partner_personal_variables'],
  [/<\/?mj-/i, 'partner_mjml'],
];

/**
 * Partners get no personal data [S11]: their block is static, identical for every recipient, so
 * nothing about the recipient can end up in a partner's URL or content.
 */
export function checkPartnerBlock(pb: PartnerBlock | undefined): void {
  if (pb === undefined) return;
  const parts: [string, string | undefined][] = [
    ['partnerName', pb.partnerName],
    ['html', pb.html],
    ['text', pb.text],
    ...Object.entries(pb.locales ?? {}).flatMap(([l, ad]): [string, string | undefined][] => [[`locales.${l}.html`, ad?.html], [`locales.${l}.text`, ad?.text]]),
  ];
  for (const [name, value] of parts) {
    if (value === undefined) continue;
    for (const [re, what] of PARTNER_FORBIDDEN) {
      if (re.test(value)) {
        throw invalidSaid(phrase('template_partner_personal', { part: name, what: { code: what, params: {} } }), 'partnerBlock', { part: name });
      }
    }
  }
}

/**
 * The ad is labelled as one, naming the advertiser (recognisable marketing, Consumer Protection Act
 * 2:4), in a grey that keeps WCAG AA contrast for small text on white (≥ 4.5:1; #595959 is 7.0:1,
 * tested in content-rules.test.ts).
 */
export const PARTNER_LABEL_COLOUR = '#595959';

const PARTNER_LABEL: Readonly<Record<TemplateLocale, (name: string) => string>> = {
  fi: (n) => `Yhteistyökumppanimme ${n} mainos`,
  sv: (n) => `Annons från vår samarbetspartner ${n}`,
  en: (n) => `Advertisement from our partner ${n}`,
};

/** The labelled ad for a reader of `locale` (validateDefinitionShape made sure there is one). */
export function partnerBlockMjml(pb: PartnerBlock, ad: PartnerAd, locale: TemplateLocale): string {
  return [
    // On white whatever the author's body colour, so that the label's contrast holds.
    '<mj-section css-class="lupa-partner" padding="12px 0" background-color="#ffffff">',
    '<mj-column>',
    `<mj-text font-size="12px" color="${PARTNER_LABEL_COLOUR}" padding-bottom="4px">${escapeHtml(PARTNER_LABEL[locale](pb.partnerName))}</mj-text>`,
    `<mj-text>${ad.html}</mj-text>`,
    '</mj-column>',
    '</mj-section>',
  ].join('\n');
}

export function partnerBlockText(pb: PartnerBlock, ad: PartnerAd, locale: TemplateLocale): string {
  return `${PARTNER_LABEL[locale](pb.partnerName)}\n${ad.text.trim()}`;
}
