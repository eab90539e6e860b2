/**
 * The preference page's interests (docs/segments-and-predictions.md, "Interests"): the topics to
 * tick inside the page's form, and below it "what we think interests you", each inferred topic
 * with a button of its own that records "not interested". No JavaScript: plain forms.
 */
import type { CustomerInterests, InterestTopic } from '../../core/interests/interests.ts';
import { escapeHtml } from './html.ts';
import { INTEREST_TEXTS } from './interest-texts.ts';
import type { PageLocale } from './page-locale.ts';

export interface InterestSectionInput {
  lang: PageLocale;
  topics: readonly InterestTopic[];
  interests: CustomerInterests;
  /** A standing objection to profiling or direct marketing: nothing is inferred, and the page says so. */
  objected: boolean;
  /** Where a removal posts (the page's own link with `/interests`). */
  removeAction: string;
}

/** The fieldset inside the page's form: a checkbox `interest.CODE` per topic, ticked for the stated ones. */
export function interestFields({ lang, topics, interests }: InterestSectionInput): string {
  const t = INTEREST_TEXTS[lang];
  const stated = new Set(interests.stated.filter((s) => s.value === 'interested').map((s) => s.topic));
  const boxes = topics.map(
    (topic) => `<label><input type="checkbox" name="interest.${escapeHtml(topic.code)}"${stated.has(topic.code) ? ' checked' : ''}> ${escapeHtml(topic.names[lang])}</label>`,
  );
  return `<fieldset><legend>${escapeHtml(t.heading)}</legend><input type="hidden" name="interests" value="shown">
<p class="note">${escapeHtml(t.intro)}</p>
${boxes.join('\n')}</fieldset>`;
}

/** The section after the form: the inferred topics, each removable. */
export function inferredList({ lang, topics, interests, objected, removeAction }: InterestSectionInput): string {
  const t = INTEREST_TEXTS[lang];
  const name = (code: string): string => topics.find((x) => x.code === code)?.names[lang] ?? code;
  const heading = `<h2>${escapeHtml(t.inferredHeading)}</h2>`;
  if (objected) return `${heading}<p class="note">${escapeHtml(t.inferredObjected)}</p>`;
  if (interests.inferred.length === 0) return `${heading}<p class="note">${escapeHtml(t.inferredNone)}</p>`;
  const items = interests.inferred.map((i) => {
    const topic = escapeHtml(name(i.topic));
    return `<li><form method="post" action="${escapeHtml(removeAction)}">${topic} <input type="hidden" name="remove" value="${escapeHtml(i.topic)}"><button type="submit" aria-label="${escapeHtml(t.remove)}: ${topic}">${escapeHtml(t.remove)}</button></form></li>`;
  });
  return `${heading}<p class="note">${escapeHtml(t.inferredIntro)}</p><ul>${items.join('')}</ul>`;
}

/** The topics ticked on a posted form, or null when the form did not carry the interests' fieldset. */
export function tickedTopics(form: ReadonlyMap<string, string>, topics: readonly InterestTopic[]): Set<string> | null {
  if (form.get('interests') !== 'shown') return null;
  return new Set(topics.filter((topic) => form.get(`interest.${topic.code}`) === 'on').map((topic) => topic.code));
}
