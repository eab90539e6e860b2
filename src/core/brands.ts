/**
 * Brands: the titles a media house sends for, each with its own sender (From name and address) and
 * DKIM key. The brand named `default` is made of the single-sender settings (LUPA_SENDER_NAME,
 * LUPA_SENDER_ADDRESS, LUPA_DKIM_*); others come from LUPA_BRANDS_FILE (src/brands-config.ts).
 */
import { normaliseEmail } from './addresses.ts';

export const DEFAULT_BRAND = 'default';

/**
 * Whether a sender address is one address and nothing more (RFC 5322 addr-spec, checked as every
 * stored address is): no line break or other control character, no second address, no display
 * name, so that no value can add a header or name a second sender.
 */
export function isOneAddress(value: string): boolean {
  return !/[\u0000-\u001f\u007f]/.test(value) && normaliseEmail(value) !== null && !/[\s,;<>()"]/.test(value.trim());
}

/**
 * How a brand signs. `partial`: some of the three DKIM settings given and not all, which would send
 * unsigned while the operator believes it signs; it is reported and refused, never ignored. An
 * Ed25519 key given without an RSA key is `partial` too: many receivers do not verify Ed25519 yet,
 * so it signs only alongside RSA. `on` carries the RSA key and, optionally, the Ed25519 one.
 */
export type DkimSetting =
  | { state: 'off' }
  | { state: 'on'; domain: string; selector: string; keyFile: string; ed25519: Ed25519Setting }
  | { state: 'partial'; given: string[]; missing: string[] };

/**
 * A brand's second key, Ed25519 (RFC 8463), signed alongside its RSA key for the same domain under
 * a selector of its own. `partial`: a selector without a key file or the other way round.
 */
export type Ed25519Setting = { state: 'off' } | { state: 'on'; selector: string; keyFile: string } | { state: 'partial'; given: string[]; missing: string[] };

export interface Brand {
  /** Lowercase letters, digits and `-`; `default` for the single-sender settings. */
  name: string;
  fromName: string;
  fromAddress: string;
  dkim: DkimSetting;
}

/** The sender a campaign's messages carry: its own From, else its brand's. */
export function senderOf(campaign: { from: { name: string; address: string } | null }, brand: Pick<Brand, 'fromName' | 'fromAddress'>): { name: string; address: string } {
  return campaign.from ?? { name: brand.fromName, address: brand.fromAddress };
}

/** The brand a campaign sends as (`default` when it names none). */
export function brandNameOf(campaign: { brand: string | null }): string {
  return campaign.brand ?? DEFAULT_BRAND;
}
