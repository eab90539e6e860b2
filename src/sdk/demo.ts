/// <reference lib="dom" />
/**
 * The demo page's script (`/sdk/demo`, src/http/routes/sdk.ts): a stand-in for a site's consent
 * banner and pages, showing what lupa.js does with each choice: the requests sent and Lupa's
 * answers, the cookie, the Consent Mode signals pushed to the dataLayer, and Meta hashes.
 */
import type { lupa as Lupa } from './lupa.ts';

const lupa = (window as unknown as { lupa: typeof Lupa }).lupa;
const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

function show(id: string, value: unknown): void {
  $(id).textContent = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

function cookieState(): string {
  const cookie = document.cookie;
  return cookie === '' ? '(no cookie)' : cookie;
}

function consentSignals(): unknown[] {
  const layer = (window as unknown as { dataLayer?: ArrayLike<unknown>[] }).dataLayer ?? [];
  return layer.filter((entry) => entry[0] === 'consent').map((entry) => Array.from(entry));
}

function refresh(): void {
  show('cookie', cookieState());
  show('signals', consentSignals());
  show('visitor', lupa.state());
}

const sent: unknown[] = [];
lupa.init({
  site: 'demo.lupa',
  flushMs: 200,
  onSend: (body, status, answer) => {
    sent.unshift({ status, body, answer });
    // The sign-in's outcome is the server's answer to the batch that carried it, not the click's.
    if (JSON.stringify(body).includes('"identify"')) show('identified', status === null ? 'sent as a beacon: no answer to show' : status === 200 ? 'signed in (the server took the token)' : `refused by the server (${status}): ${JSON.stringify(answer)}`);
    show('sent', sent.slice(0, 10));
    document.body.dataset.sent = String(sent.length);
    refresh();
  },
});
lupa.page();
refresh();

/** Fills the demo's ad slot (placement `demo`) under the consent as it stands, and shows what happened. */
function fillAd(): void {
  void lupa.ads.fill($('ad-slot'), { placement: 'demo' }).then((filled) => {
    show('ad-state', filled ?? 'no ad runs in placement "demo" (create one: lupa ads create --placement demo …)');
  });
}

new MutationObserver(() => {
  if ($('ad-slot').dataset.lupaImpression === 'sent') show('ad-state', `${$('ad-state').textContent ?? ''}\nimpression sent (half visible for a second)`);
}).observe($('ad-slot'), { attributes: true, attributeFilter: ['data-lupa-impression'] });

function choose(siteAds: boolean, adAudience: boolean, analytics: boolean): void {
  lupa.consent({ site_ads: siteAds, ad_audience: adAudience, analytics });
  $('banner').hidden = true;
  $('change').hidden = false;
  refresh();
  fillAd();
}

$('accept').addEventListener('click', () => choose(true, true, true));
$('reject').addEventListener('click', () => choose(false, false, false));
$('save').addEventListener('click', () => choose($<HTMLInputElement>('c-site-ads').checked, $<HTMLInputElement>('c-ad-audience').checked, $<HTMLInputElement>('c-analytics').checked));
$('change').addEventListener('click', () => {
  $('banner').hidden = false;
  $('change').hidden = true;
});
$('fill').addEventListener('click', fillAd);
$('track').addEventListener('click', () => {
  lupa.track('demo_click', { button: 'track' });
});
$('identify').addEventListener('click', () => {
  const ok = lupa.identify($<HTMLInputElement>('token').value.trim());
  show('identified', ok ? 'sending…' : 'not sent: identify needs site_ads consent');
});
$('hash').addEventListener('click', () => {
  void lupa.hashForMeta({ email: $<HTMLInputElement>('email').value, phone: $<HTMLInputElement>('phone').value }).then((hashes) => {
    show('hashes', hashes ?? 'not computed: needs ad_audience consent');
  });
});
