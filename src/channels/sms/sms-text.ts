/**
 * What an SMS of a template says: the rendered subject line, and for marketing the instruction to
 * stop them in the recipient's language (compliance.md rule 3: a free and easy opt-out in every
 * marketing message). The sender and every preview of an SMS build the text here, so a count of
 * segments is the count of what is sent.
 */
import type { RenderedMessage, TemplateKind } from '../../templates/index.ts';

/** How to stop marketing SMS, by the message's language (Finnish where it has none of these). */
export const SMS_STOP_TEXT: Record<string, string> = { fi: 'Lopetus: vastaa STOP', sv: 'Avsluta: svara STOP', en: 'Reply STOP to opt out' };

/** The text of an SMS: the subject line; a marketing message adds the STOP line on its own line. */
export function smsText(kind: TemplateKind, rendered: Pick<RenderedMessage, 'subject' | 'locale'>): string {
  return kind === 'marketing' ? `${rendered.subject}\n${SMS_STOP_TEXT[rendered.locale] ?? SMS_STOP_TEXT.fi}` : rendered.subject;
}
