/**
 * The one way the console shows a code the API returns (reason, legal basis, customer kind, product
 * category, sold-via, delivery state, campaign status, purpose, channel): its text in the person's
 * language from the catalogue (section `codes`, and `purposes`, `channels`, `statuses`). A code
 * without a text — one added on the server before the console has a text for it, or an operator's
 * own product category — is shown readably ("NEW_RULE" → "new rule"), never as a crash.
 * test/console/codes.test.ts checks that every code of src/core has a text in every language.
 */
import type { TFunction } from 'i18next';

export type CodeKind = 'reason' | 'basis' | 'kind' | 'category' | 'soldVia' | 'deliveryState' | 'campaignStatus' | 'purpose' | 'channel' | 'source';

/**
 * Where ledger records come from, as Lupa itself writes them (the agent's form, pages, mail and
 * SMS replies, imports of the demo and the docs). A source is free text for importers: another is
 * shown readably.
 */
export const KNOWN_SOURCES = [
  'agent', 'web_form', 'web', 'call', 'telesales_call', 'phone', 'customer_service', 'letter', 'competition', 'cookie_banner',
  'preference_centre', 'preference_page', 'unsubscribe_link', 'unsubscribe_mail', 'sms_stop', 'complaint', 'import', 'dpo',
] as const;

/** Where each kind's texts are in the catalogue. */
export const CODE_SECTIONS: Record<CodeKind, string> = {
  reason: 'codes.reasons',
  basis: 'codes.bases',
  kind: 'codes.kinds',
  category: 'codes.categories',
  soldVia: 'codes.soldVia',
  deliveryState: 'codes.deliveryStates',
  campaignStatus: 'statuses',
  purpose: 'purposes',
  channel: 'channels',
  source: 'codes.sources',
};

/** A code without a text, made readable: `NOT_SIMILAR_PRODUCT` → `not similar product`. */
export function readableCode(code: string): string {
  const words = code.replace(/[_\s]+/g, ' ').trim();
  return words === words.toUpperCase() ? words.toLowerCase() : words;
}

/**
 * The text of `code` of the given kind. A reason of a message's further purpose comes qualified
 * from the API (`partner_marketing:NO_LEGAL_BASIS`, core/message-purposes.ts) and reads
 * "partner marketing: No legal basis".
 */
export function codeText(t: TFunction, kind: CodeKind, code: string): string {
  if (kind === 'reason') {
    const colon = code.indexOf(':');
    if (colon > 0) return t('codes.qualified', { purpose: codeText(t, 'purpose', code.slice(0, colon)), reason: codeText(t, 'reason', code.slice(colon + 1)) });
  }
  const fallback = readableCode(code);
  // Only a plain word is looked up: `.` and `:` mean nesting and namespaces to i18next.
  if (!/^[A-Za-z0-9_]+$/.test(code)) return fallback;
  const text: unknown = t(`${CODE_SECTIONS[kind]}.${code}`, { defaultValue: fallback });
  return typeof text === 'string' && text !== '' ? text : fallback;
}

/** A ledger record as the API gives it (only what the line needs). */
export type LedgerLineRecord =
  | { kind: 'consent'; purpose: string; channel: string | null; value: string }
  | { kind: 'objection'; scope: string; value: string };

/**
 * A ledger record as a sentence: "Consented to marketing by e-mail", "Vastusti suoramarkkinointia",
 * "Återkallade samtycket till marknadsföring i alla kanaler".
 */
export function ledgerLine(t: TFunction, r: LedgerLineRecord): string {
  const lines = 'codes.ledgerLines';
  if (r.kind === 'objection') {
    const key = r.value === 'withdrawn' ? 'objectionWithdrawn' : 'objected';
    return t(`${lines}.${key}.${r.scope}`, { defaultValue: `${readableCode(key)}: ${readableCode(r.scope)}` });
  }
  const purpose: unknown = t(`${lines}.purposeTo.${r.purpose}`, { defaultValue: codeText(t, 'purpose', r.purpose) });
  const channel = r.channel === null ? t(`${lines}.everyChannel`) : t(`${lines}.channelBy.${r.channel}`, { defaultValue: codeText(t, 'channel', r.channel) });
  // Phone and post marketing need no consent, only no refusal (compliance.md): a withdrawal there is
  // a "don't call me" / "no letters", and reads as the refusal it is.
  const refusal = r.value === 'withdrawn' && (r.channel === 'phone' || r.channel === 'post');
  return t(`${lines}.${refusal ? 'refused' : r.value === 'withdrawn' ? 'consentWithdrawn' : 'consentGranted'}`, { purpose: String(purpose), name: codeText(t, 'purpose', r.purpose), channel });
}
