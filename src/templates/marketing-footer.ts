/**
 * The opt-out footer every marketing message carries, in the message's own language.
 *
 * Why automatic: a free, easy opt-out in every marketing message is the law for e-mail marketing
 * (ePrivacy Art. 13, Finland 917/2014 §200; compliance.md §2 rule 3 and §3), and the right to
 * object to direct marketing must be brought to the person's attention (GDPR Art. 21(2)–(4)).
 * Leaving it to each template author means one day a campaign goes out without it.
 *
 * It also names the sender and its postal address (render input `sender`, from LUPA_SENDER_NAME and
 * LUPA_SENDER_POSTAL_ADDRESS): a commercial communication must identify the person on whose behalf it is
 * made (e-Commerce Directive 2000/31/EC Art. 6(b); Finnish Information Society Code 917/2014 §201;
 * Consumer Protection Act 2:4) and the service provider's geographic address (2000/31/EC Art. 5(1)(b)).
 */
import type { TemplateLocale } from './template-definition.ts';

export interface FooterTexts {
  /** Sentence before the unsubscribe link. */
  lead: string;
  unsubscribe: string;
  /** Shown only when the render has `links.preferences`. */
  preferences: string;
  objection: string;
  /** Before the sender's name and postal address. */
  sender: string;
}

export const FOOTER_TEXTS: Readonly<Record<TemplateLocale, FooterTexts>> = {
  fi: {
    lead: 'Etkö halua enää markkinointiviestejämme? Peruminen on maksutonta ja tulee voimaan heti.',
    unsubscribe: 'Peru markkinointiviestit',
    preferences: 'Muuta viestiasetuksiasi',
    objection:
      'Sinulla on oikeus milloin tahansa vastustaa henkilötietojesi käsittelyä suoramarkkinointia varten (EU:n yleinen tietosuoja-asetus, 21 artikla).',
    sender: 'Lähettäjä',
  },
  sv: {
    lead: 'Vill du inte längre få marknadsföring från oss? Avregistreringen är kostnadsfri och gäller direkt.',
    unsubscribe: 'Avsluta marknadsföringsutskicken',
    preferences: 'Ändra dina utskicksinställningar',
    objection:
      'Du har rätt att när som helst invända mot att dina personuppgifter behandlas för direktmarknadsföring (EU:s allmänna dataskyddsförordning, artikel 21).',
    sender: 'Avsändare',
  },
  en: {
    lead: "Don't want our marketing messages any more? Unsubscribing is free and takes effect immediately.",
    unsubscribe: 'Unsubscribe from marketing messages',
    preferences: 'Change your message preferences',
    objection:
      'You have the right to object at any time to the processing of your personal data for direct marketing (EU General Data Protection Regulation, Article 21).',
    sender: 'Sender',
  },
};

/** The footer as an MJML section, appended to the body before compiling. */
export function footerMjml(locale: TemplateLocale): string {
  const t = FOOTER_TEXTS[locale];
  const link = 'style="color:#555555;text-decoration:underline;"';
  return [
    // On white whatever the author's body colour: #555555 on white is 7.5:1 (WCAG AA wants 4.5:1).
    '<mj-section css-class="lupa-optout" padding="16px 0 8px 0" background-color="#ffffff">',
    '<mj-column>',
    '<mj-divider border-width="1px" border-color="#dddddd" padding="0 25px 12px 25px" />',
    '<mj-text font-size="12px" line-height="1.5" color="#555555">',
    `<p style="margin:0 0 8px 0;">${escapeHtml(t.lead)} <a href="{{ links.unsubscribe }}" ${link}>${escapeHtml(t.unsubscribe)}</a>`,
    `{% if links.preferences %} · <a href="{{ links.preferences }}" ${link}>${escapeHtml(t.preferences)}</a>{% endif %}</p>`,
    `<p style="margin:0;">${escapeHtml(t.objection)}</p>`,
    `{% if sender.name %}<p style="margin:8px 0 0 0;">${escapeHtml(t.sender)}: {{ sender.name }}{% if sender.postalAddress %}, {{ sender.postalAddress }}{% endif %}</p>{% endif %}`,
    '</mj-text>',
    '</mj-column>',
    '</mj-section>',
  ].join('\n');
}

/** The same footer for the text/plain part, where the URLs are written out. */
export function footerText(locale: TemplateLocale): string {
  const t = FOOTER_TEXTS[locale];
  return [
    '--',
    t.lead,
    `${t.unsubscribe}: {{ links.unsubscribe }}`,
    `{% if links.preferences %}${t.preferences}: {{ links.preferences }}\n{% endif %}${t.objection}` +
      `{% if sender.name %}\n${t.sender}: {{ sender.name }}{% if sender.postalAddress %}, {{ sender.postalAddress }}{% endif %}{% endif %}`,
  ].join('\n');
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
