/// <reference lib="dom" />
/**
 * `lupa.js`, the browser SDK (docs/sites-and-ads.md), built into dist/sdk/lupa.js and served at
 * `/sdk/lupa.js`. Dependency-free and small (a test holds it under 8 KB gzipped).
 *
 * What it stores in the browser follows the visitor's consent as the site's banner gives it:
 * a first-party visitor-id cookie only with `site_ads` consent; without it no identifier at all
 * (no cookie, no localStorage: nothing), and the events sent are counted on the server, never kept
 * per visitor. Events wait in memory until the banner has answered; they are sent in batches of at
 * most 20 with `fetch` (`keepalive`), and with `navigator.sendBeacon` when the page is hidden.
 */
import { consentModeSignals, DENIED_SIGNALS, type BannerConsent, type ConsentModeSignals } from '../core/site-events/consent-mode.ts';
import { createAds } from './ads.ts';
import { hashForMeta } from './meta-identifiers.ts';
import { remarketingLists, type RemarketingListRef } from './remarketing.ts';

export interface InitOptions {
  /** Where Lupa answers, e.g. `https://lupa.example.fi` (default: this page's origin). */
  endpoint?: string;
  /** The site's name as Lupa knows it, e.g. `uutisvirta.fi`. */
  site: string;
  /** The country of phone numbers written without a country code (default FI). */
  country?: string;
  /** Milliseconds events wait to be sent together (default 1000). */
  flushMs?: number;
  /** Called after each batch is sent (the demo page shows them); `status` is null for a beacon. */
  onSend?: (body: unknown, status: number | null, answer: unknown) => void;
}

type Props = Record<string, string | number | boolean | null>;
type QueuedEvent = Record<string, unknown>;

const COOKIE = 'lupa_vid';
const MAX_BATCH = 20;
const MAX_QUEUE = 200;
/** Thirteen months: the longest a consent-based cookie is commonly kept before asking again. */
const COOKIE_SECONDS = 395 * 24 * 3600;

interface GtagWindow {
  dataLayer?: unknown[];
  gtag?: (...args: unknown[]) => void;
}

let options: InitOptions | null = null;
let consent: BannerConsent | null = null;
let visitorId: string | null = null;
const queue: QueuedEvent[] = [];
let timer: ReturnType<typeof setTimeout> | null = null;

/** Google's tag reads the dataLayer's Arguments objects (what `gtag()` pushes), so one is pushed the same way. */
function gtag(..._args: unknown[]): void {
  const w = window as unknown as GtagWindow;
  if (typeof w.gtag === 'function') {
    w.gtag(..._args);
    return;
  }
  w.dataLayer = w.dataLayer ?? [];
  // eslint-disable-next-line prefer-rest-params -- gtag.js recognises commands only as Arguments objects
  w.dataLayer.push(arguments);
}

function readCookie(): string | null {
  const match = /(?:^|;\s*)lupa_vid=([A-Za-z0-9_-]{16,64})(?:;|$)/.exec(document.cookie);
  return match?.[1] ?? null;
}

function writeCookie(value: string, maxAge: number): void {
  const secure = location.protocol === 'https:' ? '; Secure' : '';
  document.cookie = `${COOKIE}=${value}; Max-Age=${maxAge}; Path=/; SameSite=Lax${secure}`;
}

function newVisitorId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function endpoint(): string {
  return `${(options?.endpoint ?? location.origin).replace(/\/$/, '')}/v1/events`;
}

function schedule(): void {
  if (queue.length >= MAX_BATCH) {
    flush();
    return;
  }
  if (timer === null && consent !== null) timer = setTimeout(() => flush(), options?.flushMs ?? 1000);
}

function enqueue(event: QueuedEvent): void {
  if (options === null) return;
  if (queue.length >= MAX_QUEUE) queue.shift();
  queue.push({ ...event, at: new Date().toISOString() });
  schedule();
}

/**
 * Sends what is queued, in batches of at most 20, under the consent as it stands; nothing while the
 * banner has not answered (unless `beacon`: the page is going away, and the events are then sent as
 * without consent, counted only).
 */
function flush(beacon = false): void {
  if (timer !== null) clearTimeout(timer);
  timer = null;
  if (options === null || queue.length === 0 || (consent === null && !beacon)) return;
  const granted = consent?.site_ads === true && visitorId !== null;
  const given = consent ?? { site_ads: false };
  while (queue.length > 0) {
    const events = queue.splice(0, MAX_BATCH).filter((e) => granted || e.type !== 'identify');
    if (events.length === 0) continue;
    const body = { site: options.site, consent: given, ...(granted ? { visitorId } : {}), events };
    send(body, beacon);
  }
}

function send(body: unknown, beacon: boolean): void {
  const text = JSON.stringify(body);
  const onSend = options?.onSend;
  if (beacon && typeof navigator.sendBeacon === 'function' && navigator.sendBeacon(endpoint(), text)) {
    onSend?.(body, null, null);
    return;
  }
  // text/plain keeps the request "simple" (no CORS preflight), as a beacon's is.
  fetch(endpoint(), { method: 'POST', body: text, keepalive: true, credentials: 'omit', headers: { 'content-type': 'text/plain;charset=UTF-8' } })
    .then(async (res) => onSend?.(body, res.status, await res.json().catch(() => null)))
    .catch(() => onSend?.(body, 0, null));
}

// ---- Own-product ads (src/sdk/ads.ts; docs/sites-and-ads.md, "Own-product ads on the sites") ----
/** The ads see where Lupa is, the site and the visitor id (null without site_ads consent): nothing else. */
const ads = createAds({
  base: () => (options === null ? null : (options.endpoint ?? location.origin).replace(/\/$/, '')),
  site: () => options?.site ?? null,
  visitorId: () => visitorId,
});
// ---- end of own-product ads ----

export const lupa = {
  /** Starts the SDK; Consent Mode v2 is set to denied until `consent` says otherwise. */
  init(opts: InitOptions): void {
    options = opts;
    // Defaults must not undo an answer the banner already gave (consent called before init).
    if (consent === null) gtag('consent', 'default', { ...DENIED_SIGNALS, wait_for_update: 500 });
    else gtag('consent', 'update', consentModeSignals(consent));
    addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') flush(true);
    });
    addEventListener('pagehide', () => flush(true));
  },

  /**
   * The visitor's choices from the site's banner, on every page load and whenever they change.
   * `site_ads` true: the visitor-id cookie is read or made; false: it is deleted and events are
   * counted only. Events queued under an earlier answer are sent under that answer first; those
   * that waited for the first answer go with the next batch (`flushMs`), together with the events
   * that follow it.
   */
  consent(next: BannerConsent): ConsentModeSignals {
    if (consent !== null) flush();
    consent = { site_ads: next.site_ads === true, ad_audience: next.ad_audience, analytics: next.analytics };
    if (consent.site_ads) {
      // Written once, when made: rewritten on every page load, its thirteen months never ran out.
      const known = readCookie();
      visitorId = known ?? newVisitorId();
      if (known === null) writeCookie(visitorId, COOKIE_SECONDS);
    } else {
      visitorId = null;
      if (readCookie() !== null) writeCookie('', 0);
    }
    const signals = consentModeSignals(consent);
    gtag('consent', 'update', signals);
    // What waited for the answer starts the batch timer now rather than going at once: the events
    // the page sends as soon as it has consent (a track right after this call) join the same batch.
    if (queue.length > 0) schedule();
    return signals;
  },

  /** A page view of this page (its path only: the query and fragment are never sent). */
  page(props?: Props): void {
    enqueue({ type: 'page', page: location.pathname, ...(props === undefined ? {} : { props }) });
  },

  /** A named event (`subscription_started`), with small flat properties and an optional ad slot. */
  track(name: string, props?: Props, opts?: { slot?: string }): void {
    enqueue({ type: 'track', name, page: location.pathname, ...(props === undefined ? {} : { props }), ...(opts?.slot === undefined ? {} : { slot: opts.slot }) });
  },

  /**
   * The visitor signed in: `token` comes from the site's back end (`POST /v1/sites/identify-tokens`).
   * Only with `site_ads` consent (false otherwise: there is no visitor to sign in); sent at once.
   */
  identify(token: string, customerId?: string): boolean {
    if (consent?.site_ads !== true) return false;
    enqueue({ type: 'identify', token, ...(customerId === undefined ? {} : { customerId }) });
    flush();
    return true;
  },

  /**
   * SHA-256 of the e-mail and phone in Meta's normal form, for the Meta pixel's advanced matching;
   * null unless the visitor's `ad_audience` consent is known to be given.
   */
  async hashForMeta(input: { email?: string; phone?: string; country?: string }): Promise<{ email: string | null; phone: string | null } | null> {
    if (consent?.ad_audience !== true) return null;
    return hashForMeta({ ...input, country: input.country ?? options?.country ?? 'FI' });
  },

  /** Sends what is waiting now. */
  flush(): void {
    flush();
  },

  /** Own-product ads: `lupa.ads.fill(element, { placement })` (src/sdk/ads.ts). */
  ads,

  /** The visitor id in use (null without `site_ads` consent) and the consent given. */
  state(): { visitorId: string | null; consent: BannerConsent | null } {
    return { visitorId, consent };
  },

  // ---- Remarketing lists (docs/sites-and-ads.md#remarketing-lists; src/sdk/remarketing.ts) ----
  /**
   * The remarketing lists the visitor is on (`[{id, name}]`), to `callback` too when given; empty
   * without `site_ads` consent (nothing is asked). Pushed to `window.dataLayer` as
   * `{event: 'lupa_remarketing', lupa_lists, lupa_list_ids}` only while `ad_personalization` is granted.
   */
  remarketing(callback?: (lists: RemarketingListRef[]) => void): Promise<RemarketingListRef[]> {
    const granted = consent?.site_ads === true;
    const layer = (): unknown[] => ((window as unknown as GtagWindow).dataLayer ??= []);
    const ask = {
      base: options?.endpoint ?? location.origin,
      site: options?.site ?? '',
      visitorId: granted ? visitorId : null,
      adPersonalization: consent !== null && consentModeSignals(consent).ad_personalization === 'granted',
      fetch: (url: string, init: RequestInit) => fetch(url, init),
      dataLayer: layer,
    };
    return remarketingLists(ask).then((lists) => {
      callback?.(lists);
      return lists;
    });
  },
  // ---- end of remarketing lists ----
};

(window as unknown as { lupa: typeof lupa }).lupa = lupa;
