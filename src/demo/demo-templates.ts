/**
 * The message templates a new store starts with (`lupa demo`, and `lupa serve` on its first start),
 * so the README's first campaign can be sent as written. The same definitions are in
 * docs/examples/*.json, for `lupa template add` (a test keeps them equal).
 */
import type { TemplateDefinition } from '../templates/index.ts';

/**
 * A greeting in Liquid: a person by first name, a business by its whole name (never "Hei Rannikon!",
 * the first word of "Rannikon Kuljetus Oy"): the text for a person, and the text for a business.
 */
function greeting(person: string, business: string): string {
  return `{% if customer.kind == 'business' %}${business}{% else %}${person}{% endif %}`;
}

/** A marketing newsletter: personal greeting (a business by its name), the marketed product, one offer link, the opt-out footer added by Lupa. */
export const AUTUMN_OFFER: TemplateDefinition = {
  id: 'autumn',
  kind: 'marketing',
  defaultLocale: 'fi',
  locales: {
    fi: {
      subject: `Syystarjous${greeting(', {{ customer.firstName }}', ' yrityksellenne')}`,
      mjml: `<mjml><mj-body><mj-section><mj-column><mj-text>${greeting('Hei {{ customer.firstName }}!', 'Hei, {{ customer.name }}!')}</mj-text><mj-text>{% if product %}Nyt {{ product.name }} syystarjouksena.{% else %}Syksyn tarjoukset ovat täällä.{% endif %}</mj-text><mj-button css-class="promo" href="https://kauppa.example/syystarjous">Katso tarjous</mj-button></mj-column></mj-section></mj-body></mjml>`,
    },
    sv: {
      subject: `Höstens erbjudande${greeting(', {{ customer.firstName }}', ' till ert företag')}`,
      mjml: `<mjml><mj-body><mj-section><mj-column><mj-text>${greeting('Hej {{ customer.firstName }}!', 'Hej, {{ customer.name }}!')}</mj-text><mj-text>{% if product %}Nu {{ product.name }} som höstens erbjudande.{% else %}Höstens erbjudanden är här.{% endif %}</mj-text><mj-button css-class="promo" href="https://kauppa.example/syystarjous">Se erbjudandet</mj-button></mj-column></mj-section></mj-body></mjml>`,
    },
    en: {
      subject: `Autumn offer${greeting(', {{ customer.firstName }}', ' for your company')}`,
      mjml: `<mjml><mj-body><mj-section><mj-column><mj-text>${greeting('Hello {{ customer.firstName }}!', 'Hello, {{ customer.name }}!')}</mj-text><mj-text>{% if product %}{{ product.name }} now on autumn offer.{% else %}The autumn offers are here.{% endif %}</mj-text><mj-button css-class="promo" href="https://kauppa.example/syystarjous">See the offer</mj-button></mj-column></mj-section></mj-body></mjml>`,
    },
  },
};

/** A service notice: about the customer's own subscription, no marketing, goes to everyone on the contract basis. */
export const DELIVERY_DISRUPTION: TemplateDefinition = {
  id: 'disruption',
  kind: 'service',
  defaultLocale: 'fi',
  locales: {
    fi: {
      subject: 'Jakeluhäiriö alueellasi',
      mjml: `<mjml><mj-body><mj-section><mj-column><mj-text>${greeting('Hei {{ customer.firstName }}, lehtesi', 'Hei, {{ customer.name }}: lehtenne')} jakelu myöhästyy tänään. Pahoittelemme.</mj-text></mj-column></mj-section></mj-body></mjml>`,
    },
    sv: {
      subject: 'Utdelningsstörning i ditt område',
      mjml: `<mjml><mj-body><mj-section><mj-column><mj-text>${greeting('Hej {{ customer.firstName }}, utdelningen av din', 'Hej, {{ customer.name }}: utdelningen av er')} tidning är försenad i dag. Vi beklagar.</mj-text></mj-column></mj-section></mj-body></mjml>`,
    },
    en: {
      subject: 'Delivery disruption in your area',
      mjml: `<mjml><mj-body><mj-section><mj-column><mj-text>${greeting('Hello {{ customer.firstName }}, your', 'Hello, {{ customer.name }}: your')} newspaper is late today. We apologise.</mj-text></mj-column></mj-section></mj-body></mjml>`,
    },
  },
};

export const DEMO_TEMPLATES: readonly TemplateDefinition[] = [AUTUMN_OFFER, DELIVERY_DISRUPTION];

/** Stores the demo templates that the store does not have yet (a template of the same id is left as it is). */
export async function saveDemoTemplates(templates: { get(id: string): Promise<unknown>; save(id: string, definition: unknown, at: string): Promise<void> }, at: string): Promise<string[]> {
  const saved: string[] = [];
  for (const t of DEMO_TEMPLATES) {
    if ((await templates.get(t.id)) !== null) continue;
    await templates.save(t.id, t, at);
    saved.push(t.id);
  }
  return saved;
}
