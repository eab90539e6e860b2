/**
 * The feedback questions (docs/customer-service.md#feedback): CSAT after a solved ticket and the
 * NPS survey. Built-in templates in Finnish, Swedish and English, compiled once on first use. A
 * question is research (compliance.md §2 rule 11) and carries nothing promotional: no offer, no
 * product, no marketing footer (an invitation that did would be marketing). Each names how to say
 * no to further questions, as an invitation on legitimate interest must.
 */
import type { FeedbackKind } from '../core/feedback/feedback.ts';
import { compileTemplate } from './compile-template.ts';
import { render } from './render-template.ts';
import type { CompiledTemplate, RenderedMessage, TemplateDefinition } from './template-definition.ts';

const mjml = (lead: readonly string[], button: string, after: readonly string[]): string =>
  `<mjml><mj-body><mj-section><mj-column>${lead.map((p) => `<mj-text>${p}</mj-text>`).join('')}` +
  `<mj-button href="{{ links.answer }}">${button}</mj-button>${after.map((p) => `<mj-text>${p}</mj-text>`).join('')}</mj-column></mj-section></mj-body></mjml>`;

const text = (lead: readonly string[], after: readonly string[]): string => [...lead, '{{ links.answer }}', ...after].join('\n\n');

interface Content {
  subject: string;
  lead: readonly string[];
  button: string;
  after: readonly string[];
}

const CSAT: Record<'fi' | 'sv' | 'en', Content> = {
  fi: {
    subject: 'Miten onnistuimme? Asiasi {{ vars.ticket }} on ratkaistu',
    lead: ['Hei,', 'asiasi "{{ vars.subject }}" on merkitty ratkaistuksi. Kuinka tyytyväinen olit palveluumme? Vastaaminen vie alle minuutin (asteikko 1–5).'],
    button: 'Arvioi palvelu',
    after: ['Linkki on voimassa {{ vars.days }} päivää. Jos et halua palautekyselyjä, vastaa tähän viestiin, niin emme lähetä niitä enää.'],
  },
  sv: {
    subject: 'Hur lyckades vi? Ditt ärende {{ vars.ticket }} är löst',
    lead: ['Hej,', 'ditt ärende "{{ vars.subject }}" har markerats som löst. Hur nöjd var du med vår service? Det tar under en minut att svara (skala 1–5).'],
    button: 'Betygsätt servicen',
    after: ['Länken gäller i {{ vars.days }} dagar. Om du inte vill ha fler frågor om kundnöjdhet, svara på det här meddelandet så skickar vi inga fler.'],
  },
  en: {
    subject: 'How did we do? Your request {{ vars.ticket }} is solved',
    lead: ['Hello,', 'your request "{{ vars.subject }}" has been marked as solved. How satisfied were you with our service? Answering takes less than a minute (scale 1–5).'],
    button: 'Rate our service',
    after: ['The link works for {{ vars.days }} days. If you would rather not get feedback questions, reply to this message and we will send no more.'],
  },
};

const NPS: Record<'fi' | 'sv' | 'en', Content> = {
  fi: {
    subject: 'Kysymys sinulle: suosittelisitko meitä?',
    lead: ['Hei,', 'kuinka todennäköisesti suosittelisit meitä ystävällesi tai työkaverillesi? Vastaa asteikolla 0–10; vastaukset käsitellään vain yhteenvetoina palvelun kehittämiseksi.'],
    button: 'Vastaa kysymykseen',
    after: ['Linkki on voimassa {{ vars.days }} päivää. Jos et halua kyselyjä, vastaa tähän viestiin, niin emme lähetä niitä enää.'],
  },
  sv: {
    subject: 'En fråga till dig: skulle du rekommendera oss?',
    lead: ['Hej,', 'hur sannolikt är det att du skulle rekommendera oss till en vän eller kollega? Svara på en skala 0–10; svaren behandlas bara som sammanställningar för att utveckla tjänsten.'],
    button: 'Svara på frågan',
    after: ['Länken gäller i {{ vars.days }} dagar. Om du inte vill ha enkäter, svara på det här meddelandet så skickar vi inga fler.'],
  },
  en: {
    subject: 'A question for you: would you recommend us?',
    lead: ['Hello,', 'how likely are you to recommend us to a friend or colleague? Answer on a scale of 0–10; the answers are only used in summaries to improve our service.'],
    button: 'Answer the question',
    after: ['The link works for {{ vars.days }} days. If you would rather not get surveys, reply to this message and we will send no more.'],
  },
};

function definition(id: string, content: Record<string, Content>): TemplateDefinition {
  return {
    id,
    // Nothing promotional: the message is decided as research (rule 11), never as marketing.
    kind: 'service',
    defaultLocale: 'fi',
    locales: Object.fromEntries(Object.entries(content).map(([locale, c]) => [locale, { subject: c.subject, mjml: mjml(c.lead, c.button, c.after), text: text(c.lead, c.after) }])),
  };
}

export const FEEDBACK_TEMPLATES: Record<FeedbackKind, TemplateDefinition> = {
  csat: definition('lupa-csat-question', CSAT),
  nps: definition('lupa-nps-question', NPS),
};

const compiled = new Map<FeedbackKind, Promise<CompiledTemplate>>();

/**
 * The question's message: `url` the signed answer link, `days` how long it works, `locale` fi/sv/en
 * (others: Finnish); for CSAT the ticket's number and subject.
 */
export async function feedbackQuestion(kind: FeedbackKind, input: { url: string; days: number; locale: string; ticket?: { id: number; subject: string } }): Promise<RenderedMessage> {
  let template = compiled.get(kind);
  if (template === undefined) {
    template = compileTemplate(FEEDBACK_TEMPLATES[kind]);
    compiled.set(kind, template);
  }
  const vars = { days: input.days, ticket: input.ticket === undefined ? '' : `#${input.ticket.id}`, subject: input.ticket?.subject ?? '' };
  return render(await template, { customer: { name: '', locale: input.locale }, links: { answer: input.url }, vars, locale: input.locale });
}

const SMS: Record<'fi' | 'sv' | 'en', Record<FeedbackKind, string>> = {
  fi: { csat: 'Kuinka tyytyväinen olit asiakaspalveluumme (1–5)? Vastaa: {url}', nps: 'Kuinka todennäköisesti suosittelisit meitä (0–10)? Vastaa: {url}' },
  sv: { csat: 'Hur nöjd var du med vår kundservice (1–5)? Svara: {url}', nps: 'Hur sannolikt är det att du rekommenderar oss (0–10)? Svara: {url}' },
  en: { csat: 'How satisfied were you with our customer service (1–5)? Answer: {url}', nps: 'How likely are you to recommend us (0–10)? Answer: {url}' },
};

const SMS_NO_MORE = { fi: 'Et halua kyselyjä? Kerro asiakaspalveluun.', sv: 'Vill du inte ha enkäter? Meddela kundtjänst.', en: 'No more surveys? Tell customer service.' } as const;

/** The question as an SMS: one short text with the answer link (`locale` fi/sv/en, others Finnish); nothing promotional. */
export function feedbackSms(kind: FeedbackKind, url: string, locale: string): string {
  const lang = locale === 'sv' || locale === 'en' ? locale : 'fi';
  return `${SMS[lang][kind].replace('{url}', url)} ${SMS_NO_MORE[lang]}`;
}
