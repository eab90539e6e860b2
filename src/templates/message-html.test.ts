/**
 * What a receiver and a reader get from a compiled message: the subject as the HTML's title, a
 * preheader hidden without colour or size tricks, the partner's ad in the reader's language with a
 * label of AA contrast (computed here, WCAG 2.1 §1.4.3), and a footer naming the sender and its address.
 */
import { describe, expect, it } from 'vitest';
import { DomainError } from '../core/errors.ts';
import { compileTemplate } from './compile-template.ts';
import { PARTNER_LABEL_COLOUR } from './content-rules.ts';
import { FOOTER_TEXTS } from './marketing-footer.ts';
import { render } from './render-template.ts';
import type { RenderInput, TemplateDefinition } from './template-definition.ts';

/** WCAG 2.1 relative luminance of `#rrggbb` or `#rgb`. */
function luminance(hex: string): number {
  const h = hex.replace('#', '');
  const full = h.length === 3 ? [...h].map((c) => c + c).join('') : h;
  const [r = 0, g = 0, b = 0] = [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2.1 contrast ratio of two colours, 1 to 21. */
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The text colour and the background of the block that holds `text` in the HTML: the nearest ones declared before it. */
function coloursAround(html: string, text: string): { colour: string; background: string } {
  const before = html.slice(0, html.indexOf(text));
  const last = (re: RegExp): string => [...before.matchAll(re)].at(-1)?.[1] ?? 'none';
  return { colour: last(/[;"]color:(#[0-9a-fA-F]{3,6})/g), background: last(/background-color:(#[0-9a-fA-F]{3,6})/g) };
}

const mjml = (inner: string, head = '') => `<mjml>${head}<mj-body background-color="#1a1a2e"><mj-section><mj-column>${inner}</mj-column></mj-section></mj-body></mjml>`;

const offer: TemplateDefinition = {
  id: 'offer',
  kind: 'marketing',
  defaultLocale: 'fi',
  locales: {
    fi: { subject: 'Tarjous: {{ customer.firstName }} & ystävät <3', mjml: mjml('<mj-text color="#ffffff">Hei!</mj-text>', '<mj-head><mj-preview>Syksyn parhaat edut</mj-preview></mj-head>') },
    sv: { subject: 'Erbjudande', mjml: mjml('<mj-text color="#ffffff">Hej!</mj-text>') },
  },
  partnerBlock: {
    partnerName: 'Matkatoimisto Oy',
    locales: {
      fi: { html: '<p>Kevätlomat -20 %</p>', text: 'Kevätlomat -20 %' },
      sv: { html: '<p>Vårresor -20 %</p>', text: 'Vårresor -20 %' },
    },
  },
};
const links = { unsubscribe: 'https://lupa.example/u/t', preferences: 'https://lupa.example/p/t' };
const reader = (locale: string, extra: Partial<RenderInput> = {}): RenderInput => ({ customer: { name: 'Aino Virtanen', locale }, links, ...extra });

describe('the message’s HTML', () => {
  it('takes the subject, rendered and escaped, as its title when the template gives none', async () => {
    const msg = render(await compileTemplate(offer), reader('fi'));
    expect(msg.html).toContain('<title>Tarjous: Aino &amp; ystävät &lt;3</title>');
    expect(msg.html).not.toMatch(/<title>\s*<\/title>/);
  });

  it('keeps a title the template gives', async () => {
    const own = { ...offer, locales: { fi: { subject: 'Aihe', mjml: mjml('<mj-text>x</mj-text>', '<mj-head><mj-title>Oma otsikko</mj-title></mj-head>') } } };
    const partnerBlock = { partnerName: 'Matkatoimisto Oy', html: '<p>x</p>', text: 'x' };
    expect(render(await compileTemplate({ ...own, partnerBlock }), reader('fi')).html).toContain('<title>Oma otsikko</title>');
  });

  it('hides the preview text without a tiny font, a colour or zero opacity (what spam filters read as hidden text), and leaves it out of the text part', async () => {
    const msg = render(await compileTemplate(offer), reader('fi'));
    const preheader = /<div[^>]*>Syksyn parhaat edut<\/div>/.exec(msg.html)?.[0] ?? '';
    expect(preheader).toContain('display:none');
    expect(preheader).toContain('aria-hidden="true"');
    expect(preheader).not.toMatch(/font-size|color|opacity|line-height/);
    expect(msg.text).not.toContain('Syksyn parhaat edut');
  });
});

describe('the partner’s ad in the reader’s language', () => {
  it('gives each reader the ad in their language, under the label in that language', async () => {
    const compiled = await compileTemplate(offer);
    const fi = render(compiled, reader('fi'));
    const sv = render(compiled, reader('sv-FI'));
    expect(fi.html).toContain('Kevätlomat -20 %');
    expect(fi.html).not.toContain('Vårresor');
    expect(sv.html).toContain('Vårresor -20 %');
    expect(sv.html).not.toContain('Kevätlomat');
    expect(sv.text).toContain('Annons från vår samarbetspartner Matkatoimisto Oy\nVårresor -20 %');
  });

  it('refuses a partner block without the ad in one of the template’s languages, naming it', async () => {
    const onlyFinnish = { ...offer, partnerBlock: { partnerName: 'Matkatoimisto Oy', html: '<p>Kevätlomat</p>', text: 'Kevätlomat' } };
    const err = await compileTemplate(onlyFinnish).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: 'TEMPLATE_INVALID', field: 'partnerBlock.locales.sv' });
  });

  it('refuses personal data in a language’s ad as in the default one', async () => {
    const personal = { ...offer, partnerBlock: { partnerName: 'X', locales: { ...offer.partnerBlock?.locales, sv: { html: '<p>Hej {{ customer.firstName }}</p>', text: 'x' } } } };
    await expect(compileTemplate(personal)).rejects.toMatchObject({ field: 'partnerBlock' });
  });

  it('labels the ad with at least 4.5:1 contrast on its background (WCAG 2.1 AA), whatever the author’s body colour', async () => {
    expect(contrast(PARTNER_LABEL_COLOUR, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    const html = render(await compileTemplate(offer), reader('fi')).html;
    const label = coloursAround(html, 'Yhteistyökumppanimme Matkatoimisto Oy mainos');
    expect(label.colour.toLowerCase()).toBe(PARTNER_LABEL_COLOUR);
    expect(contrast(label.colour, label.background)).toBeGreaterThanOrEqual(4.5);
    const footer = coloursAround(html, FOOTER_TEXTS.fi.lead);
    expect(contrast(footer.colour, footer.background)).toBeGreaterThanOrEqual(4.5);
    // The check itself can fail: the old label grey on white was below AA.
    expect(contrast('#777777', '#ffffff')).toBeLessThan(4.5);
  });
});

describe('the marketing footer names the sender and its postal address', () => {
  const sender = { name: 'Uutisvirta Oy', postalAddress: 'Töölönlahdenkatu 2, 00100 Helsinki' };

  it('in HTML and text, in the reader’s language', async () => {
    const compiled = await compileTemplate(offer);
    const fi = render(compiled, reader('fi', { sender }));
    expect(fi.html).toContain('Lähettäjä: Uutisvirta Oy, Töölönlahdenkatu 2, 00100 Helsinki');
    expect(fi.text).toContain('Lähettäjä: Uutisvirta Oy, Töölönlahdenkatu 2, 00100 Helsinki');
    expect(render(compiled, reader('sv', { sender })).text).toContain('Avsändare: Uutisvirta Oy, Töölönlahdenkatu 2, 00100 Helsinki');
  });

  it('names the sender alone when no address is configured, and no one when no sender is given', async () => {
    const compiled = await compileTemplate(offer);
    expect(render(compiled, reader('fi', { sender: { name: 'Uutisvirta Oy', postalAddress: null } })).text).toMatch(/Lähettäjä: Uutisvirta Oy$/m);
    expect(render(compiled, reader('fi')).text).not.toContain('Lähettäjä');
  });

  it('escapes the sender in the HTML', async () => {
    const msg = render(await compileTemplate(offer), reader('fi', { sender: { name: 'A & <B>', postalAddress: null } }));
    expect(msg.html).toContain('Lähettäjä: A &amp; &lt;B&gt;');
  });
});
