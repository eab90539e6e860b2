/**
 * Who a demo customer is: name, language, contact details. Pure given (rng, index, seed),
 * so each customer can be generated on its own without remembering the others.
 */
import type { DemoAddress, DemoCustomer } from './demo-records.ts';
import {
  FINNISH_COMPANY_STEMS,
  FINNISH_COMPANY_SUFFIXES,
  FINNISH_FEMALE_FIRST,
  FINNISH_MALE_FIRST,
  FINNISH_STREETS,
  FINNISH_SURNAMES,
  FINNISH_TRADES,
  INTERNATIONAL_FIRST,
  INTERNATIONAL_SURNAMES,
  MOBILE_PREFIXES,
  PERSON_EMAIL_DOMAINS,
  PLACES,
  SWEDISH_COMPANY_SUFFIXES,
  SWEDISH_FEMALE_FIRST,
  SWEDISH_MALE_FIRST,
  SWEDISH_STREETS,
  SWEDISH_SURNAMES,
  SWEDISH_TRADES,
  foldForEmail,
  type Place,
} from './finnish-data.ts';
import { hashSeed, type Rng } from './random.ts';

export type Language = 'fi' | 'sv' | 'en';

/** A customer record plus the facts the rest of the generator needs (language for product taste). */
export interface Identity {
  customer: Omit<DemoCustomer, 'id'>;
  language: Language;
}

const PLACES_FI = PLACES.map((p) => [p, p.fi] as const);
const PLACES_SV = PLACES.map((p) => [p, p.sv] as const);

/** ~90 % Finnish, ~8 % Swedish (as the brief asks; above the national 5 %, the publisher has Swedish titles), a few English. */
const PERSON_LANGUAGES: readonly (readonly [Language, number])[] = [['fi', 90], ['sv', 8], ['en', 2]];

/**
 * A bijection on 0..9 999 999 (the multiplier is coprime with 10^7), so every customer index
 * below ten million gets its own 7-digit subscriber number and phones never collide.
 */
function subscriberNumber(index: number, seed: number): string {
  const offset = hashSeed(seed, 0x70686f6e) % 10_000_000;
  const n = (((index % 10_000_000) * 7_654_321) % 10_000_000 + offset) % 10_000_000;
  return String(n).padStart(7, '0');
}

function personName(rng: Rng, language: Language): { first: string; last: string } {
  const female = rng.chance(0.52);
  if (language === 'en') {
    return { first: rng.pick(INTERNATIONAL_FIRST), last: rng.pick(INTERNATIONAL_SURNAMES) };
  }
  if (language === 'sv') {
    // Mixed-language families are common on the coast: some Swedish speakers carry a Finnish surname.
    const first = rng.pick(female ? SWEDISH_FEMALE_FIRST : SWEDISH_MALE_FIRST);
    return { first, last: rng.chance(0.15) ? rng.pick(FINNISH_SURNAMES) : rng.pick(SWEDISH_SURNAMES) };
  }
  const first = rng.pick(female ? FINNISH_FEMALE_FIRST : FINNISH_MALE_FIRST);
  return { first, last: rng.chance(0.04) ? rng.pick(SWEDISH_SURNAMES) : rng.pick(FINNISH_SURNAMES) };
}

function pickPlace(rng: Rng, language: Language): Place {
  return rng.weighted(language === 'sv' ? PLACES_SV : PLACES_FI);
}

function streetAddress(rng: Rng, language: Language, place: Place, apartments: boolean): DemoAddress {
  // In Swedish-majority towns the Swedish street name is the everyday one for everybody.
  const swedishStreet = (language === 'sv' && rng.chance(0.8)) || (place.sv > place.fi && rng.chance(0.5));
  const street = rng.pick(swedishStreet ? SWEDISH_STREETS : FINNISH_STREETS);
  const number = rng.chance(0.8) ? rng.int(1, 40) : rng.int(41, 140);
  // Finnish format for a flat: "Kauppakatu 12 B 7" (staircase letter, flat number).
  const flat = apartments && rng.chance(0.55) ? ` ${rng.pick(['A', 'A', 'B', 'B', 'C', 'D'])} ${rng.int(1, 48)}` : '';
  const city = language === 'sv' && place.citySv !== undefined ? place.citySv : place.city;
  return { street: `${street} ${number}${flat}`, postalCode: place.postalCode, city, country: 'FI' };
}

function personEmail(rng: Rng, first: string, last: string, index: number): string {
  const f = foldForEmail(first);
  const l = foldForEmail(last);
  const local = rng.weighted<string>([
    [`${f}.${l}`, 50],
    [`${f}${l}`, 15],
    [`${f.charAt(0)}.${l}`, 15],
    [`${l}.${f}`, 10],
    [`${f}-${l}`, 5],
    [f, 5],
  ]);
  // Names end in a letter, so the trailing index makes every address unique.
  return `${local}${index}@${rng.weighted(PERSON_EMAIL_DOMAINS)}`;
}

export function makePerson(rng: Rng, index: number, seed: number): Identity {
  const language = rng.weighted(PERSON_LANGUAGES);
  const { first, last } = personName(rng, language);
  const place = pickPlace(rng, language);
  const customer: Omit<DemoCustomer, 'id'> = { type: 'customer', kind: 'person', name: `${first} ${last}` };
  if (rng.chance(0.9)) customer.email = personEmail(rng, first, last, index);
  if (rng.chance(0.75)) customer.phone = `+358${rng.weighted(MOBILE_PREFIXES)}${subscriberNumber(index, seed)}`;
  if (rng.chance(0.95)) customer.address = streetAddress(rng, language, place, true);
  customer.locale = language;
  return { customer, language };
}

function companyName(rng: Rng, language: Language): { name: string; slug: string } {
  if (language === 'sv') {
    const last = rng.pick(SWEDISH_SURNAMES);
    if (rng.chance(0.15)) {
      const first = rng.pick(rng.chance(0.5) ? SWEDISH_FEMALE_FIRST : SWEDISH_MALE_FIRST);
      return { name: `Fma ${first} ${last}`, slug: `${first}${last}` };
    }
    const trade = rng.pick(SWEDISH_TRADES);
    const genitive = last.endsWith('s') ? last : `${last}s`;
    return { name: `${genitive} ${trade} ${rng.weighted(SWEDISH_COMPANY_SUFFIXES)}`, slug: `${last}${trade}` };
  }
  const shape = rng.weighted<'trade-surname' | 'stem-trade' | 'tmi'>([['trade-surname', 40], ['stem-trade', 40], ['tmi', 20]]);
  if (shape === 'tmi') {
    // Toiminimi: a sole trader trading under their own name.
    const first = rng.pick(rng.chance(0.5) ? FINNISH_FEMALE_FIRST : FINNISH_MALE_FIRST);
    const last = rng.pick(FINNISH_SURNAMES);
    return { name: `Tmi ${first} ${last}`, slug: `${first}${last}` };
  }
  const trade = rng.pick(FINNISH_TRADES);
  if (shape === 'trade-surname') {
    const last = rng.pick(FINNISH_SURNAMES);
    return { name: `${trade} ${last} ${rng.weighted(FINNISH_COMPANY_SUFFIXES)}`, slug: `${trade}${last}` };
  }
  const stem = rng.pick(FINNISH_COMPANY_STEMS);
  return { name: `${stem} ${trade} ${rng.weighted(FINNISH_COMPANY_SUFFIXES)}`, slug: `${stem}${trade}` };
}

export function makeBusiness(rng: Rng, index: number, seed: number): Identity {
  const language: Language = rng.chance(0.12) ? 'sv' : 'fi';
  const { name, slug } = companyName(rng, language);
  const place = pickPlace(rng, language);
  const customer: Omit<DemoCustomer, 'id'> = { type: 'customer', kind: 'business', name };
  if (rng.chance(0.97)) {
    const mailbox = language === 'sv' ? rng.pick(['info', 'info', 'kontor']) : rng.pick(['info', 'info', 'toimisto', 'tilaukset']);
    // info@firma.fi in spirit, but under example.fi so it can never reach a real company.
    customer.email = `${mailbox}@${foldForEmail(slug).replace(/[.-]/g, '')}${index}.example.fi`;
  }
  // Landline numbers have a different length or first digit from mobiles, so they cannot collide with them.
  if (rng.chance(0.85)) customer.phone = `+358${place.area}${subscriberNumber(index, seed)}`;
  if (rng.chance(0.99)) customer.address = streetAddress(rng, language, place, false);
  customer.locale = language;
  return { customer, language };
}
