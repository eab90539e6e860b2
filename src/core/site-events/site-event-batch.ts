/**
 * A request of `POST /v1/events` read and checked: the envelope (site, consent, visitor id) and each
 * event on its own, so that every fault is named by the event's index and field
 * (`events.3.name`). A batch with any fault is refused whole (nothing of it is stored), so an
 * acknowledgement always covers every event sent.
 *
 * The visitor id is the line between the two ways events are kept (site-events.ts): it must be
 * there when `consent.site_ads` is true and must be absent when it is not, so that nothing sent
 * without consent can be tied to a visitor, even by mistake.
 */
import { z } from 'zod';
import type { Instant } from '../records.ts';
import { hourOf, PAGE_VIEW, type EventCount, type SiteConsent, type SiteEventBatch, type VisitorEvent } from './site-events.ts';
import { PLACEMENT_PATTERN } from '../site-ads/site-ads.ts';
import { checkPhone } from '../addresses.ts';

/** How many events one request may carry (the SDK sends at most 20). */
export const MAX_EVENTS_PER_REQUEST = 100;

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/;
const VISITOR_ID = /^[A-Za-z0-9_-]{16,64}$/;
const SITE = /^[a-z0-9][a-z0-9.-]{0,99}$/;

/** A page as the SDK sends it (`location.pathname`): a path on the site, never a bare word or a whole URL. */
const PAGE_MESSAGE = 'a path on the site, starting with / (e.g. /urheilu)';
/** A path: one leading slash. `//host/a` is a whole address without its scheme (a browser reads it as another site). */
const isSitePath = (page: string): boolean => page.startsWith('/') && !page.startsWith('//');
const Page = z.string().min(1).max(2000).refine(isSitePath, PAGE_MESSAGE);

const PropValue = z.union([z.string().max(500), z.number(), z.boolean(), z.null()]);
const Props = z.record(z.string().min(1).max(50), PropValue).refine((p) => Object.keys(p).length <= 20, 'at most 20 properties');

export const EventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('page'),
    page: Page,
    slot: z.string().regex(PLACEMENT_PATTERN, 'an ad slot: a-z, 0-9, - and _, at most 40').optional(),
    props: Props.optional(),
    at: z.iso.datetime({ offset: true }).optional(),
  }),
  z.object({
    type: z.literal('track'),
    name: z.string().regex(NAME, 'letters, digits and _ . : - (at most 100)'),
    page: Page,
    slot: z.string().regex(PLACEMENT_PATTERN, 'an ad slot: a-z, 0-9, - and _, at most 40').optional(),
    props: Props.optional(),
    at: z.iso.datetime({ offset: true }).optional(),
  }),
  z.object({
    type: z.literal('identify'),
    token: z.string().min(1).max(512),
    /** When given, the customer the page believes signed in: the token must name the same one. */
    customerId: z.string().min(1).max(100).optional(),
    at: z.iso.datetime({ offset: true }).optional(),
  }),
]);
export type SiteEventInput = z.infer<typeof EventSchema>;

const EnvelopeSchema = z.object({
  site: z.string().regex(SITE, 'a site name: lowercase letters, digits, . and - (e.g. uutisvirta.fi)'),
  consent: z.object({ site_ads: z.boolean(), ad_audience: z.boolean().optional(), analytics: z.boolean().optional() }),
  visitorId: z.string().regex(VISITOR_ID, '16–64 letters, digits, _ or -').optional(),
  events: z.array(z.unknown()).min(1).max(MAX_EVENTS_PER_REQUEST),
});

/** One fault: the event's index (null for the envelope), the field as a dotted path, and what is wrong. */
export interface EventFault {
  index: number | null;
  field: string;
  message: string;
}

/** An identify event still to be checked against its token. */
export interface PendingIdentify {
  index: number;
  token: string;
  customerId: string | null;
  at: Instant;
}

export interface ParsedBatch {
  site: string;
  consent: SiteConsent;
  visitorId: string | null;
  batch: SiteEventBatch;
  identifies: PendingIdentify[];
}

/**
 * Reads a request body (already JSON-parsed) received at `now`. Returns the batch sorted into
 * per-visitor rows (only with `site_ads` consent) and counts (without it), or every fault found.
 */
export function parseSiteEventBatch(body: unknown, now: Instant): { ok: true; value: ParsedBatch } | { ok: false; faults: EventFault[] } {
  const envelope = EnvelopeSchema.safeParse(body);
  if (!envelope.success) return { ok: false, faults: envelope.error.issues.slice(0, 20).map((i) => faultOf(null, i.path, i.message)) };
  const { site, consent, visitorId, events } = envelope.data;
  const faults: EventFault[] = [];
  if (consent.site_ads && visitorId === undefined) faults.push({ index: null, field: 'visitorId', message: 'a visitor id is required with site_ads consent' });
  if (!consent.site_ads && visitorId !== undefined) faults.push({ index: null, field: 'visitorId', message: 'no visitor id may be sent without site_ads consent' });
  const parsed: SiteEventInput[] = [];
  events.forEach((raw, index) => {
    const fast = wellFormedEvent(raw);
    const result = fast === null ? EventSchema.safeParse(raw) : { success: true as const, data: fast };
    if (!result.success) {
      const issue = result.error.issues[0];
      faults.push(faultOf(index, issue?.path ?? [], issue?.message ?? 'invalid'));
      return;
    }
    const personal = result.data.type === 'identify' ? null : personalProp(result.data.props);
    if (personal !== null) {
      faults.push({ index, field: `events.${index}.props.${personal.key}`, message: `holds ${personal.what}: event properties are pseudonymous, a person is named only through an identify token` });
      return;
    }
    if (result.data.type === 'identify' && !consent.site_ads) faults.push({ index, field: `events.${index}.type`, message: 'identify needs site_ads consent (without it there is no visitor to sign in)' });
    parsed.push(result.data);
  });
  if (faults.length > 0) return { ok: false, faults };
  const vid = consent.site_ads ? (visitorId ?? null) : null;
  return { ok: true, value: sortBatch(site, toConsent(consent), vid, parsed, now) };
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/;

const isText = (v: unknown, min: number, max: number): v is string => typeof v === 'string' && v.length >= min && v.length <= max;
const isOptionalText = (v: unknown, max: number): v is string | undefined => v === undefined || isText(v, 1, max);

/** An instant as the SDK writes it (`toISOString()`), and a real one: what zod's ISO check also takes. */
function isSdkInstant(v: unknown): v is string {
  if (typeof v !== 'string' || !ISO_UTC.test(v)) return false;
  const ms = Date.parse(v);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 19) === v.slice(0, 19);
}

function isProps(v: unknown): v is Record<string, string | number | boolean | null> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  if (keys.length > 20) return false;
  for (const key of keys) {
    if (key.length < 1 || key.length > 50) return false;
    const value = (v as Record<string, unknown>)[key];
    if (!(value === null || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && value.length <= 500))) return false;
  }
  return true;
}

/**
 * The common case read without zod (it costs most of a request's time otherwise): an event exactly
 * as the SDK sends it, or null for anything else, which `EventSchema` then reads and names the fault
 * of. Everything taken here `EventSchema` takes too, with the same result
 * (site-event-batch.test.ts holds them to it).
 */
export function wellFormedEvent(raw: unknown): SiteEventInput | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const e = raw as Record<string, unknown>;
  if (e.at !== undefined && !isSdkInstant(e.at)) return null;
  const at = e.at === undefined ? {} : { at: e.at as string };
  if (e.type === 'identify') {
    if (!isText(e.token, 1, 512) || !isOptionalText(e.customerId, 100)) return null;
    return { type: 'identify', token: e.token, ...(e.customerId === undefined ? {} : { customerId: e.customerId }), ...at };
  }
  if (e.type !== 'page' && e.type !== 'track') return null;
  if (!isText(e.page, 1, 2000) || !isSitePath(e.page) || (e.slot !== undefined && (typeof e.slot !== 'string' || !PLACEMENT_PATTERN.test(e.slot))) || (e.props !== undefined && !isProps(e.props))) return null;
  const rest = { page: e.page, ...(e.slot === undefined ? {} : { slot: e.slot }), ...(e.props === undefined ? {} : { props: e.props as Record<string, string | number | boolean | null> }), ...at };
  if (e.type === 'page') return { type: 'page', ...rest };
  return typeof e.name === 'string' && NAME.test(e.name) ? { type: 'track', name: e.name, ...rest } : null;
}

/**
 * The first property whose text holds an e-mail address or a phone number, or null. Events are
 * kept per visitor under a pseudonymous id; a person is named only through an identify token
 * (the site's back end vouching for who signed in), never by what a page puts in a property.
 * Only texts are read: a number property is a count, a price or an id.
 */
export function personalProp(props: Record<string, string | number | boolean | null> | undefined): { key: string; what: 'an e-mail address' | 'a phone number' } | null {
  if (props === undefined) return null;
  for (const [key, value] of Object.entries(props)) {
    if (typeof value !== 'string') continue;
    if (holdsEmail(value)) return { key, what: 'an e-mail address' };
    if (holdsPhone(value)) return { key, what: 'a phone number' };
  }
  return null;
}

/** Characters that end a word an address could be in (one linear split, no backtracking). */
const WORD_BREAK = /[\s,;<>()[\]{}"'|]+/;

/** Whether a word of the text is `something@domain.tld` (also URL-encoded, `%40`, as in a copied link). */
function holdsEmail(text: string): boolean {
  if (!text.includes('@') && !/%40/i.test(text)) return false;
  for (const raw of text.replace(/%40/gi, '@').split(WORD_BREAK)) {
    let end = raw.length;
    while (end > 0 && '.!?:'.includes(raw[end - 1] ?? '')) end -= 1;
    const word = raw.slice(0, end);
    const at = word.lastIndexOf('@');
    if (at <= 0) continue;
    const domain = word.slice(at + 1);
    const dot = domain.lastIndexOf('.');
    if (dot > 0 && dot < domain.length - 1) return true;
  }
  return false;
}

/** Characters a written phone number is made of. */
const PHONE_CHARS = '0123456789+-(). \u00a0/';

/**
 * Whether a run of digits and the separators phone numbers are written with is a phone number as
 * `checkPhone` reads one (with `+` or its trunk 0: a date, an order number or a price is not).
 * A run holding several numbers is also read a few groups at a time; each character is read a
 * bounded number of times.
 */
function holdsPhone(text: string): boolean {
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const inRun = i < text.length && PHONE_CHARS.includes(text[i] ?? '');
    if (inRun && start === -1) start = i;
    if (!inRun && start !== -1) {
      if (phoneRun(text.slice(start, i))) return true;
      start = -1;
    }
  }
  return false;
}

function phoneRun(run: string): boolean {
  const digits = run.replace(/\D/g, '').length;
  if (digits < 7) return false;
  if (digits <= 15 && checkPhone(run).ok) return true;
  const groups = run.split(/[\s\u00a0/]+/).filter((g) => /\d/.test(g));
  for (let from = 0; from < groups.length; from++) {
    for (let to = from + 1; to <= Math.min(groups.length, from + 4); to++) {
      const part = groups.slice(from, to).join(' ');
      const n = part.replace(/\D/g, '').length;
      if (n > 15) break;
      if (n >= 7 && checkPhone(part).ok) return true;
    }
  }
  return false;
}

function toConsent(c: { site_ads: boolean; ad_audience?: boolean | undefined; analytics?: boolean | undefined }): SiteConsent {
  return { siteAds: c.site_ads, adAudience: c.ad_audience ?? null, analytics: c.analytics ?? null };
}

function sortBatch(site: string, consent: SiteConsent, visitorId: string | null, events: SiteEventInput[], now: Instant): ParsedBatch {
  const visitorEvents: VisitorEvent[] = [];
  const counts = new Map<string, EventCount>();
  const identifies: PendingIdentify[] = [];
  const hour = hourOf(now);
  events.forEach((e, index) => {
    if (e.type === 'identify') {
      identifies.push({ index, token: e.token, customerId: e.customerId ?? null, at: now });
      return;
    }
    const name = e.type === 'page' ? PAGE_VIEW : e.name;
    const page = pathOf(e.page);
    const slot = e.slot ?? null;
    if (visitorId !== null) {
      const props = e.props === undefined || Object.keys(e.props).length === 0 ? null : JSON.stringify(e.props);
      const clientAt = e.at === undefined ? null : (new Date(e.at).toISOString() as Instant);
      visitorEvents.push({ site, visitorId, type: e.type, name, page, slot, props, clientAt, at: now });
      return;
    }
    const key = `${page}\u0000${slot ?? ''}\u0000${name}`;
    const count = counts.get(key);
    if (count === undefined) counts.set(key, { site, hour, page, slot: slot ?? '', name, count: 1 });
    else count.count += 1;
  });
  return { site, consent, visitorId, identifies, batch: { events: visitorEvents, counts: [...counts.values()], identifications: [] } };
}

/**
 * The path of a page's address, without query or fragment (they may carry an e-mail address or a
 * token); a full URL is reduced to its path. At most 500 characters are kept.
 */
export function pathOf(page: string): string {
  let path = page;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(path);
  if (scheme !== null) path = path.slice(scheme[0].length);
  const cut = path.search(/[?#]/);
  if (cut !== -1) path = path.slice(0, cut);
  if (!path.startsWith('/')) path = `/${path}`;
  return path.slice(0, 500);
}

function faultOf(index: number | null, path: readonly PropertyKey[], message: string): EventFault {
  const rest = path.map(String).join('.');
  const field = index === null ? rest || 'body' : `events.${index}${rest === '' ? '' : `.${rest}`}`;
  return { index, field, message };
}
