/** An SMS template's size for a marketer: segments and encoding, and a warning when names can push it over. */
import { describe, expect, it } from 'vitest';
import { countSegments } from '../channels/sms/segments.ts';
import { compileTemplate, type TemplateDefinition } from '../templates/index.ts';
import { smsEstimate } from './sms-size.ts';

const STOP_LINE = '\nLopetus: vastaa STOP';

function sms(kind: 'marketing' | 'service', subject: string): TemplateDefinition {
  return { id: 'sms', kind, defaultLocale: 'fi', locales: { fi: { subject, mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>-</mj-text></mj-column></mj-section></mj-body></mjml>' } } } as TemplateDefinition;
}

/** A subject whose message for "Aino" takes exactly `septets` GSM-7 septets, STOP line included. */
function subjectOf(septets: number): string {
  const head = 'Hei {{ customer.firstName }}! ';
  const fixed = 'Hei Aino! '.length + STOP_LINE.length;
  return head + 'x'.repeat(septets - fixed);
}

describe('the SMS size of a template', () => {
  it('counts the message as sent (subject and STOP line) for the recipient, in GSM-7, with no warning when every name fits', async () => {
    const template = await compileTemplate(sms('marketing', 'Syystarjous, {{ customer.firstName }}: -20 % nyt'));
    const size = smsEstimate(template, {}, { name: 'Björn Lind', locale: 'fi' });
    expect(size.text).toBe(`Syystarjous, Björn: -20 % nyt${STOP_LINE}`);
    expect(size).toMatchObject({ encoding: 'gsm7', segments: 1, units: size.text.length, remaining: 160 - size.text.length, maxSegments: 1, warning: null });
    expect(size.samples.map((s) => s.firstName)).toEqual(['Aino', 'Anna-Kaisa', 'Jiří']);
  });

  it('warns when a name outside GSM-7 turns a one-segment text into UCS-2 of several', async () => {
    const template = await compileTemplate(sms('marketing', subjectOf(150)));
    const size = smsEstimate(template, {}, { name: 'Aino Virtanen', locale: 'fi' });
    expect(size).toMatchObject({ encoding: 'gsm7', units: 150, segments: 1 });
    const jiri = size.samples.find((s) => s.firstName === 'Jiří');
    expect(jiri).toMatchObject({ encoding: 'ucs2', segments: countSegments(size.text.replace('Aino', 'Jiří')).segments });
    expect(size.maxSegments).toBe(3);
    expect(size.warning).toContain('3 segments instead of 1');
    expect(size.warning).toContain('UCS-2');
  });

  it('warns when a longer name pushes a GSM-7 text over 160', async () => {
    // 160 septets with "Aino", a service text (no STOP line): "Anna-Kaisa" adds six.
    const template = await compileTemplate(sms('service', `Hei {{ customer.firstName }}! ${'y'.repeat(150)}`));
    const size = smsEstimate(template, {}, { name: 'Aino', locale: 'fi' });
    expect(size.text).not.toContain('STOP');
    expect(size).toMatchObject({ encoding: 'gsm7', segments: 1, units: 160 });
    expect(size.samples.find((s) => s.firstName === 'Anna-Kaisa')).toMatchObject({ encoding: 'gsm7', segments: 2 });
    expect(size.warning).not.toBeNull();
  });

  it('shows a text of several segments as such, without a warning when no name makes it longer', async () => {
    const template = await compileTemplate(sms('service', 'z'.repeat(200)));
    expect(smsEstimate(template, {}, { name: 'Aino', locale: null })).toMatchObject({ segments: 2, remaining: 306 - 200, maxSegments: 2, warning: null });
  });
});
