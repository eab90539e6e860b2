/** The words of the unsubscribe and preference pages in Finnish, Swedish and English. */
import type { SuppressionReason } from '../../core/vocabulary.ts';
import type { PreferenceChannel } from '../../use-cases/unsubscribe.ts';
import type { PageLocale } from './page-locale.ts';

export interface PageTexts {
  title: string;
  intro: string;
  channels: { email: string; sms: string; phone: string; post: string };
  yes: string;
  no: string;
  notChosen: string;
  /** E-mail or SMS under soft opt-in: allowed, without a choice, because the person is our customer, and theirs to refuse. */
  softOptIn: string;
  partner: string;
  objectionsHeading: string;
  objectDirectMarketing: string;
  objectProfiling: string;
  save: string;
  saved: (n: number) => string;
  serviceNote: string;
  unsubscribeTitle: string;
  unsubscribeQuestion: (channel: string) => string;
  unsubscribeButton: string;
  unsubscribed: (channel: string) => string;
  managePreferences: string;
  /** A person by first name; null (a business, or no name): a neutral greeting. */
  greeting: (firstName: string | null) => string;
  /** Phone and post are opt-out channels: without a choice we may call or mail. */
  mayContactUnlessRefused: Record<PreferenceChannel, string>;
  /** The "no" of phone and post, said as the refusal it is. */
  refuse: { phone: string; post: string };
  /** Why a channel stays as it is, per suppression that stands on its address. */
  standing: Record<SuppressionReason, string>;
  /** After saving a "yes" that something still blocks. */
  stillBlocked: (channels: string) => string;
  /** The page of a preference link past its time, offering a fresh link by e-mail. */
  linkExpiredTitle: string;
  linkExpired: string;
  sendNewLink: string;
  unsubscribeStillWorks: string;
  /** After asking for a fresh link. */
  freshLinkTitle: string;
  freshLinkSent: (days: number) => string;
  freshLinkTooSoon: (minutes: number) => string;
  freshLinkNoAddress: string;
}

export const PAGE_TEXTS: Record<PageLocale, PageTexts> = {
  fi: {
    // A soft hyphen at the compound's joint: the heading breaks there, hyphenated, on a narrow screen.
    title: 'Markkinointi\u00ADasetukset',
    intro: 'Valitse, miten haluat saada tarjouksia meiltä. Muutokset tulevat voimaan heti.',
    channels: { email: 'Sähköposti', sms: 'Tekstiviesti', phone: 'Puhelin', post: 'Kirje' },
    yes: 'Kyllä, lähettäkää tarjouksia',
    no: 'Ei tarjouksia',
    notChosen: 'ei valintaa',
    softOptIn: 'sallittu asiakkuuden perusteella – voit kieltää',
    partner: 'Yhteistyökumppanien tarjoukset sähköpostissa (kumppanit eivät saa tietojasi)',
    objectionsHeading: 'Vastustamisoikeus',
    objectDirectMarketing: 'Vastustan tietojeni käyttöä suoramarkkinointiin',
    objectProfiling: 'Vastustan profilointia (esim. kiinnostuksen kohteiden päättely)',
    save: 'Tallenna',
    saved: (n) => (n === 0 ? 'Ei muutoksia.' : n === 1 ? 'Tallennettu (1 muutos).' : `Tallennettu (${n} muutosta).`),
    serviceNote: 'Tilaukseesi liittyviä palveluviestejä (esim. jakeluhäiriöt, maksut) lähetämme edelleen.',
    unsubscribeTitle: 'Markkinoinnin peruminen',
    unsubscribeQuestion: (c) => `Haluatko lopettaa markkinoinnin kanavassa: ${c}?`,
    unsubscribeButton: 'Lopeta markkinointi',
    unsubscribed: (c) => `Selvä. Emme enää lähetä markkinointia kanavassa: ${c}.`,
    managePreferences: 'Muuta muita asetuksia',
    greeting: (name) => (name === null ? 'Hyvä asiakas' : `Hei ${name}!`),
    mayContactUnlessRefused: {
      email: 'Voimme lähettää sinulle tarjouksia sähköpostilla, ellet kiellä sitä.',
      sms: 'Voimme lähettää sinulle tarjouksia tekstiviestillä, ellet kiellä sitä.',
      phone: 'Voimme soittaa sinulle tarjouksista, ellet kiellä sitä.',
      post: 'Voimme lähettää sinulle tarjouksia postitse, ellet kiellä sitä.',
    },
    refuse: { phone: 'Älkää soittako minulle tarjouksista', post: 'Älkää lähettäkö minulle tarjouksia postitse' },
    standing: {
      unsubscribe: 'Olet perunut markkinoinnin tässä kanavassa. Jos valitset ”Kyllä”, peruminen kumoutuu.',
      hard_bounce:
        'Viestit tähän osoitteeseen ovat palautuneet perille toimittamattomina, joten emme voi lähettää siihen mitään. Valintasi täällä ei muuta tätä; päivitä osoitteesi asiakaspalvelussa.',
      complaint:
        'Viestimme tähän osoitteeseen on ilmoitettu roskapostiksi, joten emme lähetä siihen markkinointia. Valintasi täällä ei muuta tätä; ota yhteyttä asiakaspalveluun.',
      robinson: 'Olet kieltänyt suoramarkkinoinnin Robinson-palvelussa, joten emme markkinoi sinulle tässä kanavassa niin kauan kuin kielto on voimassa.',
      manual: 'Markkinointi tähän osoitteeseen on estetty erillisestä pyynnöstä. Valintasi täällä ei muuta tätä; ota yhteyttä asiakaspalveluun, jos haluat muuttaa sen.',
    },
    stillBlocked: (c) => `Huomaa: markkinointia ei silti voi lähettää kanavassa: ${c}. Syy on kerrottu alla.`,
    linkExpiredTitle: 'Linkki on vanhentunut',
    linkExpired: 'Linkit markkinointiasetuksiin ovat voimassa rajoitetun ajan, jotta vanha tai edelleen lähetetty viesti ei avaa asetuksiasi muille. Voimme lähettää uuden linkin sähköpostiosoitteeseen, joka meillä on sinusta.',
    sendNewLink: 'Lähetä minulle uusi linkki',
    unsubscribeStillWorks: 'Markkinoinnin voit perua milloin tahansa viestiemme peruutuslinkistä: se ei vanhene.',
    freshLinkTitle: 'Uusi linkki',
    freshLinkSent: (days) => `Lähetimme uuden linkin sähköpostiosoitteeseen, joka meillä on sinusta. Linkki on voimassa ${days} päivää.`,
    freshLinkTooSoon: (minutes) => `Lähetimme sinulle uuden linkin hetki sitten: katso sähköpostisi (myös roskapostikansio). Uuden linkin voi lähettää aikaisintaan ${minutes} minuutin kuluttua edellisestä.`,
    freshLinkNoAddress: 'Emme voi lähettää linkkiä, koska meillä ei ole sinulle toimivaa sähköpostiosoitetta. Ota yhteyttä asiakaspalveluun.',
  },
  sv: {
    title: 'Marknadsförings\u00ADinställningar',
    intro: 'Välj hur du vill få erbjudanden från oss. Ändringarna gäller genast.',
    channels: { email: 'E-post', sms: 'Sms', phone: 'Telefon', post: 'Brev' },
    yes: 'Ja, skicka erbjudanden',
    no: 'Inga erbjudanden',
    notChosen: 'inget val',
    softOptIn: 'tillåtet eftersom du är vår kund – du kan säga nej',
    partner: 'Samarbetspartners erbjudanden per e-post (partnerna får inte dina uppgifter)',
    objectionsHeading: 'Rätt att invända',
    objectDirectMarketing: 'Jag invänder mot att mina uppgifter används för direktmarknadsföring',
    objectProfiling: 'Jag invänder mot profilering (t.ex. slutsatser om mina intressen)',
    save: 'Spara',
    saved: (n) => (n === 0 ? 'Inga ändringar.' : n === 1 ? 'Sparat (1 ändring).' : `Sparat (${n} ändringar).`),
    serviceNote: 'Servicemeddelanden om din prenumeration (t.ex. utdelningsstörningar, betalningar) skickar vi fortfarande.',
    unsubscribeTitle: 'Avbeställ marknadsföring',
    unsubscribeQuestion: (c) => `Vill du sluta få marknadsföring via: ${c}?`,
    unsubscribeButton: 'Avbeställ marknadsföring',
    unsubscribed: (c) => `Klart. Vi skickar inte längre marknadsföring via: ${c}.`,
    managePreferences: 'Ändra andra inställningar',
    greeting: (name) => (name === null ? 'Bästa kund' : `Hej ${name}!`),
    mayContactUnlessRefused: {
      email: 'Vi kan skicka dig erbjudanden per e-post om du inte säger nej.',
      sms: 'Vi kan skicka dig erbjudanden per sms om du inte säger nej.',
      phone: 'Vi kan ringa dig med erbjudanden om du inte säger nej.',
      post: 'Vi kan skicka dig erbjudanden per post om du inte säger nej.',
    },
    refuse: { phone: 'Ring mig inte med erbjudanden', post: 'Skicka mig inga erbjudanden per post' },
    standing: {
      unsubscribe: 'Du har avbeställt marknadsföring här. Väljer du ”Ja” upphävs avbeställningen.',
      hard_bounce:
        'Meddelanden till den här adressen har kommit i retur som obeställbara, så vi kan inte skicka något dit. Ditt val här ändrar inte det; uppdatera adressen via kundtjänst.',
      complaint:
        'Våra meddelanden till den här adressen har anmälts som skräppost, så vi skickar ingen marknadsföring dit. Ditt val här ändrar inte det; kontakta kundtjänst.',
      robinson: 'Du har spärrat direktmarknadsföring i Robinson-tjänsten, så vi marknadsför inte till dig här så länge spärren gäller.',
      manual: 'Marknadsföring till den här adressen har spärrats på särskild begäran. Ditt val här ändrar inte det; kontakta kundtjänst om du vill ändra det.',
    },
    stillBlocked: (c) => `Obs: marknadsföring kan ändå inte skickas via: ${c}. Orsaken står nedan.`,
    linkExpiredTitle: 'Länken har gått ut',
    linkExpired: 'Länkar till marknadsföringsinställningarna gäller en begränsad tid, så att ett gammalt eller vidarebefordrat meddelande inte öppnar dina inställningar för andra. Vi kan skicka en ny länk till den e-postadress vi har för dig.',
    sendNewLink: 'Skicka mig en ny länk',
    unsubscribeStillWorks: 'Marknadsföring kan du alltid avbeställa med länken i våra meddelanden: den går inte ut.',
    freshLinkTitle: 'Ny länk',
    freshLinkSent: (days) => `Vi har skickat en ny länk till den e-postadress vi har för dig. Länken gäller i ${days} dagar.`,
    freshLinkTooSoon: (minutes) => `Vi skickade en ny länk för en stund sedan: titta i din e-post (även skräpposten). En ny länk kan skickas tidigast ${minutes} minuter efter den förra.`,
    freshLinkNoAddress: 'Vi kan inte skicka någon länk, eftersom vi inte har någon fungerande e-postadress till dig. Kontakta kundtjänst.',
  },
  en: {
    title: 'Marketing preferences',
    intro: 'Choose how you want to hear about our offers. Changes take effect at once.',
    channels: { email: 'E-mail', sms: 'Text message', phone: 'Phone', post: 'Post' },
    yes: 'Yes, send me offers',
    no: 'No offers',
    notChosen: 'no choice made',
    softOptIn: 'allowed because you are our customer – you may refuse',
    partner: "Partners' offers by e-mail (partners never receive your details)",
    objectionsHeading: 'Your right to object',
    objectDirectMarketing: 'I object to my data being used for direct marketing',
    objectProfiling: 'I object to profiling (such as inferring my interests)',
    save: 'Save',
    saved: (n) => (n === 0 ? 'Nothing changed.' : n === 1 ? 'Saved (1 change).' : `Saved (${n} changes).`),
    serviceNote: 'We will still send service messages about your subscription (delivery problems, payments).',
    unsubscribeTitle: 'Stop marketing',
    unsubscribeQuestion: (c) => `Do you want to stop marketing by ${c}?`,
    unsubscribeButton: 'Stop marketing',
    unsubscribed: (c) => `Done. We will no longer send you marketing by ${c}.`,
    managePreferences: 'Change other preferences',
    greeting: (name) => (name === null ? 'Dear customer' : `Hello ${name}!`),
    mayContactUnlessRefused: {
      email: 'We may send you offers by e-mail unless you refuse.',
      sms: 'We may send you offers by SMS unless you refuse.',
      phone: 'We may call you with offers unless you refuse.',
      post: 'We may send you offers by post unless you refuse.',
    },
    refuse: { phone: "Don't call me with offers", post: "Don't send me offers by post" },
    standing: {
      unsubscribe: 'You unsubscribed from marketing here. Choosing “Yes” cancels the unsubscribe.',
      hard_bounce:
        'Messages to this address came back as undeliverable, so we cannot send anything to it. Your choice here does not change that; update your address with customer service.',
      complaint:
        'Our messages to this address were reported as spam, so we send no marketing to it. Your choice here does not change that; contact customer service.',
      robinson: 'You are on the Robinson do-not-contact register, so we do not market to you here while that registration is valid.',
      manual: 'Marketing to this address has been blocked at a separate request. Your choice here does not change that; contact customer service if you want to change it.',
    },
    stillBlocked: (c) => `Note: marketing still cannot be sent by ${c}; the reason is shown below.`,
    linkExpiredTitle: 'This link has expired',
    linkExpired: 'Links to your marketing preferences work for a limited time, so that an old or forwarded message does not open your preferences to others. We can send a new link to the e-mail address we have for you.',
    sendNewLink: 'Send me a new link',
    unsubscribeStillWorks: 'You can always stop marketing with the unsubscribe link in our messages: it does not expire.',
    freshLinkTitle: 'A new link',
    freshLinkSent: (days) => `We have sent a new link to the e-mail address we have for you. It works for ${days} days.`,
    freshLinkTooSoon: (minutes) => `We sent you a new link a moment ago: check your e-mail (also the spam folder). Another link can be sent ${minutes} minutes after the previous one at the earliest.`,
    freshLinkNoAddress: 'We cannot send a link, because we have no working e-mail address for you. Please contact customer service.',
  },
};
