import { describe, expect, it } from 'vitest';
import { DomainError } from '../core/errors.ts';
import { compileTemplate } from './compile-template.ts';
import { FOOTER_TEXTS } from './marketing-footer.ts';
import { previewTemplate, render } from './render-template.ts';
import {
  deliveryNotice,
  newsletter,
  NEWSLETTER_VARS,
  newsletterContent,
  newsletterLinks,
  simpleMjml,
} from './template-fixtures.ts';
import { TEMPLATE_LOCALES, type RenderInput, type TemplateDefinition } from './template-definition.ts';

const CUSTOMERS = [
  { name: 'Aino Virtanen', locale: 'fi' },
  { name: 'Björn Lindqvist', locale: 'sv-FI' },
  { name: 'Jane Smith', locale: 'en' },
  { name: 'Matti "Masa" Meikäläinen & Co', locale: null },
] as const;

function input(i: number, extra: Partial<RenderInput> = {}): RenderInput {
  const customer = CUSTOMERS[i % CUSTOMERS.length] ?? CUSTOMERS[0];
  return {
    customer,
    product: { name: 'Digilehti' },
    links: newsletterLinks(`c${i}`),
    vars: NEWSLETTER_VARS,
    ...extra,
  };
}

function thrown(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    return err as DomainError;
  }
  throw new Error('expected an error');
}

describe('compile once, render many', () => {
  it('gives every recipient exactly what a fresh compile would give them', async () => {
    const compiled = await compileTemplate(newsletter());
    for (let i = 0; i < CUSTOMERS.length; i++) {
      const fresh = await compileTemplate(newsletter());
      expect(render(compiled, input(i))).toEqual(render(fresh, input(i)));
    }
  });

  it('renders 10,000 recipients from one compiled template', async () => {
    const compiled = await compileTemplate(newsletter());
    let bytes = 0;
    for (let i = 0; i < 10_000; i++) bytes += render(compiled, input(i)).html.length;
    expect(bytes).toBeGreaterThan(10_000 * 5_000);
  });
});

describe('personalisation', () => {
  it('fills in the first name, product and campaign values', async () => {
    const msg = render(await compileTemplate(newsletter()), input(0));
    expect(msg.subject).toBe('Viikon parhaat, Aino');
    expect(msg.html).toContain('Hei Aino!');
    expect(msg.html).toContain('Tilaajana saat Digilehti');
    expect(msg.html).toContain('Kaupunki uudistaa raitiotiet');
    expect(msg.html).toContain('href="https://l.example.fi/c/c0/a/1"');
    // No font is fetched from Google on open (MJML's default would link Google Fonts).
    expect(msg.html).not.toContain('fonts.googleapis.com');
  });

  it('leaves out a conditional block when its value is absent', async () => {
    const compiled = await compileTemplate(newsletter());
    const { discount: _omit, ...noDiscount } = NEWSLETTER_VARS;
    const msg = render(compiled, input(0, { vars: noDiscount, product: undefined }));
    expect(msg.html).not.toContain('class="promo"');
    expect(msg.html).not.toContain('Tilaajana saat');
  });

  it('escapes a name in HTML but not in the subject or the text', async () => {
    const def: TemplateDefinition = {
      id: 'x',
      kind: 'service',
      defaultLocale: 'fi',
      locales: { fi: { subject: 'Hei {{ customer.name }}', mjml: simpleMjml('<mj-text>Hei {{ customer.name }}</mj-text>') } },
    };
    const msg = render(await compileTemplate(def), { customer: { name: '<script>alert(1)</script> & Co', locale: 'fi' }, links: {} });
    expect(msg.html).toContain('Hei &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co');
    expect(msg.html).not.toContain('<script>');
    expect(msg.subject).toBe('Hei <script>alert(1)</script> & Co');
    expect(msg.text).toBe('Hei <script>alert(1)</script> & Co');
  });

  it('escapes link URLs in attributes', async () => {
    const msg = render(await compileTemplate(newsletter()), input(0));
    expect(msg.html).toContain('href="https://l.example.fi/c/c0/unsubscribe?sig=abc&amp;v=1"');
  });

  it('keeps the subject on one line whatever the name contains', async () => {
    const msg = render(await compileTemplate(newsletter()), input(0, { customer: { name: 'Eve\r\nBcc: x@example.com', locale: 'fi' } }));
    expect(msg.subject).not.toMatch(/[\r\n]/);
  });

  it('refuses to render when a value the template uses is missing, naming it', async () => {
    const compiled = await compileTemplate(deliveryNotice());
    const err = thrown(() => render(compiled, { customer: { name: 'Aino', locale: 'fi' }, product: { name: 'HS' }, links: { info: 'https://x' } }));
    expect(err.code).toBe('TEMPLATE_INVALID');
    expect(err.field).toBe('vars.date');
  });
});

describe('locale fallback: requested, then the customer\'s, then the default, then any', () => {
  const def = (): TemplateDefinition => ({
    id: 'l',
    kind: 'marketing',
    defaultLocale: 'sv',
    locales: { sv: newsletterContent('sv'), en: newsletterContent('en') },
  });
  const base = (customerLocale: string | null, locale?: string): RenderInput => ({
    ...input(0),
    customer: { name: 'Kim Nieminen', locale: customerLocale },
    ...(locale === undefined ? {} : { locale }),
  });

  it('uses the requested locale when the template has it', async () => {
    expect(render(await compileTemplate(def()), base('sv', 'en')).locale).toBe('en');
  });

  it('falls back to the customer\'s locale, ignoring the region', async () => {
    expect(render(await compileTemplate(def()), base('en-GB', 'fi')).locale).toBe('en');
  });

  it('falls back to the template default when neither is available', async () => {
    expect(render(await compileTemplate(def()), base('fi', 'de')).locale).toBe('sv');
    expect(render(await compileTemplate(def()), base(null)).locale).toBe('sv');
  });

  it('uses the customer\'s locale when nothing is requested', async () => {
    expect(render(await compileTemplate(def()), base('en')).locale).toBe('en');
  });
});

describe('marketing messages carry the opt-out footer (rule 3, GDPR Art. 21)', () => {
  for (const locale of TEMPLATE_LOCALES) {
    it(`in ${locale}: unsubscribe and preferences links and the right to object, in HTML and text`, async () => {
      const msg = render(await compileTemplate(newsletter()), { ...input(7), locale });
      const t = FOOTER_TEXTS[locale];
      expect(msg.locale).toBe(locale);
      expect(msg.html).toContain('href="https://l.example.fi/c/c7/unsubscribe?sig=abc&amp;v=1"');
      expect(msg.html).toContain(t.unsubscribe);
      expect(msg.html).toContain('href="https://l.example.fi/c/c7/preferences"');
      expect(msg.text).toContain(`${t.unsubscribe}: https://l.example.fi/c/c7/unsubscribe?sig=abc&v=1`);
      expect(msg.text).toContain(`${t.preferences}: https://l.example.fi/c/c7/preferences`);
      for (const part of [msg.html, msg.text]) expect(part).toContain(t.objection.slice(0, 40));
      expect(msg.html).toContain(`lang="${locale}"`);
    });
  }

  it('appends the footer to a hand-written text part too', async () => {
    const def: TemplateDefinition = {
      id: 'm',
      kind: 'marketing',
      defaultLocale: 'en',
      locales: { en: { subject: 'Offer', mjml: simpleMjml('<mj-text>Offer</mj-text>'), text: 'Offer for {{ customer.firstName }}' } },
    };
    const msg = render(await compileTemplate(def), { customer: { name: 'Jane Smith', locale: 'en' }, links: { unsubscribe: 'https://u.example/1' } });
    expect(msg.text).toBe(`Offer for Jane\n\n--\n${FOOTER_TEXTS.en.lead}\n${FOOTER_TEXTS.en.unsubscribe}: https://u.example/1\n${FOOTER_TEXTS.en.objection}`);
  });

  it('omits the preferences link when the render has none, but never the unsubscribe link', async () => {
    const links = { ...newsletterLinks('c1'), preferences: undefined };
    const msg = render(await compileTemplate(newsletter()), input(1, { links, locale: 'fi' }));
    expect(msg.html).not.toContain(FOOTER_TEXTS.fi.preferences);
    expect(msg.text).toContain(FOOTER_TEXTS.fi.unsubscribe);
  });

  it('refuses to render a marketing message without an unsubscribe link', async () => {
    const compiled = await compileTemplate(newsletter());
    const err = thrown(() => render(compiled, input(0, { links: { ...newsletterLinks('c0'), unsubscribe: undefined } })));
    expect(err.code).toBe('TEMPLATE_INVALID');
    expect(err.field).toBe('links.unsubscribe');
  });

  it('adds no footer to a service message', async () => {
    const msg = render(await compileTemplate(deliveryNotice()), {
      customer: { name: 'Aino', locale: 'fi' },
      product: { name: 'Helsingin Sanomat' },
      links: { info: 'https://www.example.fi/asiakaspalvelu' },
      vars: { date: '1.4.' },
    });
    expect(msg.html).not.toContain(FOOTER_TEXTS.fi.unsubscribe);
    expect(msg.text).toBe('Hei Aino,\n\nHelsingin Sanomat jaetaan 1.4. alkaen aamuisin klo 6 mennessä.\n\nLisätietoja: asiakaspalvelu (https://www.example.fi/asiakaspalvelu)');
  });
});

describe('plain text part', () => {
  it('is derived from the HTML with link URLs written out', async () => {
    const msg = render(await compileTemplate(newsletter()), input(0));
    expect(msg.text).toMatch(/^Lehti \(https:\/\/www\.example\.fi\/\)\n\nHei Aino!\n\nTässä viikon parhaat jutut sinulle\. \(Tilaajana saat Digilehti\)/);
    expect(msg.text).toContain('Lue lisää (https://l.example.fi/c/c0/a/1)');
    expect(msg.text).not.toMatch(/<[a-z]/i);
    // The hidden preview text is for the inbox list only.
    expect(msg.text).not.toContain('Tässä viikon parhaat jutut sinulle.\n\nTässä');
  });

  it('uses the hand-written text when the locale has one, still with the footer for marketing', async () => {
    const msg = render(await compileTemplate(deliveryNotice()), {
      customer: { name: 'Jane Smith', locale: 'en' },
      product: { name: 'The Paper' },
      links: { info: 'https://x.example/info' },
      vars: { date: '1 April' },
    });
    expect(msg.text).toBe('Hello Jane,\n\nFrom 1 April, The Paper is delivered by 6 a.m.\nMore: https://x.example/info');
  });
});

describe('partner block', () => {
  it('is shown as given, labelled as the partner\'s ad, in HTML and text', async () => {
    const def: TemplateDefinition = {
      ...newsletter(),
      partnerBlock: {
        partnerName: 'Matkatoimisto Oy',
        html: '<p><b>Lomat -20 %</b></p>',
        text: 'Lomat -20 %',
        locales: { sv: { html: '<p><b>Semester -20 %</b></p>', text: 'Semester -20 %' }, en: { html: '<p><b>Holidays -20 %</b></p>', text: 'Holidays -20 %' } },
      },
    };
    const msg = render(await compileTemplate(def), input(0));
    expect(msg.html).toContain('<p><b>Lomat -20 %</b></p>');
    expect(msg.html).toContain('Matkatoimisto Oy');
    expect(msg.text).toContain('Yhteistyökumppanimme Matkatoimisto Oy mainos\nLomat -20 %');
    // The ad comes before the opt-out footer.
    expect(msg.text.indexOf('Lomat')).toBeLessThan(msg.text.indexOf(FOOTER_TEXTS.fi.unsubscribe));
  });
});

describe('previewTemplate', () => {
  it('compiles and renders for one customer, with placeholder opt-out links', async () => {
    const msg = await previewTemplate(newsletter(), { name: 'Aino Virtanen', locale: 'fi' }, { vars: NEWSLETTER_VARS });
    expect(msg.subject).toBe('Viikon parhaat, Aino');
    expect(msg.html).toContain('href="#unsubscribe"');
    // No links given: the article links print empty instead of failing the preview.
    expect(msg.html).toContain('href=""');
  });
});

describe('a service message never carries an offer (rule 1), whatever the caller passes', () => {
  const OFFER = { code: 'UV-DIGI-12', name: 'Uutisvirta Digi', price: '99,00 €', period: '12 kk', explanation: 'Uutisvirta Digi 12 kk hintaan 99,00 €', reason: null };

  it('renders the offer block empty for a compiled service template, even one that did not come from compileTemplate', async () => {
    const def: TemplateDefinition = { id: 'x', kind: 'marketing', defaultLocale: 'fi', locales: { fi: { subject: 'Aihe {{ offer.code }}', mjml: simpleMjml('<mj-text>Jakelu muuttuu.{% if offer.name %} {{ offer.explanation }}{% endif %}</mj-text>') } } };
    const marketing = await compileTemplate(def);
    // compileTemplate refuses such a service template; the renderer holds the rule on its own too.
    const service = { ...marketing, kind: 'service' as const };
    // (Its parts still carry the marketing footer, which reads links.unsubscribe.)
    const msg = render(service, { customer: { name: 'Aino', locale: 'fi' }, links: { unsubscribe: 'https://x.example/u' }, offer: OFFER });
    expect(msg.html).toContain('Jakelu muuttuu.');
    expect(msg.html).not.toContain('Uutisvirta');
    expect(msg.text).not.toContain('Uutisvirta');
    expect(msg.subject).toBe('Aihe');
    // The marketing template prints it.
    expect(render(marketing, { customer: { name: 'Aino', locale: 'fi' }, links: { unsubscribe: 'https://x.example/u' }, offer: OFFER }).html).toContain('Uutisvirta Digi 12 kk');
  });
});
