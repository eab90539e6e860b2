/**
 * The service message that carries a fresh link to the preference page, sent when a person asks
 * for one on an expired link's page (src/use-cases/preference-links.ts). A built-in template in
 * Finnish, Swedish and English, compiled once on first use and rendered like any other. It greets
 * no one by name: it is sent on the strength of a link that may have been forwarded.
 */
import { compileTemplate } from './compile-template.ts';
import { render } from './render-template.ts';
import type { CompiledTemplate, RenderedMessage, TemplateDefinition } from './template-definition.ts';

const mjml = (paragraphs: string[], button: string, after: string[]): string =>
  `<mjml><mj-body><mj-section><mj-column>${paragraphs.map((p) => `<mj-text>${p}</mj-text>`).join('')}` +
  `<mj-button href="{{ links.preferences }}">${button}</mj-button>${after.map((p) => `<mj-text>${p}</mj-text>`).join('')}</mj-column></mj-section></mj-body></mjml>`;

const text = (paragraphs: string[], after: string[]): string => [...paragraphs, '{{ links.preferences }}', ...after].join('\n\n');

const CONTENT = {
  fi: {
    subject: 'Uusi linkki markkinointiasetuksiisi',
    lead: ['Hei,', 'pyysit uuden linkin markkinointiasetuksiisi. Pääset muuttamaan valintojasi tästä:'],
    button: 'Avaa markkinointiasetukset',
    after: ['Linkki on voimassa {{ vars.days }} päivää. Jos et pyytänyt linkkiä, voit jättää tämän viestin huomiotta: asetuksiisi ei ole tehty muutoksia.'],
  },
  sv: {
    subject: 'Ny länk till dina marknadsföringsinställningar',
    lead: ['Hej,', 'du bad om en ny länk till dina marknadsföringsinställningar. Här kan du ändra dina val:'],
    button: 'Öppna marknadsföringsinställningarna',
    after: ['Länken gäller i {{ vars.days }} dagar. Om du inte bad om länken kan du bortse från det här meddelandet: inget har ändrats i dina inställningar.'],
  },
  en: {
    subject: 'A new link to your marketing preferences',
    lead: ['Hello,', 'you asked for a new link to your marketing preferences. You can change your choices here:'],
    button: 'Open your marketing preferences',
    after: ['The link works for {{ vars.days }} days. If you did not ask for it, you can ignore this message: nothing in your preferences has changed.'],
  },
} as const;

export const FRESH_LINK_NOTICE: TemplateDefinition = {
  id: 'lupa-fresh-preference-link',
  kind: 'service',
  defaultLocale: 'fi',
  locales: Object.fromEntries(
    Object.entries(CONTENT).map(([locale, c]) => [locale, { subject: c.subject, mjml: mjml([...c.lead], c.button, [...c.after]), text: text([...c.lead], [...c.after]) }]),
  ),
};

let compiled: Promise<CompiledTemplate> | null = null;

/** The message for one fresh link: `url` the new link, `days` how long it works, `locale` fi/sv/en (others: Finnish). */
export async function freshLinkNotice(input: { url: string; days: number; locale: string }): Promise<RenderedMessage> {
  compiled ??= compileTemplate(FRESH_LINK_NOTICE);
  return render(await compiled, { customer: { name: '', locale: input.locale }, links: { preferences: input.url }, vars: { days: input.days }, locale: input.locale });
}
