/**
 * What the browser SDK needs of libphonenumber's metadata to read a phone number exactly as the
 * server does (src/core/addresses.ts: libphonenumber's `min` metadata, `isPossible`), for the
 * countries whose national numbers it reads: each country's calling code and international prefix,
 * and for each of those calling codes the national prefix the server strips, whether a national
 * number must carry it, and which lengths of national number the server takes.
 *
 * Derived, never typed by hand: in Node (the tests) this module computes the table from the
 * metadata when it is loaded; bin/build.mjs evaluates it at build time and puts only the resulting
 * table (a few hundred bytes) into lupa.js, so the browser never loads the metadata. A new
 * libphonenumber release therefore changes the SDK's table with the server's rules, and the build
 * fails here (rather than reading numbers otherwise than the server) if a country takes a rule the
 * SDK does not emulate.
 */
import { Metadata, type CountryCode, type MetadataJson } from 'libphonenumber-js/core';
import metadata from 'libphonenumber-js/min/metadata';

/**
 * The countries whose national numbers (written without a country code) the SDK reads: the Nordic
 * countries and those Lupa's sites most often see. Numbers written with `+` or the international
 * prefix are read for the calling codes of these countries only.
 */
export const SDK_PHONE_COUNTRIES = ['FI', 'AX', 'SE', 'NO', 'DK', 'EE', 'DE', 'AT', 'NL', 'FR', 'GB', 'IE', 'ES', 'PL', 'LV', 'LT', 'US', 'CA'] as const;

/** The longest national number libphonenumber reads (its MAX_LENGTH_FOR_NSN): longer is too long everywhere. */
const MAX_NATIONAL_LENGTH = 17;

export interface PhonePlans {
  /** country → [calling code, its international prefix as a regular expression source (`00`, `011`)]. */
  countries: Record<string, [string, string]>;
  /**
   * calling code → [the national prefix the server strips, as a regular expression source ('' for
   * none); 1 when a national number written without it is refused (the country is then a guess),
   * 0 when it may be left out (North America's 1); one letter per length 0–17 of the national
   * significant number: `y` possible in every country of the code, `n` possible in none and not too
   * long, `l` too long in every one, `?` depending on which country of the code the number is in].
   */
  codes: Record<string, [string, 0 | 1, string]>;
}

/** The numbering plan's accessors the types of libphonenumber-js do not declare. */
interface Plan {
  callingCode(): string;
  IDDPrefix(): string;
  possibleLengths(): number[];
  nationalPrefix(): string | undefined;
  nationalPrefixForParsing(): string | undefined;
  nationalPrefixTransformRule(): string | undefined;
  nationalPrefixFormattingRule(): string | undefined;
  formats(): { nationalPrefixFormattingRule(): string | undefined }[];
}

/** The minified metadata writes 0 for an absent value. */
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function planOf(meta: Metadata, country: string): Plan {
  meta.selectNumberingPlan(country as CountryCode);
  return meta.numberingPlan as unknown as Plan;
}

/** How a national number of `length` digits stands against one country's possible lengths (libphonenumber's checkNumberLength). */
function lengthState(lengths: number[], length: number): 'y' | 'n' | 'l' {
  if (lengths.includes(length)) return 'y';
  return length > Math.max(...lengths) ? 'l' : 'n';
}

export function derivePhonePlans(json: MetadataJson = metadata): PhonePlans {
  const meta = new Metadata(json);
  const plans: PhonePlans = { countries: {}, codes: {} };
  for (const country of SDK_PHONE_COUNTRIES) {
    const plan = planOf(meta, country);
    const code = plan.callingCode();
    plans.countries[country] = [code, plan.IDDPrefix()];
    const sharing = json.country_calling_codes[code] ?? [];
    // An international number is read with its calling code's main (first) country's prefix rule, a
    // national one with its country's: the SDK keeps one rule per code, so they must agree.
    const main = planOf(meta, sharing[0] ?? country);
    const prefix = text(main.nationalPrefixForParsing()) || text(main.nationalPrefix());
    const own = planOf(meta, country);
    if ((text(own.nationalPrefixForParsing()) || text(own.nationalPrefix())) !== prefix) throw new Error(`phone plans: ${country} strips another national prefix than ${sharing[0]} (the SDK keeps one per calling code)`);
    // A rule that rewrites the number (a transform, or a prefix with groups: carrier codes) is not emulated.
    if (text(main.nationalPrefixTransformRule()) !== '' || text(own.nationalPrefixTransformRule()) !== '' || (new RegExp(`(?:${prefix})|`).exec('')?.length ?? 1) !== 1) {
      throw new Error(`phone plans: the national prefix rule of ${country} rewrites the number, which the SDK does not emulate`);
    }
    // The server refuses a national number written without the prefix where the national format
    // would show it (src/core/addresses.ts, no_prefix): in any country sharing the code, since the
    // number's format is its own country's.
    const np = text(main.nationalPrefix());
    const shown = sharing.some((c) => {
      const p = planOf(meta, c);
      return [p.nationalPrefixFormattingRule(), ...p.formats().map((f) => f.nationalPrefixFormattingRule())].some((rule) => np !== '' && text(rule).includes(np));
    });
    let states = '';
    for (let length = 0; length <= MAX_NATIONAL_LENGTH; length++) {
      const each = new Set(sharing.map((c) => lengthState(planOf(meta, c).possibleLengths(), length)));
      states += each.size === 1 ? [...each][0] : '?';
    }
    plans.codes[code] = [prefix, prefix !== '' && shown ? 1 : 0, states];
  }
  return plans;
}

/** The table lupa.js carries (replaced by its value when the SDK is built). */
export const PHONE_PLANS: PhonePlans = derivePhonePlans();
