import { describe, expect, it } from 'vitest';
import { DomainError } from '../core/errors.ts';
import { compileTemplate } from './compile-template.ts';
import { deliveryNotice, newsletter, simpleMjml } from './template-fixtures.ts';
import type { TemplateDefinition } from './template-definition.ts';

async function refusal(def: TemplateDefinition): Promise<DomainError> {
  const err: unknown = await compileTemplate(def).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  const de = err as DomainError;
  expect(de.code).toBe('TEMPLATE_INVALID');
  return de;
}

function oneLocale(kind: TemplateDefinition['kind'], mjml: string, extra: Partial<TemplateDefinition> = {}): TemplateDefinition {
  return { id: 't', kind, defaultLocale: 'fi', locales: { fi: { subject: 'Aihe', mjml } }, ...extra };
}

const PARTNER = { partnerName: 'Kumppani Oy', html: '<p>Kumppanin tarjous</p>', text: 'Kumppanin tarjous' };

describe('compiling a template', () => {
  it('compiles a realistic newsletter in three languages and says what it must be allowed for', async () => {
    const compiled = await compileTemplate(newsletter());
    expect(compiled.locales).toEqual(['fi', 'sv', 'en']);
    expect(compiled.purposes).toEqual(['marketing']);
    expect((await compileTemplate(deliveryNotice())).purposes).toEqual(['service']);
  });

  it('adds partner_marketing to the purposes when a partner ad is attached (rule 6)', async () => {
    const compiled = await compileTemplate(oneLocale('marketing', simpleMjml('<mj-text>Hei</mj-text>'), { partnerBlock: PARTNER }));
    expect(compiled.purposes).toEqual(['marketing', 'partner_marketing']);
  });

  it('refuses a default locale the template does not have', async () => {
    const err = await refusal({ ...oneLocale('service', simpleMjml('<mj-text>x</mj-text>')), defaultLocale: 'sv' });
    expect(err.field).toBe('defaultLocale');
  });
});

describe('a service template carries no marketing (rule 1, [S4])', () => {
  it('refuses a service template with a section marked promotional', async () => {
    const mjml = `<mjml><mj-body>
      <mj-section><mj-column><mj-text>Jakelu muuttuu</mj-text></mj-column></mj-section>
      <mj-section css-class="promo"><mj-column><mj-text>Tilaa nyt -50 %</mj-text></mj-column></mj-section>
    </mj-body></mjml>`;
    const err = await refusal(oneLocale('service', mjml));
    expect(err.field).toBe('kind');
    expect(err.message).toMatch(/promotional/);
  });

  it('refuses a service template with a raw block of class promo or an element with data-promo', async () => {
    const raw = `<mjml><mj-body><mj-raw><div class="banner promo">Tarjous</div></mj-raw></mj-body></mjml>`;
    expect((await refusal(oneLocale('service', raw))).field).toBe('kind');
    const data = simpleMjml('<mj-text><span data-promo>Tarjous</span></mj-text>');
    expect((await refusal(oneLocale('service', data))).field).toBe('kind');
  });

  it('refuses a service template with a partner block', async () => {
    const err = await refusal(oneLocale('service', simpleMjml('<mj-text>Hei</mj-text>'), { partnerBlock: PARTNER }));
    expect(err.field).toBe('kind');
  });

  it('accepts the same promotional section in a marketing template', async () => {
    const mjml = simpleMjml('<mj-text css-class="promo">Tilaa nyt</mj-text>');
    await expect(compileTemplate(oneLocale('marketing', mjml))).resolves.toBeDefined();
  });

  it('does not mistake a class that merely contains the word for the marker', async () => {
    const mjml = simpleMjml('<mj-text css-class="promotion-free">Jakelu muuttuu</mj-text>');
    await expect(compileTemplate(oneLocale('service', mjml))).resolves.toBeDefined();
  });
});

describe("a service template prints no offer (rule 1: the offer block is promotion)", () => {
  // Every way the parse tree lets a template reach the recipient's offer, as the author would write it.
  const READS: ReadonlyArray<[string, string, number]> = [
    ['an output', '<mj-text>\n{{ offer.explanation }}</mj-text>', 2],
    ['a condition', '<mj-text>{% if offer.name %}x{% endif %}</mj-text>', 1],
    ['a filter argument', "<mj-text>{{ 'Etu: ' | append: offer.code }}</mj-text>", 1],
    ['a loop over it', '<mj-text>{% for c in offer.name %}{{ c }}{% endfor %}</mj-text>', 1],
    ['an assign alias', '<mj-text>{% assign o = offer.explanation %}{{ o }}</mj-text>', 1],
    ['a capture', '<mj-text>{% capture t %}{{ offer.price }}{% endcapture %}{{ t }}</mj-text>', 1],
    ['a case', "<mj-text>{% case offer.code %}{% when 'A' %}a{% endcase %}</mj-text>", 1],
    ['a quoted root', '<mj-text>{{ ["offer"].name }}</mj-text>', 1],
    ['a liquid tag', '<mj-text>{% liquid\n  echo offer.reason\n%}</mj-text>', 2],
  ];
  for (const [how, body, line] of READS) {
    it(`refuses ${how}, naming the field and the line`, async () => {
      const err = await refusal(oneLocale('service', simpleMjml(body)));
      expect(err.field).toBe('locales.fi.mjml');
      expect(err.details).toMatchObject({ line, kind: 'service' });
      expect(err.message).toMatch(/service template cannot print the recipient's offer \(offer\.\w+ in locales\.fi\.mjml at line \d+\)/);
    });
  }

  it('refuses the offer in the subject and the text part too', async () => {
    const def = oneLocale('service', simpleMjml('<mj-text>x</mj-text>'));
    def.locales.fi = { subject: 'Hei {{ offer.name }}', mjml: simpleMjml('<mj-text>x</mj-text>') };
    expect((await refusal(def)).field).toBe('locales.fi.subject');
    def.locales.fi = { subject: 'Hei', mjml: simpleMjml('<mj-text>x</mj-text>'), text: 'x\n{{ offer.explanation }}' };
    expect((await refusal(def)).details).toMatchObject({ line: 2 });
  });

  it('the same template as marketing compiles', async () => {
    await expect(compileTemplate(oneLocale('marketing', simpleMjml('<mj-text>{% if offer.name %}{{ offer.explanation }}{% endif %}</mj-text>')))).resolves.toBeDefined();
  });

  it('refuses the two ways around the parse tree for every template: a computed root and an assignment over a supplied name', async () => {
    // `[k]` reads the variable k names; the analysis would report it as k (a local) and see no offer.
    const computed = await refusal(oneLocale('marketing', simpleMjml('<mj-text>{% assign k = "offer" %}{{ [k].name }}</mj-text>')));
    expect(computed.field).toBe('locales.fi.mjml');
    expect(computed.details).toMatchObject({ variable: '[k].name' });
    // `[vars.x]` would pass the allow-list as vars.x.name.
    expect((await refusal(oneLocale('marketing', simpleMjml('<mj-text>{{ [vars.x].name }}</mj-text>')))).details).toMatchObject({ variable: '[vars.x].name' });
    // An assignment in a branch that never runs makes the later read look local to the analysis.
    const shadow = await refusal(oneLocale('service', simpleMjml('<mj-text>{% if false %}{% assign offer = 1 %}{% endif %}{{ offer.explanation }}</mj-text>')));
    expect(shadow.details).toMatchObject({ variable: 'offer' });
    expect(shadow.message).toMatch(/may not assign to offer/);
  });
});

describe('a partner block carries no personal data ([S11])', () => {
  it('refuses a partner block with Liquid tags', async () => {
    const partnerBlock = { ...PARTNER, html: '<p>Hei {{ customer.firstName }}!</p>' };
    const err = await refusal(oneLocale('marketing', simpleMjml('<mj-text>x</mj-text>'), { partnerBlock }));
    expect(err.field).toBe('partnerBlock');
  });

  it('refuses a partner block that refers to the customer or their links even without Liquid', async () => {
    const partnerBlock = { ...PARTNER, text: 'Unsubscribe: links.unsubscribe' };
    expect((await refusal(oneLocale('marketing', simpleMjml('<mj-text>x</mj-text>'), { partnerBlock }))).field).toBe('partnerBlock');
  });
});

describe('variables are allow-listed', () => {
  it('refuses an unknown variable and names it with its line', async () => {
    const mjml = `<mjml><mj-body><mj-section><mj-column>
      <mj-text>Hei {{ customer.firstName }}</mj-text>
      <mj-text>Sähköpostisi: {{ customer.email }}</mj-text>
    </mj-column></mj-section></mj-body></mjml>`;
    const err = await refusal(oneLocale('service', mjml));
    expect(err.message).toContain('customer.email');
    expect(err.field).toBe('locales.fi.mjml');
    expect(err.details).toMatchObject({ variable: 'customer.email', line: 3 });
  });

  it('refuses an unknown root in the subject', async () => {
    const def = oneLocale('service', simpleMjml('<mj-text>x</mj-text>'));
    def.locales.fi = { subject: 'Hei {{ user.name }}', mjml: simpleMjml('<mj-text>x</mj-text>') };
    const err = await refusal(def);
    expect(err.field).toBe('locales.fi.subject');
    expect(err.message).toContain('user.name');
  });

  it('accepts locals the template assigns itself, and loops', async () => {
    const mjml = simpleMjml(
      '<mj-text>{% assign greeting = customer.firstName | upcase %}{{ greeting }} {% for i in (1..2) %}{{ i }}{% endfor %}</mj-text>',
    );
    await expect(compileTemplate(oneLocale('service', mjml))).resolves.toBeDefined();
  });

  it('refuses include (no file access) and the raw filter in HTML (no unescaped personal data)', async () => {
    expect((await refusal(oneLocale('service', simpleMjml("<mj-text>{% include 'x' %}</mj-text>")))).message).toMatch(/include/);
    expect((await refusal(oneLocale('service', simpleMjml('<mj-text>{{ customer.name | raw }}</mj-text>')))).message).toMatch(/raw/);
  });

  it('reports a Liquid syntax error with the field', async () => {
    const err = await refusal(oneLocale('service', simpleMjml('<mj-text>{% if vars.x %}open</mj-text>')));
    expect(err.field).toBe('locales.fi.mjml');
    expect(err.message).toMatch(/not closed/);
  });
});

describe('MJML problems', () => {
  it('reports the first MJML error with its line, counted in the author\'s source', async () => {
    const mjml = `<mjml>
<mj-body>
  <mj-section>
    <mj-column>
      <mj-text colour="red">{% if vars.x %}
        Hei
      {% endif %}</mj-text>
      <mj-image src="a.png" foo="bar" />
    </mj-column>
  </mj-section>
</mj-body>
</mjml>`;
    const err = await refusal(oneLocale('service', mjml));
    expect(err.field).toBe('locales.fi.mjml');
    expect(err.message).toMatch(/line 5 \(mj-text\): Attribute colour is illegal/);
    const later = mjml.replace(' colour="red"', '');
    // The multi-line Liquid tags above line 8 do not shift the line reported.
    expect((await refusal(oneLocale('service', later))).message).toMatch(/line 8 \(mj-image\): Attribute foo is illegal/);
  });

  it('refuses a Liquid tag MJML would silently drop, pointing to mj-raw', async () => {
    const mjml = `<mjml><mj-body>{% if vars.x %}<mj-section><mj-column><mj-text>x</mj-text></mj-column></mj-section>{% endif %}</mj-body></mjml>`;
    const err = await refusal(oneLocale('service', mjml));
    expect(err.message).toMatch(/mj-raw/);
  });

  it('reports malformed MJML', async () => {
    const err = await refusal(oneLocale('service', '<mj-section>no root</mj-section>'));
    expect(err.field).toBe('locales.fi.mjml');
  });
});
