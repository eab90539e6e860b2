/**
 * Sentences the server shows people, as stable codes with parameters, so that each screen can say
 * them in its reader's language: the console has a text for every code in Finnish, Swedish and
 * English (web/src/i18n, section `phrases`); the CLI and the API's `summary`, `fix` and `message`
 * use the English below. A parameter is a value (an address, a number) or a phrase of its own
 * (one level deep: "the domain ends in .test"), or a list of them, said joined with "; ".
 * Codes are added, never renamed: a console that lacks one falls back to the English text.
 */

export const PHRASES_EN = {
  // Why a domain is not a public name (core/mail-domains.ts).
  not_public_ip: 'is an IP address, not a domain name',
  not_public_reserved: 'ends in .{{suffix}}, a reserved name no mailbox provider resolves',
  not_public_internal: 'is under no public suffix (an internal name)',
  // Sending readiness (core/sending-readiness.ts): where mail goes.
  sending_development:
    'mail goes to the development inbox ({{relay}}): nothing leaves this machine, nothing is refused; what would block real sending shows as a warning',
  sending_real: 'mail goes out through {{relay}}: a marketing launch is refused while an item below is blocking',
  // The public URL.
  url_invalid: 'the public URL {{url}} is not a URL',
  url_not_https: 'unsubscribe links would start {{protocol}}//: one-click unsubscribe (RFC 8058) needs https',
  url_extras: 'the public URL has a query, fragment or credentials; links are made by appending paths to it',
  url_unreachable: 'unsubscribe links would point at {{host}}, which no mailbox provider and no recipient can reach',
  url_not_public: "the public URL's host {{host}} {{why}}",
  url_ok: 'unsubscribe and preference links start {{start}}',
  fix_public_url: 'set LUPA_PUBLIC_URL to the https:// address people reach Lupa at from the internet (e.g. https://lupa.example.fi)',
  // DKIM.
  who_brand_dkim: 'brand {{brand}}\'s "dkim" in LUPA_BRANDS_FILE',
  who_brand_ed25519: 'brand {{brand}}\'s "dkim.ed25519" in LUPA_BRANDS_FILE',
  key_not_read: 'not read',
  key_unreadable: 'cannot read it ({{code}})',
  key_not_pem: 'not a PEM private key',
  dkim_ed_without_rsa:
    'an Ed25519 key is set ({{given}}) without an RSA key ({{missing}} missing): many receivers do not verify Ed25519 (RFC 8463) yet, so to them the mail would be unsigned',
  fix_dkim_ed_without_rsa: 'set {{who}} for an RSA key as well (lupa dkim generate), which Ed25519 signs beside; or unset the Ed25519 settings',
  dkim_partial: 'DKIM is half configured ({{given}} set, {{missing}} missing): mail would go out unsigned',
  fix_set_all: 'set all of {{who}}, or none',
  dkim_off: 'brand {{brand}}: Lupa does not sign its mail; Gmail and Yahoo require DKIM from bulk senders',
  fix_dkim_off:
    'create a key (lupa dkim generate --domain DOMAIN --selector SELECTOR --out FILE), publish its record and set {{who}}; or make sure the relay signs with a d= aligned with the From domain',
  dkim_domain_not_public: 'DKIM {{where}}: the domain {{why}}',
  fix_sign_own_domain: 'sign for the domain you send from ({{who}})',
  dkim_key_unusable: 'DKIM {{where}}: the key file {{file}} cannot be used ({{problem}})',
  fix_dkim_key_file: 'point the key file setting at a PEM private key readable by Lupa (lupa dkim generate writes one)',
  dkim_key_not_rsa: 'DKIM {{where}}: the key is {{algorithm}}; this key must be RSA, which every receiver verifies',
  fix_dkim_key_not_rsa: 'use an RSA key here (lupa dkim generate --algorithm rsa); an Ed25519 key signs beside it, given as {{setting}}',
  dkim_key_too_short: 'DKIM {{where}}: a {{bits}}-bit RSA key, which verifiers reject (RFC 8301)',
  fix_dkim_key_2048: 'create a 2048-bit key: lupa dkim generate',
  dkim_key_short: 'signs as {{where}}, rsa-sha256, {{bits}}-bit key: shorter than the 2048 bits RFC 8301 asks for',
  fix_dkim_key_rotate: 'create a 2048-bit key under a new selector (lupa dkim generate), publish it, then switch',
  dkim_ok: 'brand {{brand}} signs as {{where}}, rsa-sha256, {{bits}}-bit key',
  ed_partial: 'the Ed25519 DKIM key is half configured ({{given}} set, {{missing}} missing): it would not sign',
  fix_set_both: 'set both of {{who}}, or neither',
  ed_same_selector: "DKIM {{where}}: the Ed25519 key has the RSA key's selector, but each key's record is published at a name of its own (SELECTOR._domainkey.DOMAIN)",
  fix_ed_selector: 'give the Ed25519 key a selector of its own ({{who}})',
  ed_key_unusable: 'DKIM {{where}}: the Ed25519 key file {{file}} cannot be used ({{problem}})',
  fix_ed_key_file: 'point it at the PEM private key lupa dkim generate --algorithm ed25519 wrote, readable by Lupa',
  ed_not_ed25519: 'DKIM {{where}}: the key is {{algorithm}}, not Ed25519',
  fix_ed_make: 'make an Ed25519 key (lupa dkim generate --algorithm ed25519) and set it as {{who}}',
  ed_ok: 'brand {{brand}} also signs as {{where}}, ed25519-sha256 (RFC 8463), beside its RSA signature',
  // Sender addresses and DMARC alignment.
  used_by_brand: 'brand {{brand}}',
  used_by_this_campaign: 'this campaign',
  used_by_one_campaign: '1 unfinished campaign, e.g. campaign {{id}}',
  used_by_campaigns: '{{count}} unfinished campaigns, e.g. campaign {{id}}',
  used_by_one_campaign_override: '1 unfinished campaign, with an override',
  used_by_campaigns_override: '{{count}} unfinished campaigns, each with an override',
  from_not_public: 'sender {{address}} ({{usedBy}}): the domain {{why}}',
  fix_from_own_domain: "send from an address at your own domain: --from-address, or the brand's fromAddress (LUPA_SENDER_ADDRESS for the default brand)",
  aligned_by_dkim: 'DKIM d={{domain}}',
  aligned_by_spf: "the return path's domain {{domain}} (SPF; brand {{brand}} is not signed by Lupa)",
  from_aligned: 'sender {{address}} ({{usedBy}}) aligns with {{by}}',
  from_unaligned: 'sender {{address}} ({{usedBy}}) does not align with {{by}}: organisational domains {{domain}} and {{against}} differ, so DMARC fails',
  note_overridden: '; allowed for this campaign by {{by}} at {{at}}: {{reason}}',
  note_all_overridden: '; every campaign using it has an override',
  fix_from_signed: 'send from an address at {{against}} (--from-address), or as a brand that signs for {{domain}} (--brand; brands in LUPA_BRANDS_FILE)',
  fix_from_unsigned: 'sign for {{domain}} (DKIM settings of brand {{brand}}), or send from an address at {{against}}',
  // Return path, bounces, brands, the development inbox.
  return_path_not_public: 'the return path domain {{domain}} {{why}}: receivers refuse mail whose envelope sender does not resolve',
  fix_return_path: 'set LUPA_BOUNCE_DOMAIN to a subdomain of your sending domain (e.g. bounces.example.fi) and publish its MX and SPF records',
  return_path_ok:
    'each message goes to the relay with MAIL FROM b-…@{{domain}}; checked: the domain is a public name (whether the relay keeps it cannot be seen from here: look at the Return-Path of a message you receive)',
  bounce_receiver_off: 'LUPA_BOUNCE_PORT is 0: Lupa receives no bounces by SMTP, so bad addresses are not suppressed unless a provider posts them to /v1/webhooks/bounces',
  fix_bounce_receiver: 'set LUPA_BOUNCE_PORT and point the MX of {{domain}} at this host',
  bounce_receiver_ok: 'bounces and complaints for @{{domain}} are received by SMTP on port {{port}}',
  brand_unknown: 'brand {{brand}} is not configured (known: {{known}})',
  fix_brand_unknown: 'add it to LUPA_BRANDS_FILE, or cancel the campaign and create it with another --brand',
  note_development: ' (blocks sending through a real relay)',
  // Templates (src/templates): what is wrong in a template, beside the field and line it concerns.
  template_mjml_error: 'MJML error in {{field}} at line {{line}} ({{tag}}): {{detail}}',
  template_mjml_error_anywhere: 'MJML error in {{field}}: {{detail}}',
  template_mjml_partner_error: 'MJML error in the partner block: {{detail}}',
  template_mjml_dropped_tag: '{{field}}: MJML dropped the Liquid tag {{tag}}; tags between sections must be wrapped in <mj-raw>…</mj-raw>',
  template_liquid_error: 'Liquid error in {{field}}: {{detail}}',
  template_liquid_forbidden_tag: '{{field}}: {{tag}} is not allowed (templates cannot load other files)',
  template_liquid_raw_filter: '{{field}}: the raw filter is not allowed in HTML ({{tag}}); values are always escaped',
  template_unknown_variable: 'unknown template variable "{{variable}}" in {{field}} at line {{line}}: {{allowed}}',
  template_reserved_word: '{{field}} may not contain the reserved word {{word}}',
  template_service_partner: 'a service template cannot carry a partner block: a service message with an ad is marketing',
  template_service_promo: 'a service template cannot contain promotional content (promo marker in locale {{locale}}); make it a marketing template',
  template_service_offer:
    "a service template cannot print the recipient's offer ({{variable}} in {{field}} at line {{line}}): an offer is marketing; make it a marketing template",
  template_computed_variable:
    '{{field}} at line {{line}}: {{variable}} names its variable by a value ([…] at the start), which cannot be checked; write the name out (offer.name, vars.x)',
  template_supplied_name_assigned:
    '{{field}} at line {{line}}: a template may not assign to {{variable}}, a name Lupa fills in; use another name',
  template_partner_personal: "partner block {{part}} may not contain {{what}}: partners' content is never personalised",
  partner_liquid: 'Liquid tags',
  partner_personal_variables: 'customer or links variables',
  partner_mjml: 'MJML elements (give plain HTML)',
  template_needs_subject: 'locale {{locale}} needs a subject',
  template_needs_body: 'locale {{locale}} needs an MJML body',
  template_needs_locale: 'template needs at least one locale (fi, sv or en)',
  template_partner_ad_missing: "the partner's ad is missing in {{locale}}: give partnerBlock.locales.{{locale}} (html and text), so that every reader gets it in their language",
  // Segment rules (core/segments/rule.ts): what is wrong at a place of a rule.
  rule_not_object: 'expected an object with one of {{kinds}}',
  rule_unknown_condition: 'unknown condition {{keys}}: give one of {{kinds}}',
  rule_one_condition: 'one condition per object, not {{kinds}}: put them in an "all" or "any" list',
  rule_empty_list: 'expected a list of at least one condition',
  rule_missing_one_of: 'missing: give one of {{values}}',
  rule_missing: 'missing: give a value here',
  rule_expected_number: 'expected a number',
  rule_expected_whole_number: 'expected a whole number',
  rule_expected_text: 'expected a text in quotes',
  rule_expected_boolean: 'expected true or false',
  rule_expected_list: 'expected a list [ … ]',
  rule_expected_object: 'expected an object { … }',
  rule_at_least: 'expected at least {{minimum}}',
  rule_at_most: 'expected at most {{maximum}}',
  rule_list_empty: 'expected a list that is not empty',
  rule_list_at_most: 'expected a list of at most {{maximum}} entries',
  rule_text_empty: 'expected a text that is not empty',
  rule_text_at_most: 'expected a text of at most {{maximum}} characters',
  rule_one_of: 'expected one of {{values}}',
  rule_unknown_keys: 'unknown field {{keys}}',
  rule_date: 'an ISO-8601 UTC date or instant such as 2026-01-01 or 2026-01-01T00:00:00Z',
  rule_date_range: 'a real date between the years 1900 and 2200',
  rule_event_name: 'an event name such as page_view',
  rule_page_prefix: 'a path starting with /, without ? or #',
  rule_topic_code: 'a topic code such as sport',
  rule_window: 'give before, after or withinDays',
  rule_attribute_one: 'give exactly one of equals, in, startsWith',
  rule_score_bounds: 'give atLeast, below or both',
  rule_min_weight: 'minWeight applies to inferred interests: give source inferred or any',
  rule_rfm: 'give recency, frequency or monetary',
  rule_unknown_topic: 'no interest topic "{{topic}}"',
  rule_unknown_model: 'no prediction model {{model}}',
  rule_unknown_sku: 'no product "{{sku}}"',
  rule_unknown_category: 'no product in category "{{category}}"',
  rule_unknown_campaign: 'no campaign {{campaign}}',
  rule_too_large: 'too large: at most {{nodes}} conditions and {{depth}} levels',
  rule_invalid: '{{problem}}',
} as const satisfies Record<string, string>;

export type PhraseCode = keyof typeof PHRASES_EN;

/** A phrase inside another: its parameters are plain values. */
export interface InnerPhrase {
  code: PhraseCode;
  params: Record<string, string | number>;
}

export type PhraseParam = string | number | InnerPhrase | InnerPhrase[];

export interface Phrase {
  code: PhraseCode;
  params: Record<string, PhraseParam>;
}

export function phrase(code: PhraseCode, params: Record<string, PhraseParam> = {}): Phrase {
  return { code, params };
}

function isPhrase(value: PhraseParam): value is InnerPhrase {
  return typeof value === 'object' && !Array.isArray(value);
}

/** A parameter in English: a phrase said, a list joined with "; ". */
function paramEnglish(value: PhraseParam): string {
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (isPhrase(value)) return english(value);
  return value.map(english).join('; ');
}

/** The phrase in English (what the CLI prints and the API's English fields carry). */
export function english(p: Phrase | InnerPhrase): string {
  const params: Record<string, PhraseParam> = p.params;
  return PHRASES_EN[p.code].replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : paramEnglish(value);
  });
}

/** Phrases said one after the other: a summary and the notes added to it. */
export function englishAll(phrases: readonly Phrase[]): string {
  return phrases.map(english).join('');
}
