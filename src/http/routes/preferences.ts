/**
 * One-click unsubscribe (RFC 8058) and the preference centre: server-rendered pages reached by
 * signed links from every message, no cookie, no login, no JavaScript. A GET never changes
 * anything (link scanners follow links); a POST takes effect at once. Every page carries the
 * sender's name and logo, greets a person by first name and a business neutrally, and says what
 * stands on each channel (a suppression no choice here changes, the opt-out regime of phone and post).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../composition-root.ts';
import { DomainError } from '../../core/errors.ts';
import type { Customer, CustomerId } from '../../core/records.ts';
import {
  currentPreferences,
  preferenceTarget,
  PREFERENCE_CHANNELS,
  preferencesUrl,
  savePreferences,
  unsubscribe,
  unsubscribeTarget,
  type PreferenceChannel,
  type PreferenceDeps,
  type Preferences,
} from '../../use-cases/unsubscribe.ts';
import { escapeHtml, pageBrand, pageLayout, type PageBrand } from '../pages/html.ts';
import { pageLocale, type PageLocale } from '../pages/page-locale.ts';
import { PAGE_TEXTS, type PageTexts } from '../pages/preference-texts.ts';
import type { ZodServer } from '../zod-provider.ts';

type TokenRequest = FastifyRequest<{ Params: { token: string }; Querystring: { lang?: string }; Body: unknown }>;

export function preferenceRoutes(server: ZodServer, app: App): void {
  const deps: PreferenceDeps = { ...app.stores, settings: app.settings, signer: app.signer, now: app.now, noticeVersion: app.config.LUPA_NOTICE_VERSION };
  const brand = pageBrand(app.config);

  const html = (reply: FastifyReply, body: string): FastifyReply =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').send(body);

  /** The unsubscribe page around a message: in the customer's language, with a way to the preference centre. */
  const unsubscribePage = (req: TokenRequest, reply: FastifyReply, customer: Customer, inner: (t: PageTexts) => string): FastifyReply => {
    const lang = pageLocale(req, customer.locale);
    const t = PAGE_TEXTS[lang];
    return html(
      reply,
      pageLayout(
        lang,
        t.unsubscribeTitle,
        `<h1>${escapeHtml(t.unsubscribeTitle)}</h1><p>${escapeHtml(t.greeting(firstName(customer)))}</p>${inner(t)}
<p><a href="${escapeHtml(preferencesUrl(app.signer, '', customer.id))}">${escapeHtml(t.managePreferences)}</a></p>`,
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
      const { customer, channel } = await unsubscribeTarget(deps, req.params.token);
      return unsubscribePage(req, reply, customer, (t) =>
        `<form method="post"><p>${escapeHtml(t.unsubscribeQuestion(t.channels[channelKey(channel)]))}</p><button type="submit">${escapeHtml(t.unsubscribeButton)}</button></form>`,
      );
    });

    // The one-click POST: 200 with a short page, never a redirect, no cookie; effective before the answer.
    pages.post('/u/:token', { schema: { hide: true } }, async (req: TokenRequest, reply) => {
      const { customer, channel } = await unsubscribe(deps, req.params.token);
      return unsubscribePage(req, reply, customer, (t) =>
        `<p>${escapeHtml(t.unsubscribed(t.channels[channelKey(channel)]))}</p><p class="note">${escapeHtml(t.serviceNote)}</p>`,
      );
    });
  });

  void server.register(async (pages) => {
    // The preference form is a form: as the page sends it (urlencoded) or as multipart. Anything
    // else (JSON, text) is not read as "no change" but refused: 415, on the error page.
    pages.removeAllContentTypeParsers();
    pages.addContentTypeParser(['application/x-www-form-urlencoded', 'multipart/form-data'], { parseAs: 'buffer' }, (req, body, done) => {
      readForm(req.headers['content-type'] ?? '', body as Buffer).then((form) => done(null, form), (err: unknown) => done(err as Error));
    });

    pages.get('/p/:token', { schema: { hide: true } }, async (req: TokenRequest, reply) => {
      const customer = await preferenceTarget(deps, req.params.token);
      const lang = pageLocale(req, customer.locale);
      return html(reply, preferencePage({ lang, brand, customer, preferences: await currentPreferences(deps, customer), message: null }));
    });

    pages.post('/p/:token', { schema: { hide: true } }, async (req: TokenRequest, reply) => {
      const customer = await preferenceTarget(deps, req.params.token);
      const lang = pageLocale(req, customer.locale);
      const t = PAGE_TEXTS[lang];
      // No body at all is a form with nothing chosen.
      const wanted = wantedFrom(req.body instanceof URLSearchParams ? req.body : new URLSearchParams());
      const changed = await savePreferences(deps, customer, wanted, lang);
      const preferences = await currentPreferences(deps, customer);
      // A "yes" that a bounce, complaint or Robinson entry still blocks is said so, not just "saved".
      const blocked = PREFERENCE_CHANNELS.filter((c) => wanted.marketing?.[c] === 'granted' && preferences.standing[c].some((r) => r !== 'unsubscribe'));
      const message = blocked.length === 0 ? t.saved(changed) : `${t.saved(changed)} ${t.stillBlocked(blocked.map((c) => t.channels[c]).join(', '))}`;
      return html(reply, preferencePage({ lang, brand, customer, preferences, message }));
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
 * A posted form's fields, urlencoded or multipart/form-data, read by the WHATWG Fetch body reader
 * (the HTML form encodings; Node's built-in `Request`). A body it cannot read is a 400 on the error page.
 */
async function readForm(contentType: string, body: Buffer): Promise<URLSearchParams> {
  try {
    const form = await new Request('http://form.invalid/', { method: 'POST', headers: { 'content-type': contentType }, body: new Uint8Array(body) }).formData();
    const fields = new URLSearchParams();
    // A file field is not a choice the form offers: left out.
    form.forEach((value, name) => {
      if (typeof value === 'string') fields.append(name, value);
    });
    return fields;
  } catch {
    throw new DomainError('VALIDATION_FAILED', 'the form could not be read', { field: 'body' });
  }
}

function channelKey(channel: string): keyof PageTexts['channels'] {
  return channel === 'sms' || channel === 'phone' || channel === 'post' ? channel : 'email';
}

/** Reads the form: radio values `granted`/`withdrawn`; checkboxes count only when the form carried them. */
export function wantedFrom(form: URLSearchParams): Partial<Preferences> {
  const choice = (name: string): 'granted' | 'withdrawn' | null => {
    const v = form.get(name);
    if (v === null || v === '') return null;
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
}

/** What stands on a channel, in words: each suppression there, or for phone and post without a choice, that we may call or mail. */
function channelNotes(t: PageTexts, channel: PreferenceChannel, p: Preferences): string[] {
  const notes = p.standing[channel].map((reason) => t.standing[reason]);
  if ((channel === 'phone' || channel === 'post') && p.marketing[channel] === null && p.standing[channel].length === 0) {
    notes.push(t.mayContactUnlessRefused[channel]);
  }
  return notes;
}

function preferencePage({ lang, brand, customer, preferences: p, message }: PreferencePageInput): string {
  const t = PAGE_TEXTS[lang];
  const radios = (name: string, current: 'granted' | 'withdrawn' | null, label: string, noLabel: string, notes: string[]): string =>
    `<fieldset><legend>${escapeHtml(label)}${current === null ? ` <span class="note">(${escapeHtml(t.notChosen)})</span>` : ''}</legend>
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
<p>${escapeHtml(t.greeting(firstName(customer)))}</p><p>${escapeHtml(t.intro)}</p><form method="post">
${PREFERENCE_CHANNELS.map((c) => radios(`marketing.${c}`, p.marketing[c], t.channels[c], noLabel(c), channelNotes(t, c, p))).join('\n')}
${radios('partner.email', p.partnerEmail, t.partner, t.no, [])}
<fieldset><legend>${escapeHtml(t.objectionsHeading)}</legend><input type="hidden" name="objections" value="shown">
${box('object.direct_marketing', p.objectsToDirectMarketing, t.objectDirectMarketing)}
${box('object.profiling', p.objectsToProfiling, t.objectProfiling)}</fieldset>
<button type="submit">${escapeHtml(t.save)}</button></form><p class="note">${escapeHtml(t.serviceNote)}</p>`,
    brand,
  );
}
