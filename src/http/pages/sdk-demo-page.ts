/**
 * The SDK's demo page (`/sdk/demo`): a fake consent banner and a few buttons over lupa.js, with
 * panels that show what it does. Its script is `/sdk/demo.js` (src/sdk/demo.ts), so the page runs
 * under a CSP without inline script.
 */
export const SDK_DEMO_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>lupa.js demo</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem; color: #1a1a1a; }
section { border: 1px solid #bbb; border-radius: 6px; padding: 0.5rem 1rem; margin: 1rem 0; }
#banner { background: #f4f4ef; border-color: #333; }
pre { background: #f6f6f6; padding: 0.5rem; overflow-x: auto; white-space: pre-wrap; word-break: break-all; max-height: 24rem; }
button { font: inherit; padding: 0.3rem 0.8rem; margin: 0.2rem 0.4rem 0.2rem 0; }
label { display: block; margin: 0.2rem 0; }
input[type=text] { font: inherit; width: 100%; max-width: 30rem; box-sizing: border-box; }
#ad-slot { min-height: 6rem; border: 1px dashed #888; padding: 0.5rem; }
.lupa-ad { display: flex; flex-direction: column; gap: 0.2rem; color: #0b3d91; }
.lupa-ad-image { max-width: 12rem; }
</style>
</head>
<body>
<main>
<h1>lupa.js demo</h1>
<p>A stand-in for a site using Lupa's browser SDK against this server. Nothing is stored in the browser before you choose, and without consent to site ads nothing at all.</p>
<section id="banner" aria-labelledby="banner-title">
<h2 id="banner-title">Cookies and ads (a fake consent banner)</h2>
<label><input type="checkbox" id="c-site-ads"> Ads on our sites and their measurement (site_ads)</label>
<label><input type="checkbox" id="c-ad-audience"> Ads on other services to you as our customer (ad_audience)</label>
<label><input type="checkbox" id="c-analytics"> Statistics (analytics)</label>
<button type="button" id="accept">Accept all</button>
<button type="button" id="reject">Reject all</button>
<button type="button" id="save">Save choices</button>
</section>
<button type="button" id="change" hidden>Change consent</button>
<section aria-labelledby="actions-title">
<h2 id="actions-title">Try it</h2>
<button type="button" id="track">Send an event</button>
<label for="token">Identify token (from <code>POST /v1/sites/identify-tokens</code>)</label>
<input type="text" id="token" autocomplete="off">
<button type="button" id="identify">Identify</button>
<pre id="identified"></pre>
<label for="email">E-mail</label>
<input type="text" id="email" autocomplete="off" value=" Anna.Virtanen@Example.FI">
<label for="phone">Phone</label>
<input type="text" id="phone" autocomplete="off" value="040 123 4567">
<button type="button" id="hash">Hash for Meta</button>
<pre id="hashes"></pre>
</section>
<section aria-labelledby="ad-title">
<h2 id="ad-title">An ad slot (placement <code>demo</code>)</h2>
<p>Filled once the banner is answered: chosen from the customer's orders only with consent to site ads and after signing in, otherwise the placement's default ad. The impression is sent once half of the ad has been visible for a second.</p>
<button type="button" id="fill">Fill the ad slot</button>
<div id="ad-slot"></div>
<pre id="ad-state"></pre>
</section>
<section aria-labelledby="cookie-title"><h2 id="cookie-title">Cookie</h2><pre id="cookie"></pre><pre id="visitor"></pre></section>
<section aria-labelledby="signals-title"><h2 id="signals-title">Consent Mode signals (dataLayer)</h2><pre id="signals"></pre></section>
<section aria-labelledby="sent-title"><h2 id="sent-title">Requests sent</h2><pre id="sent"></pre></section>
</main>
<script src="/sdk/lupa.js"></script>
<script src="/sdk/demo.js"></script>
</body>
</html>
`;
