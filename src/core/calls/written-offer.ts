/**
 * The written offer of a phone sale in Finnish, Swedish and English (compliance.md §3b): the terms
 * the Consumer Protection Act ch. 6 asks the offer to state (product, price, duration, whether it
 * continues until cancelled, the full price after any introductory period, how to cancel and
 * withdraw) and, for a sale that waits for acceptance, the link to accept it. It is a service
 * message (rule 1): it carries nothing but the offer the customer agreed to on the call. The
 * acceptance page states the same lines (`termLines`), so the customer accepts what was sent.
 */
import type { PhoneSale, SaleTerms } from './phone-sale.ts';

export type OfferLocale = 'fi' | 'sv' | 'en';

export function offerLocale(locale: string | null): OfferLocale {
  return locale === 'sv' || locale === 'en' ? locale : 'fi';
}

interface OfferTexts {
  subjectPending: (seller: string) => string;
  subjectBound: (seller: string) => string;
  greeting: string;
  introPending: (seller: string, date: string) => string;
  introBound: (seller: string) => string;
  product: string;
  price: (price: string, months: number) => string;
  fixedTerm: (months: number) => string;
  continuous: (price: string) => string;
  cancelFixed: string;
  cancelContinuous: string;
  withdrawal: string;
  acceptHere: string;
  noAcceptNoContract: string;
  pageTitle: string;
  acceptButton: string;
  accepted: (date: string) => string;
  alreadyAccepted: string;
  lapsed: string;
  bound: string;
  invalid: string;
}

const TEXTS: Record<OfferLocale, OfferTexts> = {
  fi: {
    subjectPending: (s) => `${s}: puhelimessa sovittu tilaus odottaa hyväksyntääsi`,
    subjectBound: (s) => `${s}: tilausvahvistus`,
    greeting: 'Hei,',
    introPending: (s, d) => `kiitos puhelusta. Tässä on tarjous, josta sovimme puhelimessa (myyjä: ${s}). Tilaus syntyy vasta, kun hyväksyt tarjouksen kirjallisesti viimeistään ${d}.`,
    introBound: (s) => `kiitos tilauksestasi. Tässä ovat puhelimessa sovitun tilauksen ehdot (myyjä: ${s}).`,
    product: 'Tuote',
    price: (p, m) => `Hinta: ${p} / ${m} kk`,
    fixedTerm: (m) => `Määräaikainen tilaus: ${m} kk, päättyy itsestään.`,
    continuous: (p) => `Kestotilaus: jatkuu tarjousjakson jälkeen, kunnes irtisanot sen. Hinta tarjousjakson jälkeen ${p} / kk.`,
    cancelFixed: 'Määräaikaista tilausta ei tarvitse irtisanoa.',
    cancelContinuous: 'Irtisanominen: milloin tahansa asiakaspalveluun; tilaus päättyy maksetun jakson lopussa.',
    withdrawal: 'Sinulla on 14 päivän peruuttamisoikeus tilauksen voimaantulosta.',
    acceptHere: 'Hyväksy tarjous täällä:',
    noAcceptNoContract: 'Jos et hyväksy tarjousta, tilausta ei synny eikä sinulta laskuteta mitään.',
    pageTitle: 'Puhelinmyynnin tarjous',
    acceptButton: 'Hyväksyn tarjouksen',
    accepted: (d) => `Kiitos! Hyväksyit tarjouksen ${d}. Tilaus on voimassa.`,
    alreadyAccepted: 'Tarjous on jo hyväksytty. Tilaus on voimassa.',
    lapsed: 'Tarjouksen hyväksymisaika on päättynyt. Tilausta ei syntynyt.',
    bound: 'Tilaus on voimassa.',
    invalid: 'Linkki ei kelpaa.',
  },
  sv: {
    subjectPending: (s) => `${s}: beställningen vi kom överens om per telefon väntar på ditt godkännande`,
    subjectBound: (s) => `${s}: orderbekräftelse`,
    greeting: 'Hej,',
    introPending: (s, d) => `tack för samtalet. Här är erbjudandet från ${s} som vi kom överens om. Beställningen uppstår först när du godkänner erbjudandet skriftligen senast ${d}.`,
    introBound: (s) => `tack för din beställning. Här är villkoren för beställningen du kom överens om med ${s} per telefon.`,
    product: 'Produkt',
    price: (p, m) => `Pris: ${p} / ${m} mån`,
    fixedTerm: (m) => `Tidsbunden prenumeration: ${m} mån, upphör av sig själv.`,
    continuous: (p) => `Fortlöpande prenumeration: fortsätter efter erbjudandeperioden tills du säger upp den. Pris efter erbjudandeperioden ${p} / mån.`,
    cancelFixed: 'En tidsbunden prenumeration behöver inte sägas upp.',
    cancelContinuous: 'Uppsägning: när som helst till kundtjänsten; prenumerationen upphör vid slutet av den betalda perioden.',
    withdrawal: 'Du har 14 dagars ångerrätt från att beställningen träder i kraft.',
    acceptHere: 'Godkänn erbjudandet här:',
    noAcceptNoContract: 'Om du inte godkänner erbjudandet uppstår ingen beställning och du faktureras inget.',
    pageTitle: 'Erbjudande från telefonförsäljning',
    acceptButton: 'Jag godkänner erbjudandet',
    accepted: (d) => `Tack! Du godkände erbjudandet ${d}. Prenumerationen är i kraft.`,
    alreadyAccepted: 'Erbjudandet är redan godkänt. Prenumerationen är i kraft.',
    lapsed: 'Tiden för att godkänna erbjudandet har gått ut. Ingen beställning uppstod.',
    bound: 'Prenumerationen är i kraft.',
    invalid: 'Länken är ogiltig.',
  },
  en: {
    subjectPending: (s) => `${s}: the order agreed on the phone awaits your acceptance`,
    subjectBound: (s) => `${s}: order confirmation`,
    greeting: 'Hello,',
    introPending: (s, d) => `thank you for the call. Here is the offer from ${s} we agreed on. The order is made only when you accept the offer in writing, by ${d} at the latest.`,
    introBound: (s) => `thank you for your order. Here are the terms of the order you agreed with ${s} on the phone.`,
    product: 'Product',
    price: (p, m) => `Price: ${p} for ${m} months`,
    fixedTerm: (m) => `Fixed-term subscription: ${m} months, ends by itself.`,
    continuous: (p) => `Continuous subscription: continues after the offer period until you cancel it. Price after the offer period ${p} a month.`,
    cancelFixed: 'A fixed-term subscription needs no cancelling.',
    cancelContinuous: 'Cancelling: at any time, to customer service; the subscription ends at the end of the period paid for.',
    withdrawal: 'You have 14 days to withdraw from the order after it takes effect.',
    acceptHere: 'Accept the offer here:',
    noAcceptNoContract: 'If you do not accept the offer, no order is made and you are not billed.',
    pageTitle: 'Offer from a telesales call',
    acceptButton: 'I accept the offer',
    accepted: (d) => `Thank you! You accepted the offer on ${d}. The subscription is in force.`,
    alreadyAccepted: 'The offer has been accepted already. The subscription is in force.',
    lapsed: 'The time to accept the offer has ended. No order was made.',
    bound: 'The subscription is in force.',
    invalid: 'The link is not valid.',
  },
};

export function offerTexts(locale: OfferLocale): OfferTexts {
  return TEXTS[locale];
}

/** A price in cents as the language writes it: `12,90 €` in Finnish and Swedish, `€12.90` in English. */
export function formatPrice(cents: number, currency: string, locale: OfferLocale): string {
  const tag = locale === 'fi' ? 'fi-FI' : locale === 'sv' ? 'sv-FI' : 'en-IE';
  return new Intl.NumberFormat(tag, { style: 'currency', currency }).format(cents / 100);
}

/** A date as the language writes it, in Finnish time: `15.12.2026`, `15.12.2026`, `15 December 2026`. */
export function formatDate(at: string, locale: OfferLocale): string {
  const tag = locale === 'fi' ? 'fi-FI' : locale === 'sv' ? 'sv-FI' : 'en-GB';
  return new Intl.DateTimeFormat(tag, { timeZone: 'Europe/Helsinki', day: 'numeric', month: locale === 'en' ? 'long' : 'numeric', year: 'numeric' }).format(new Date(at));
}

/** The terms as lines of text, the same in the message and on the acceptance page. */
export function termLines(terms: SaleTerms, locale: OfferLocale): string[] {
  const t = TEXTS[locale];
  const price = formatPrice(terms.priceCents, terms.currency, locale);
  const lines = [`${t.product}: ${terms.productName}`, t.price(price, terms.periodMonths)];
  if (terms.kind === 'continuous' && terms.regularMonthlyCents !== null) {
    lines.push(t.continuous(formatPrice(terms.regularMonthlyCents, terms.currency, locale)), t.cancelContinuous);
  } else {
    lines.push(t.fixedTerm(terms.periodMonths), t.cancelFixed);
  }
  lines.push(t.withdrawal);
  return lines;
}

export interface WrittenOffer {
  subject: string;
  /** The whole text: the e-mail's plain part, and the SMS. */
  text: string;
}

/**
 * The message of a sale: with `acceptUrl` the offer waiting for acceptance (and the deadline),
 * without it the confirmation of a sale that bound under an exception. `seller` is the name the
 * customer heard on the call (LUPA_SENDER_NAME).
 */
export function writtenOffer(sale: Pick<PhoneSale, 'terms' | 'acceptBy'>, input: { locale: OfferLocale; seller: string; acceptUrl: string | null }): WrittenOffer {
  const t = TEXTS[input.locale];
  const terms = termLines(sale.terms, input.locale);
  if (input.acceptUrl === null) {
    return { subject: t.subjectBound(input.seller), text: [t.greeting, t.introBound(input.seller), '', ...terms].join('\n') };
  }
  return {
    subject: t.subjectPending(input.seller),
    text: [t.greeting, t.introPending(input.seller, formatDate(sale.acceptBy, input.locale)), '', ...terms, '', t.acceptHere, input.acceptUrl, '', t.noAcceptNoContract].join('\n'),
  };
}
