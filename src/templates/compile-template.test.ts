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
