/**
 * Realistic definitions shared by the tests and the throughput benchmark (scratch/), so both
 * exercise the same thing: a newsletter the size of what marketing actually sends.
 */
import type { LocaleContent, TemplateDefinition, TemplateLocale } from './template-definition.ts';

const WORDS: Record<TemplateLocale, { hello: string; lead: string; read: string; offer: string; subject: string }> = {
  fi: {
    hello: 'Hei',
    lead: 'Tässä viikon parhaat jutut sinulle.',
    read: 'Lue lisää',
    offer: 'Tilaajana saat',
    subject: 'Viikon parhaat, {{ customer.firstName }}',
  },
  sv: {
    hello: 'Hej',
    lead: 'Här är veckans bästa artiklar för dig.',
    read: 'Läs mer',
    offer: 'Som prenumerant får du',
    subject: 'Veckans bästa, {{ customer.firstName }}',
  },
  en: {
    hello: 'Hello',
    lead: "Here are this week's best stories for you.",
    read: 'Read more',
    offer: 'As a subscriber you get',
    subject: "This week's best, {{ customer.firstName }}",
  },
};

function article(n: number, read: string): string {
  return `
    <mj-section padding="8px 0">
      <mj-column width="35%">
        <mj-image src="https://static.example.fi/news/{{ vars.issue }}/${n}.jpg" alt="Artikkeli ${n}" href="{{ links.article${n} }}" />
      </mj-column>
      <mj-column width="65%">
        <mj-text font-size="18px" font-weight="bold">{{ vars.headline${n} }}</mj-text>
        <mj-text>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore
          et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris.</mj-text>
        <mj-button href="{{ links.article${n} }}" align="left">${read}</mj-button>
      </mj-column>
    </mj-section>`;
}

export function newsletterContent(locale: TemplateLocale): LocaleContent {
  const w = WORDS[locale];
  return {
    subject: w.subject,
    mjml: `<mjml>
  <mj-head>
    <mj-title>{{ vars.title }}</mj-title>
    <mj-preview>${w.lead}</mj-preview>
    <mj-attributes>
      <mj-all font-family="Georgia, serif" />
      <mj-text font-size="15px" line-height="1.5" color="#222222" />
    </mj-attributes>
    <mj-style>.headline a { color: #0b5394; }</mj-style>
  </mj-head>
  <mj-body background-color="#f4f4f4">
    <mj-section background-color="#ffffff">
      <mj-column>
        <mj-image width="180px" src="https://static.example.fi/logo.png" alt="Lehti" href="{{ links.home }}" />
        <mj-text font-size="22px">${w.hello} {{ customer.firstName }}!</mj-text>
        <mj-text>${w.lead}{% if product %} (${w.offer} {{ product.name }}){% endif %}</mj-text>
      </mj-column>
    </mj-section>
    ${[1, 2, 3, 4].map((n) => article(n, w.read)).join('\n')}
    <mj-raw>{% if vars.discount %}</mj-raw>
    <mj-section css-class="promo" background-color="#fff4d6">
      <mj-column>
        <mj-text align="center" font-size="20px">-{{ vars.discount }} %</mj-text>
        <mj-button href="{{ links.offer }}">${w.offer} -{{ vars.discount }} %</mj-button>
      </mj-column>
    </mj-section>
    <mj-raw>{% endif %}</mj-raw>
  </mj-body>
</mjml>`,
  };
}

export function newsletter(): TemplateDefinition {
  return {
    id: 'weekly-newsletter',
    kind: 'marketing',
    defaultLocale: 'fi',
    locales: { fi: newsletterContent('fi'), sv: newsletterContent('sv'), en: newsletterContent('en') },
  };
}

export const NEWSLETTER_VARS = {
  issue: '2025-14',
  title: 'Viikon parhaat',
  headline1: 'Kaupunki uudistaa raitiotiet',
  headline2: 'Kevään parhaat retkikohteet',
  headline3: 'Näin säästät sähkölaskussa',
  headline4: 'Ristikko: viikon ratkaisut',
  discount: 30,
} as const;

export function newsletterLinks(customerKey: string): Record<string, string> {
  const base = `https://l.example.fi/c/${customerKey}`;
  return {
    unsubscribe: `${base}/unsubscribe?sig=abc&v=1`,
    preferences: `${base}/preferences`,
    home: 'https://www.example.fi/',
    offer: `${base}/offer`,
    article1: `${base}/a/1`,
    article2: `${base}/a/2`,
    article3: `${base}/a/3`,
    article4: `${base}/a/4`,
  };
}

export function deliveryNotice(): TemplateDefinition {
  return {
    id: 'delivery-change',
    kind: 'service',
    defaultLocale: 'fi',
    locales: {
      fi: {
        subject: 'Lehtesi jakelu muuttuu',
        mjml: `<mjml><mj-body><mj-section><mj-column>
  <mj-text>Hei {{ customer.firstName }},</mj-text>
  <mj-text>{{ product.name }} jaetaan {{ vars.date }} alkaen aamuisin klo 6 mennessä.</mj-text>
  <mj-text>Lisätietoja: <a href="{{ links.info }}">asiakaspalvelu</a></mj-text>
</mj-column></mj-section></mj-body></mjml>`,
      },
      en: {
        subject: 'Your paper delivery is changing',
        mjml: `<mjml><mj-body><mj-section><mj-column>
  <mj-text>Hello {{ customer.firstName }},</mj-text>
  <mj-text>From {{ vars.date }}, {{ product.name }} is delivered by 6 a.m.</mj-text>
  <mj-text>More information: <a href="{{ links.info }}">customer service</a></mj-text>
</mj-column></mj-section></mj-body></mjml>`,
        text: 'Hello {{ customer.firstName }},\n\nFrom {{ vars.date }}, {{ product.name }} is delivered by 6 a.m.\nMore: {{ links.info }}',
      },
    },
  };
}

/** A minimal one-locale body around `inner` (MJML elements inside one column). */
export function simpleMjml(inner: string): string {
  return `<mjml><mj-body><mj-section><mj-column>${inner}</mj-column></mj-section></mj-body></mjml>`;
}
