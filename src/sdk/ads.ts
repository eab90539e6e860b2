/// <reference lib="dom" />
/**
 * `lupa.ads`, own-product ads in the site's slots (docs/sites-and-ads.md, "Own-product ads on the
 * sites"): asks Lupa for the slot's ad (with the visitor id only when there is one, i.e. with
 * `site_ads` consent), renders it with DOM nodes and `textContent` only (the server's strings are
 * never parsed as HTML), and reports one impression once at least half of the ad has been visible
 * for one continuous second in a visible tab (the IAB/MRC display viewability rule). The link is
 * Lupa's signed click redirect, which leads only to the ad's stored target.
 */

/** What the SDK lends the ads: where Lupa is, the site's name, the visitor id (null without consent). */
export interface AdsContext {
  base(): string | null;
  site(): string | null;
  visitorId(): string | null;
}

interface Filled {
  ad: { id: number; headline: string; text: string; imageUrl: string | null };
  clickUrl: string;
  impressionToken: string;
  personalised: boolean;
}

/** Half of the ad's area (IAB display). */
const VISIBLE_RATIO = 0.5;
/** For one continuous second. */
const VISIBLE_MS = 1000;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Renders the ad into `element`; returns the ad's element (what the visitor sees), or null when not rendered. */
function render(element: HTMLElement, filled: Filled): HTMLElement | null {
  // Defence in depth: the link must be Lupa's redirect, the image https or a path (as Lupa checks on writing).
  if (!/^https?:\/\/[^/]+\/a\/click\/[\w.-]+$/.test(filled.clickUrl)) return null;
  const link = el('a', 'lupa-ad');
  link.href = filled.clickUrl;
  link.rel = 'sponsored noopener';
  const image = filled.ad.imageUrl;
  if (image !== null && /^(https:\/\/|\/(?!\/))/.test(image)) {
    const img = el('img', 'lupa-ad-image');
    img.src = image;
    img.alt = '';
    // An image that does not load leaves no empty box: the ad is its headline and text.
    img.addEventListener('error', () => img.remove(), { once: true });
    link.append(img);
  }
  // A space between: on a page without the site's styles the two would run together ("paperSeven").
  link.append(el('strong', 'lupa-ad-headline', filled.ad.headline), ' ', el('span', 'lupa-ad-text', filled.ad.text));
  element.replaceChildren(link);
  element.dataset.lupaAd = String(filled.ad.id);
  return link;
}

/** Sends the impression as a beacon (text/plain: no preflight), or with fetch keepalive. */
function report(base: string, body: object): void {
  const url = `${base}/v1/site-ads/impressions`;
  const text = JSON.stringify(body);
  if (typeof navigator.sendBeacon === 'function' && navigator.sendBeacon(url, text)) return;
  void fetch(url, { method: 'POST', body: text, keepalive: true, credentials: 'omit', headers: { 'content-type': 'text/plain;charset=UTF-8' } }).catch(() => undefined);
}

/**
 * Watches the rendered ad (not its slot: a tall slot can be half in view while the ad in it is not
 * in view at all) until half of its area has been visible for a continuous second in a visible
 * tab, then calls `done` once. An ad of no area is never seen, and one taken off the page stops
 * the second. Returns a cancel: an ad replaced before it was seen is never reported.
 */
function whenViewed(ad: HTMLElement, done: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let inView = false;
  const stop = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  const start = () => {
    if (timer === null && inView && document.visibilityState === 'visible') timer = setTimeout(fire, VISIBLE_MS);
  };
  const onVisibility = () => (document.visibilityState === 'visible' ? start() : stop());
  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        const box = entry.boundingClientRect;
        // An element of no area counts as wholly intersecting when its point is in view: nothing is seen.
        inView = entry.isIntersecting && entry.intersectionRatio >= VISIBLE_RATIO && box.width * box.height > 0;
      }
      if (inView) start();
      else stop();
    },
    { threshold: [0, VISIBLE_RATIO, 1] },
  );
  // The observer reports only a threshold crossed, and an ad that grows from no area while in view
  // (its text laid out late) crosses none: observed afresh on each change of size, it is reported now.
  const resized = new ResizeObserver(() => {
    observer.unobserve(ad);
    observer.observe(ad);
  });
  const cancel = (): void => {
    stop();
    observer.disconnect();
    resized.disconnect();
    removeEventListener('visibilitychange', onVisibility);
  };
  function fire(): void {
    // Taken off the page within the second (the observer's word on it may come a frame later).
    if (!ad.isConnected) {
      timer = null;
      inView = false;
      return;
    }
    cancel();
    done();
  }
  addEventListener('visibilitychange', onVisibility);
  observer.observe(ad);
  resized.observe(ad);
  return cancel;
}

/** The watch of the ad each slot shows now: a slot filled again reports only its new ad. */
const watching = new WeakMap<HTMLElement, () => void>();

export function createAds(ctx: AdsContext) {
  return {
    /**
     * Fills `element` with the ad Lupa chooses for `placement`. Resolves to the ad's id and whether
     * it was chosen from the customer's orders, or null (no ad runs there, Lupa did not answer, or
     * `init` was not called); the element is left as it was then.
     */
    async fill(element: HTMLElement, opts: { placement: string }): Promise<{ adId: number; personalised: boolean } | null> {
      const base = ctx.base();
      const site = ctx.site();
      if (base === null || site === null) return null;
      const visitor = ctx.visitorId();
      const query = new URLSearchParams({ site, placement: opts.placement, ...(visitor === null ? {} : { visitor }) });
      const res = await fetch(`${base}/v1/site-ads/fill?${query.toString()}`, { credentials: 'omit' }).catch(() => null);
      if (res?.status !== 200) return null;
      const filled = (await res.json()) as Filled;
      const ad = render(element, filled);
      if (ad === null) return null;
      watching.get(element)?.();
      delete element.dataset.lupaImpression;
      watching.set(
        element,
        whenViewed(ad, () => {
          watching.delete(element);
          // Per visitor only for an ad filled for this visitor id, still granted now: an ad filled
          // without consent stays in the aggregate even when consent came while it was shown.
          const now = ctx.visitorId();
          report(base, { token: filled.impressionToken, page: location.pathname, ...(now !== null && now === visitor ? { visitorId: now } : {}) });
          element.dataset.lupaImpression = 'sent';
        }),
      );
      return { adId: filled.ad.id, personalised: filled.personalised };
    },
  };
}
