/**
 * Google Consent Mode v2 signals from a visitor's consent (docs/sites-and-ads.md), so that Google's
 * own tag on the site stores and sends only what the visitor allowed. Shared by the browser SDK and
 * the documentation's table; pure.
 *
 * - `ad_storage` (ad cookies) and `ad_personalization` (remarketing, S20): `site_ads`, the consent
 *   for ad tracking on the sites (rule 9);
 * - `ad_user_data` (user data sent to Google for ads, e.g. hashed identifiers): `site_ads` and
 *   `ad_audience` both, the latter being the account-targeting permission (rule 8);
 * - `analytics_storage`: `analytics`.
 * Anything not known to be granted is `denied`.
 */
export type ConsentSignal = 'granted' | 'denied';

export interface ConsentModeSignals {
  ad_storage: ConsentSignal;
  ad_user_data: ConsentSignal;
  ad_personalization: ConsentSignal;
  analytics_storage: ConsentSignal;
}

/** The consent the site's banner gave; undefined: not asked. */
export interface BannerConsent {
  site_ads: boolean;
  ad_audience?: boolean | undefined;
  analytics?: boolean | undefined;
}

const signal = (granted: boolean): ConsentSignal => (granted ? 'granted' : 'denied');

/** Everything denied: the default the SDK sets before the banner has answered. */
export const DENIED_SIGNALS: ConsentModeSignals = { ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied', analytics_storage: 'denied' };

/** The four Consent Mode v2 signals for `consent` (see the mapping above). */
export function consentModeSignals(consent: BannerConsent): ConsentModeSignals {
  return {
    ad_storage: signal(consent.site_ads),
    ad_user_data: signal(consent.site_ads && consent.ad_audience === true),
    ad_personalization: signal(consent.site_ads),
    analytics_storage: signal(consent.analytics === true),
  };
}
