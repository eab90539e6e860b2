/**
 * One-click unsubscribe (RFC 8058) and the preference centre: server-rendered pages reached by
 * signed links from every message, no cookie, no login, no JavaScript. A GET never changes
 * anything (link scanners follow links); a POST takes effect at once. Every page carries the
 * sender's name and logo, greets a person by first name and a business neutrally, and says what
 * stands on each channel (a suppression no choice here changes, the opt-out regime of phone and post).
 * An unsubscribe link never expires; a preference link does (LUPA_PREFERENCE_LINK_DAYS), and its
 * page then offers to send a fresh one to the address on record (docs/decisions/0014).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { defaultSender, type App } from '../../composition-root.ts';
import type { MessageSender } from '../../core/email-message.ts';
import { DomainError } from '../../core/errors.ts';
import type { Customer, CustomerId } from '../../core/records.ts';
import { preferencePathBeside, readPreferenceLink, sendFreshPreferenceLink, type FreshLinkDeps, type FreshLinkOutcome } from '../../use-cases/preference-links.ts';
import {
  currentPreferences,
  PREFERENCE_CHANNELS,
  savePreferences,
  unsubscribe,
  unsubscribeTarget,
  type PreferenceChannel,
  type PreferenceDeps,
  type Preferences,
} from '../../use-cases/unsubscribe.ts';
import { interestDeps, recordsFromChoices } from '../../use-cases/interests/interests.ts';
import { firstValues, formFields } from '../form-body.ts';
import { inferredList, interestFields, tickedTopics, type InterestSectionInput } from '../pages/interest-section.ts';
import { INTEREST_TEXTS } from '../pages/interest-texts.ts';
import { escapeHtml, pageBrand, pageLayout, type PageBrand } from '../pages/html.ts';
import { pageLocale, type PageLocale } from '../pages/page-locale.ts';
import { PAGE_TEXTS, type PageTexts } from '../pages/preference-texts.ts';
import type { ZodServer } from '../zod-provider.ts';

type TokenRequest = FastifyRequest<{ Params: { token: string }; Querystring: { lang?: string }; Body: unknown }>;

/**
 * The largest form these pages take: the preference form is a dozen short fields, the one-click
 * POST one (`List-Unsubscribe=One-Click`); anything bigger is refused before it is read (413).
 */
export const PAGE_FORM_BODY_LIMIT = 16 * 1024;

/** `mailer`: the e-mail sender for fresh preference links, made when first needed. */
export function preferenceRoutes(server: ZodServer, app: App, mailer: () => MessageSender): void {
  const linkSettings = { linkDays: app.config.LUPA_PREFERENCE_LINK_DAYS, resendMinutes: app.config.LUPA_PREFERENCE_LINK_RESEND_MINUTES };
  const deps: PreferenceDeps & FreshLinkDeps = {
    ...app.stores,
    settings: app.settings,
    signer: app.signer,
    now: app.now,
    noticeVersion: app.config.LUPA_NOTICE_VERSION,
    linkSettings,
    publicUrl: app.publicUrl,
    from: defaultSender(app),
    get sender() {
      return mailer();
    },
  };
  const brand = pageBrand(app.config);
  const interests = interestDeps(app);
  /** The page's interests: the topics, the customer's stated and inferred ones now. */
  const interestSection = async (req: TokenRequest, lang: PageLocale, customer: Customer, p: Preferences): Promise<InterestSectionInput> => ({
    lang,
    topics: await interests.interests.topics(),
    interests: await interests.interests.interestsOf(customer.id, app.now()),
    objected: p.objectsToProfiling || p.objectsToDirectMarketing,
    removeAction: `/p/${encodeURIComponent(req.params.token)}/interests?lang=${lang}`,
  });
  const formRoute = { schema: { hide: true }, bodyLimit: PAGE_FORM_BODY_LIMIT };
  /** Where the preference form sends to: the page's own address, named so that no other address the page was reached at can take it. */
  const pageAction = (req: TokenRequest, lang: PageLocale): string => `/p/${encodeURIComponent(req.params.token)}?lang=${lang}`;

  const html = (reply: FastifyReply, body: string): FastifyReply =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').send(body);

  /**
   * The unsubscribe page around a message: in the customer's language, with a way to the
   * preference centre dated as the unsubscribe link (`issuedAt`), so that it expires as the
   * message's own preference link does.
   */
  const unsubscribePage = async (req: TokenRequest, reply: FastifyReply, target: { customer: Customer; issuedAt: number | null }, inner: (t: PageTexts) => string): Promise<FastifyReply> => {
    const { customer } = target;
    const lang = pageLocale(req, customer.locale);
    const t = PAGE_TEXTS[lang];
    const preferencePath = await preferencePathBeside(deps, customer.id, target.issuedAt);
    return html(
      reply,
      pageLayout(
        lang,
        t.unsubscribeTitle,
        `<h1>${escapeHtml(t.unsubscribeTitle)}</h1><p>${escapeHtml(t.greeting(firstName(customer)))}</p>${inner(t)}
<p><a href="${escapeHtml(preferencePath)}">${escapeHtml(t.managePreferences)}</a></p>`,
        brand,
      ),
    );
  };

  // Each page in a context of its own, with the body parsers it takes (Fastify scopes them so).
  void server.register(async (pages) => {
    // The one-click POST (RFC 8058 §3.1) comes as a form, but its body does not matter: whatever a
    // mailbox provider sends, in any media type, is read and ignored, so an unsubscribe never fails on it.
    pages.removeAllContentTypeParsers();
    pages.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, _body, done) => done(null, null));

    pages.get('/u/:token', { schema: { hide: true } }, async (req: TokenRequest, reply) => {
      const target = await unsubscribeTarget(deps, req.params.token);
      return unsubscribePage(req, reply, target, (t) =>
        `<form method="post"><p>${escapeHtml(t.unsubscribeQuestion(t.channels[channelKey(target.channel)]))}</p><button type="submit">${escapeHtml(t.unsubscribeButton)}</button></form>`,
      );
    });

    // The one-click POST: 200 with a short page, never a redirect, no cookie; effective before the answer.
    // An unsubscribe link never expires: a person must always be able to stop marketing.
    pages.post('/u/:token', formRoute, async (req: TokenRequest, reply) => {
      const done = await unsubscribe(deps, req.params.token);
      return unsubscribePage(req, reply, done, (t) =>
        `<p>${escapeHtml(t.unsubscribed(t.channels[channelKey(done.channel)]))}</p><p class="note">${escapeHtml(t.serviceNote)}</p>`,
      );
    });
  });

  /** The page of an expired preference link: what happened, and a button that sends a fresh link to the address on record. */
  const expiredPage = (req: TokenRequest, reply: FastifyReply, customer: Customer): FastifyReply => {
    const lang = pageLocale(req, customer.locale);
    const t = PAGE_TEXTS[lang];
    // The fresh link's message and page follow the language this page is in.
    const action = `/p/${encodeURIComponent(req.params.token)}/renew?lang=${lang}`;
    return html(
      reply.code(410),
      pageLayout(
        lang,
        t.linkExpiredTitle,
        `<h1>${escapeHtml(t.linkExpiredTitle)}</h1><p>${escapeHtml(t.linkExpired)}</p>
<form method="post" action="${escapeHtml(action)}"><button type="submit">${escapeHtml(t.sendNewLink)}</button></form><p class="note">${escapeHtml(t.unsubscribeStillWorks)}</p>`,
        brand,
      ),
    );
  };

  void server.register(async (pages) => {
    // The preference form is a form: as the page sends it (urlencoded) or as multipart. Anything
    // else (JSON, text) is not read as "no change" but refused: 415, on the error page.
    pages.removeAllContentTypeParsers();
    pages.addContentTypeParser(['application/x-www-form-urlencoded', 'multipart/form-data'], { parseAs: 'buffer' }, (req, body, done) => {
      readForm(req.headers['content-type'] ?? '', body as Buffer).then((form) => done(null, form), (err: unknown) => done(err as Error));
    });

    pages.get('/p/:token', { schema: { hide: true } }, async (req: TokenRequest, reply) => {
      const { customer, expired } = await readPreferenceLink(deps, req.params.token);
      if (expired) return expiredPage(req, reply, customer);
      const lang = pageLocale(req, customer.locale);
      const preferences = await currentPreferences(deps, customer);
      // After a removal the page is shown again at its own address (see the POST below), saying what was removed.
      const removedCode = (req.query as Record<string, unknown> | undefined)?.['removed'];
      const removed = typeof removedCode === 'string' ? (await interests.interests.topics()).find((t) => t.code === removedCode) : undefined;
      const message = removed === undefined ? null : INTEREST_TEXTS[lang].removed(removed.names[lang]);
      return html(reply, preferencePage({ lang, brand, customer, preferences, message, action: pageAction(req, lang), interests: await interestSection(req, lang, customer, preferences) }));
    });

    // A form sent from a page that was opened before the link expired changes nothing either.
    pages.post('/p/:token', formRoute, async (req: TokenRequest, reply) => {
      const { customer, expired } = await readPreferenceLink(deps, req.params.token);
      if (expired) return expiredPage(req, reply, customer);
      const lang = pageLocale(req, customer.locale);
      const t = PAGE_TEXTS[lang];
      // No body at all is a form with nothing chosen.
      const form: ReadonlyMap<string, string> = req.body instanceof Map ? (req.body as Map<string, string>) : new Map();
      const wanted = wantedFromFields(form);
      // Ticked topics are stated interests: a record for each one that changed, appended.
      const topics = await interests.interests.topics();
      const ticked = tickedTopics(form, topics);
      const statedChanges = ticked === null ? [] : recordsFromChoices(await interests.interests.interestsOf(customer.id, app.now()), { ticked, offered: topics.map((t) => t.code), removedInferred: [] }, app.now());
      const changed = (await savePreferences(deps, customer, wanted, lang)) + statedChanges.length;
      await interests.interests.record(statedChanges, app.now());
      const preferences = await currentPreferences(deps, customer);
      // A "yes" that a bounce, complaint or Robinson entry still blocks is said so, not just "saved".
      const blocked = PREFERENCE_CHANNELS.filter((c) => wanted.marketing?.[c] === 'granted' && preferences.standing[c].some((r) => r !== 'unsubscribe'));
      const message = blocked.length === 0 ? t.saved(changed) : `${t.saved(changed)} ${t.stillBlocked(blocked.map((c) => t.channels[c]).join(', '))}`;
      return html(reply, preferencePage({ lang, brand, customer, preferences, message, action: pageAction(req, lang), interests: await interestSection(req, lang, customer, preferences) }));
    });

    // After a removal the browser's address is this one: reloading it, or opening it again from
    // the history, leads back to the page rather than to "not found".
    pages.get('/p/:token/interests', { schema: { hide: true } }, async (req: TokenRequest, reply) => {
      const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
      return reply.redirect(`/p/${encodeURIComponent(req.params.token)}${query}`, 303);
    });

    // "What we think interests you": a removal is a stated "not interested", and inference leaves the topic out from then on.
    pages.post('/p/:token/interests', formRoute, async (req: TokenRequest, reply) => {
      const { customer, expired } = await readPreferenceLink(deps, req.params.token);
      if (expired) return expiredPage(req, reply, customer);
      const lang = pageLocale(req, customer.locale);
      const form: ReadonlyMap<string, string> = req.body instanceof Map ? (req.body as Map<string, string>) : new Map();
      const topic = (await interests.interests.topics()).find((t) => t.code === form.get('remove'));
      if (topic === undefined) throw new DomainError('VALIDATION_FAILED', 'remove must be a topic the page offers', { field: 'remove' });
      const current = await interests.interests.interestsOf(customer.id, app.now());
      await interests.interests.record(recordsFromChoices(current, { ticked: new Set(), offered: [], removedInferred: [topic.code] }, app.now()), app.now());
      // Post/Redirect/Get: the page is shown again at its own address. Rendered here, its address
      // stayed …/interests, and the main form sent there next (an objection ticked after a removal
      // was refused as "a form that could not be read" and lost).
      return reply.redirect(`${pageAction(req, lang)}&removed=${encodeURIComponent(topic.code)}`, 303);
    });

    // "Send me a new link": to the address on record of the customer the link names, never to one typed here.
    pages.post('/p/:token/renew', formRoute, async (req: TokenRequest, reply) => {
      const { customer } = await readPreferenceLink(deps, req.params.token);
      const lang = pageLocale(req, customer.locale);
      const outcome = await sendFreshPreferenceLink(deps, customer, lang);
      const t = PAGE_TEXTS[lang];
      return html(
        reply.code(outcome.sent || outcome.reason !== 'too_soon' ? 200 : 429),
        pageLayout(lang, t.freshLinkTitle, `<h1>${escapeHtml(t.freshLinkTitle)}</h1><p role="status">${escapeHtml(freshLinkMessage(t, outcome, linkSettings))}</p>`, brand),
      );
    });
  });
}

/**
 * The language of the customer that a `/u/TOKEN` or `/p/TOKEN` link names, for an error page met
 * before the page read the link; null for any other path, a bad token or a failure (never throws).
 */
export function linkLocale(deps: Pick<PreferenceDeps, 'signer' | 'customers'>): (path: string) => Promise<string | null> {
  return async (path) => {
    const match = /^\/(u|p)\/([^/]+)$/.exec(path);
    if (match?.[2] === undefined) return null;
    try {
      const id = deps.signer.verify(match[1] === 'u' ? 'unsubscribe' : 'preferences', decodeURIComponent(match[2]))?.[0];
      return id === undefined ? null : ((await deps.customers.getCustomer(id as CustomerId))?.locale ?? null);
    } catch {
      return null;
    }
  };
}

/**
 * A posted form's fields (the first value of each): urlencoded read in one linear pass
 * (form-body.ts; URLSearchParams is quadratic on runs of `+`), multipart by the WHATWG Fetch body
 * reader (Node's built-in `Request`). A body it cannot read is a 400 on the error page.
 */
async function readForm(contentType: string, body: Buffer): Promise<Map<string, string>> {
  if (/^application\/x-www-form-urlencoded/i.test(contentType)) return firstValues(formFields(body.toString('utf8')));
  try {
    const form = await new Request('http://form.invalid/', { method: 'POST', headers: { 'content-type': contentType }, body: new Uint8Array(body) }).formData();
    const fields: [string, string][] = [];
    // A file field is not a choice the form offers: left out.
    form.forEach((value, name) => {
      if (typeof value === 'string') fields.push([name, value]);
    });
    return firstValues(fields);
  } catch {
    throw new DomainError('VALIDATION_FAILED', 'the form could not be read', { field: 'body' });
  }
}

function freshLinkMessage(t: PageTexts, outcome: FreshLinkOutcome, settings: { linkDays: number; resendMinutes: number }): string {
  if (outcome.sent) return t.freshLinkSent(settings.linkDays);
  return outcome.reason === 'too_soon' ? t.freshLinkTooSoon(settings.resendMinutes) : t.freshLinkNoAddress;
}

function channelKey(channel: string): keyof PageTexts['channels'] {
  return channel === 'sms' || channel === 'phone' || channel === 'post' ? channel : 'email';
}

/** Reads the form: radio values `granted`/`withdrawn`; checkboxes count only when the form carried them. */
export function wantedFrom(body: string): Partial<Preferences> {
  return wantedFromFields(firstValues(formFields(body)));
}

/** The same, from fields already read (the first value of each name). */
export function wantedFromFields(form: ReadonlyMap<string, string>): Partial<Preferences> {
  const choice = (name: string): 'granted' | 'withdrawn' | null => {
    const v = form.get(name);
    if (v === undefined || v === '') return null;
    // Anything else is not a choice the page offers: refused (400), never read as "no change".
    if (v !== 'granted' && v !== 'withdrawn') throw new DomainError('VALIDATION_FAILED', `${name} must be granted or withdrawn`, { field: name });
    return v;
  };
  const wanted: Partial<Preferences> = {
    marketing: { email: choice('marketing.email'), sms: choice('marketing.sms'), phone: choice('marketing.phone'), post: choice('marketing.post') },
    partnerEmail: choice('partner.email'),
  };
  if (form.get('objections') === 'shown') {
    wanted.objectsToDirectMarketing = form.get('object.direct_marketing') === 'on';
    wanted.objectsToProfiling = form.get('object.profiling') === 'on';
  }
  return wanted;
}

/** The first name a person is greeted by; null for a business (never "Hei Oy Yritys Ab") or without a name. */
export function firstName(customer: Customer): string | null {
  if (customer.kind !== 'person') return null;
  return customer.name.trim().split(/\s+/)[0] || null;
}

interface PreferencePageInput {
  lang: PageLocale;
  brand: PageBrand;
  customer: Customer;
  preferences: Preferences;
  /** The status line after a save, or null. */
  message: string | null;
  /** The form's address: always stated (a form without one sends to whatever address the page is at). */
  action: string;
  interests: InterestSectionInput;
}

/**
 * What stands on a channel, in words: each suppression there, or, without a choice, that we may
 * contact them there unless they refuse (phone and post; e-mail and SMS to a business).
 */
function channelNotes(t: PageTexts, channel: PreferenceChannel, p: Preferences): string[] {
  const notes = p.standing[channel].map((reason) => t.standing[reason]);
  if (p.marketing[channel] === null && p.optOut[channel]) notes.push(t.mayContactUnlessRefused[channel]);
  return notes;
}

function preferencePage({ lang, brand, customer, preferences: p, message, action, interests }: PreferencePageInput): string {
  const t = PAGE_TEXTS[lang];
  // Without a choice, what stands: soft opt-in is a basis of its own (allowed, and theirs to refuse), not "no choice".
  const radios = (name: string, current: 'granted' | 'withdrawn' | null, label: string, noLabel: string, notes: string[], softOptIn = false): string =>
    `<fieldset><legend>${escapeHtml(label)}${current === null ? ` <span class="note">(${escapeHtml(softOptIn ? t.softOptIn : t.notChosen)})</span>` : ''}</legend>
${notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join('')}
<label><input type="radio" name="${name}" value="granted"${current === 'granted' ? ' checked' : ''}> ${escapeHtml(t.yes)}</label>
<label><input type="radio" name="${name}" value="withdrawn"${current === 'withdrawn' ? ' checked' : ''}> ${escapeHtml(noLabel)}</label></fieldset>`;
  const box = (name: string, checked: boolean, label: string): string =>
    `<label><input type="checkbox" name="${name}"${checked ? ' checked' : ''}> ${escapeHtml(label)}</label>`;
  const noLabel = (c: PreferenceChannel): string => (c === 'phone' || c === 'post' ? t.refuse[c] : t.no);
  return pageLayout(
    lang,
    t.title,
    `<h1>${escapeHtml(t.title)}</h1>${message === null ? '' : `<p role="status"><strong>${escapeHtml(message)}</strong></p>`}
<p>${escapeHtml(t.greeting(firstName(customer)))}</p><p>${escapeHtml(t.intro)}</p><form method="post" action="${escapeHtml(action)}">
${PREFERENCE_CHANNELS.map((c) => radios(`marketing.${c}`, p.marketing[c], t.channels[c], noLabel(c), channelNotes(t, c, p), p.softOptIn[c])).join('\n')}
${radios('partner.email', p.partnerEmail, t.partner, t.no, [])}
<fieldset><legend>${escapeHtml(t.objectionsHeading)}</legend><input type="hidden" name="objections" value="shown">
${box('object.direct_marketing', p.objectsToDirectMarketing, t.objectDirectMarketing)}
${box('object.profiling', p.objectsToProfiling, t.objectProfiling)}</fieldset>
${interestFields(interests)}
<button type="submit">${escapeHtml(t.save)}</button></form>${inferredList(interests)}<p class="note">${escapeHtml(t.serviceNote)}</p>`,
    brand,
  );
}

