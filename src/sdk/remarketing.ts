/**
 * lupa.js's remarketing lists (docs/sites-and-ads.md, "Remarketing lists"): which of Lupa's lists
 * the visitor is on, asked from `GET /v1/remarketing/lists`, for the site's own code and for
 * Google's tag. Only with `site_ads` consent: without it there is no visitor id, nothing is asked
 * and the answer is empty (compliance.md §2 rule 9). The lists reach `window.dataLayer` as the event
 * `{event: 'lupa_remarketing', lupa_lists: [names], lupa_list_ids: [ids]}` only while Consent Mode's
 * `ad_personalization` is granted: Google's tag builds audiences from it. Kept apart from lupa.ts so
 * that it can be tested without a browser.
 */

/** A list the visitor is on, as the site's tag sees it. */
export interface RemarketingListRef {
  id: number;
  name: string;
}

/** The dataLayer event name Google's tag triggers on. */
export const REMARKETING_EVENT = 'lupa_remarketing';

export interface RemarketingAsk {
  /** Where Lupa answers (no trailing slash needed). */
  base: string;
  site: string;
  /** The visitor id; null without `site_ads` consent. */
  visitorId: string | null;
  /** Whether Consent Mode's ad_personalization is granted (the dataLayer event is pushed only then). */
  adPersonalization: boolean;
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  /** The page's dataLayer (made when missing). */
  dataLayer: () => unknown[];
}

/**
 * The lists the visitor is on; empty without a visitor id (nothing asked) or when Lupa cannot be
 * reached (the page goes on). Pushes the dataLayer event when `adPersonalization`.
 */
export async function remarketingLists(ask: RemarketingAsk): Promise<RemarketingListRef[]> {
  if (ask.visitorId === null) return [];
  const url = `${ask.base.replace(/\/$/, '')}/v1/remarketing/lists?visitor=${encodeURIComponent(ask.visitorId)}&site=${encodeURIComponent(ask.site)}`;
  let lists: RemarketingListRef[] = [];
  try {
    const res = await ask.fetch(url, { credentials: 'omit' });
    const body = res.ok ? ((await res.json()) as { lists?: RemarketingListRef[] }) : {};
    lists = Array.isArray(body.lists) ? body.lists : [];
  } catch {
    lists = [];
  }
  if (ask.adPersonalization) ask.dataLayer().push({ event: REMARKETING_EVENT, lupa_lists: lists.map((l) => l.name), lupa_list_ids: lists.map((l) => l.id) });
  return lists;
}
