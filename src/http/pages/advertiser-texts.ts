/** The words of the advertisers' catalogue page (/a/{token}) in Finnish, Swedish and English. */
import type { PageLocale } from './page-locale.ts';

export interface AdvertiserTexts {
  title: string;
  intro: string;
  caption: string;
  name: string;
  description: string;
  size: string;
  /** A rounded size, e.g. "about 1,200 people". */
  about: (n: number) => string;
  fewer: (n: number) => string;
  none: string;
  privacy: string;
  invalidTitle: string;
  invalid: string;
}

const grouped = (n: number, lang: PageLocale): string => new Intl.NumberFormat(lang === 'en' ? 'en-GB' : lang === 'sv' ? 'sv-FI' : 'fi-FI').format(n);

export const ADVERTISER_TEXTS: Record<PageLocale, AdvertiserTexts> = {
  fi: {
    title: 'Yleisöt mainostajille',
    intro: 'Näille yleisöille voit kohdentaa mainontaa sivustoillamme. Mainos näytetään vain kävijöille, jotka ovat sallineet mainonnan kohdentamisen.',
    caption: 'Tarjolla olevat yleisöt',
    name: 'Yleisö',
    description: 'Kuvaus',
    size: 'Koko',
    about: (n) => `noin ${grouped(n, 'fi')} henkeä`,
    fewer: (n) => `alle ${grouped(n, 'fi')} henkeä`,
    none: 'Tarjolla ei ole nyt yleisöjä.',
    privacy: 'Koot on pyöristetty satoihin. Emme kerro kenellekään, ketä yleisöön kuuluu.',
    invalidTitle: 'Linkki ei ole voimassa',
    invalid: 'Linkki on vanhentunut tai virheellinen. Pyydä uusi linkki yhteyshenkilöltäsi.',
  },
  sv: {
    title: 'Målgrupper för annonsörer',
    intro: 'Till de här målgrupperna kan du rikta annonser på våra webbplatser. Annonsen visas bara för besökare som har tillåtit riktad annonsering.',
    caption: 'Målgrupper som erbjuds',
    name: 'Målgrupp',
    description: 'Beskrivning',
    size: 'Storlek',
    about: (n) => `cirka ${grouped(n, 'sv')} personer`,
    fewer: (n) => `färre än ${grouped(n, 'sv')} personer`,
    none: 'Inga målgrupper erbjuds just nu.',
    privacy: 'Storlekarna är avrundade till hundratal. Vi berättar inte för någon vem som hör till en målgrupp.',
    invalidTitle: 'Länken gäller inte',
    invalid: 'Länken har gått ut eller är felaktig. Be din kontaktperson om en ny länk.',
  },
  en: {
    title: 'Audiences for advertisers',
    intro: 'You can target ads on our sites to these audiences. An ad is shown only to visitors who have allowed ad targeting.',
    caption: 'Audiences on offer',
    name: 'Audience',
    description: 'Description',
    size: 'Size',
    about: (n) => `about ${grouped(n, 'en')} people`,
    fewer: (n) => `fewer than ${grouped(n, 'en')} people`,
    none: 'No audiences are on offer just now.',
    privacy: 'Sizes are rounded to hundreds. We tell no one who is in an audience.',
    invalidTitle: 'This link is not valid',
    invalid: 'The link has expired or is wrong. Ask your contact for a new one.',
  },
};
