/** The words of the unsubscribe and preference pages in Finnish, Swedish and English. */

export type PageLocale = 'fi' | 'sv' | 'en';

export interface PageTexts {
  title: string;
  intro: string;
  channels: { email: string; sms: string; phone: string; post: string };
  yes: string;
  no: string;
  notChosen: string;
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
}

export const PAGE_TEXTS: Record<PageLocale, PageTexts> = {
  fi: {
    title: 'Markkinointiasetukset',
    intro: 'Valitse, miten haluat saada tarjouksia meiltä. Muutokset tulevat voimaan heti.',
    channels: { email: 'Sähköposti', sms: 'Tekstiviesti', phone: 'Puhelin', post: 'Kirje' },
    yes: 'Kyllä, lähettäkää tarjouksia',
    no: 'Ei tarjouksia',
    notChosen: 'ei valintaa',
    partner: 'Yhteistyökumppanien tarjoukset sähköpostissa (kumppanit eivät saa tietojasi)',
    objectionsHeading: 'Vastustamisoikeus',
    objectDirectMarketing: 'Vastustan tietojeni käyttöä suoramarkkinointiin',
    objectProfiling: 'Vastustan profilointia (esim. kiinnostuksen kohteiden päättely)',
    save: 'Tallenna',
    saved: (n) => (n === 0 ? 'Ei muutoksia.' : `Tallennettu (${n} muutosta).`),
    serviceNote: 'Tilaukseesi liittyviä palveluviestejä (esim. jakeluhäiriöt, maksut) lähetämme edelleen.',
    unsubscribeTitle: 'Markkinoinnin peruminen',
    unsubscribeQuestion: (c) => `Haluatko lopettaa markkinoinnin kanavassa: ${c}?`,
    unsubscribeButton: 'Lopeta markkinointi',
    unsubscribed: (c) => `Selvä. Emme enää lähetä markkinointia kanavassa: ${c}.`,
    managePreferences: 'Muuta muita asetuksia',
  },
  sv: {
    title: 'Marknadsföringsinställningar',
    intro: 'Välj hur du vill få erbjudanden från oss. Ändringarna gäller genast.',
    channels: { email: 'E-post', sms: 'Sms', phone: 'Telefon', post: 'Brev' },
    yes: 'Ja, skicka erbjudanden',
    no: 'Inga erbjudanden',
    notChosen: 'inget val',
    partner: 'Samarbetspartners erbjudanden per e-post (partnerna får inte dina uppgifter)',
    objectionsHeading: 'Rätt att invända',
    objectDirectMarketing: 'Jag invänder mot att mina uppgifter används för direktmarknadsföring',
    objectProfiling: 'Jag invänder mot profilering (t.ex. slutsatser om mina intressen)',
    save: 'Spara',
    saved: (n) => (n === 0 ? 'Inga ändringar.' : `Sparat (${n} ändringar).`),
    serviceNote: 'Servicemeddelanden om din prenumeration (t.ex. utdelningsstörningar, betalningar) skickar vi fortfarande.',
    unsubscribeTitle: 'Avbeställ marknadsföring',
    unsubscribeQuestion: (c) => `Vill du sluta få marknadsföring via: ${c}?`,
    unsubscribeButton: 'Avbeställ marknadsföring',
    unsubscribed: (c) => `Klart. Vi skickar inte längre marknadsföring via: ${c}.`,
    managePreferences: 'Ändra andra inställningar',
  },
  en: {
    title: 'Marketing preferences',
    intro: 'Choose how you want to hear about our offers. Changes take effect at once.',
    channels: { email: 'E-mail', sms: 'Text message', phone: 'Phone', post: 'Post' },
    yes: 'Yes, send me offers',
    no: 'No offers',
    notChosen: 'no choice made',
    partner: "Partners' offers by e-mail (partners never receive your details)",
    objectionsHeading: 'Your right to object',
    objectDirectMarketing: 'I object to my data being used for direct marketing',
    objectProfiling: 'I object to profiling (such as inferring my interests)',
    save: 'Save',
    saved: (n) => (n === 0 ? 'Nothing changed.' : `Saved (${n} changes).`),
    serviceNote: 'We will still send service messages about your subscription (delivery problems, payments).',
    unsubscribeTitle: 'Stop marketing',
    unsubscribeQuestion: (c) => `Do you want to stop marketing by ${c}?`,
    unsubscribeButton: 'Stop marketing',
    unsubscribed: (c) => `Done. We will no longer send you marketing by ${c}.`,
    managePreferences: 'Change other preferences',
  },
};

export function pageLocale(requested: unknown, customerLocale: string | null): PageLocale {
  for (const candidate of [requested, customerLocale]) {
    if (candidate === 'fi' || candidate === 'sv' || candidate === 'en') return candidate;
  }
  return 'fi';
}
