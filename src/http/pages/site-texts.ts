/** The words of the server's front page and of the error pages a customer can meet, in Finnish, Swedish and English. */
import type { PageLocale } from './page-locale.ts';

export interface SiteTexts {
  homeTitle: string;
  homeWhat: string;
  homeLinks: string;
  docs: string;
  health: string;
  errorTitle: string;
  /** A bad, altered or expired link (or a page that does not exist). */
  linkInvalid: string;
  /** A request the page could not read (a broken form). */
  badRequest: string;
  /** Our failure: the database is down, or anything unexpected. */
  ourFault: string;
}

export const SITE_TEXTS: Record<PageLocale, SiteTexts> = {
  fi: {
    homeTitle: 'Lupa – asiakasviestintä ja markkinointiluvat',
    homeWhat:
      'Tämä palvelin hoitaa asiakasviestintää ja markkinointilupia: se päättää jokaisen viestin kohdalla, saako sen lähettää, ja tallentaa perusteen. Viestiemme peruutus- ja asetuslinkit johtavat tänne.',
    homeLinks: 'Kehittäjille',
    docs: 'API-dokumentaatio',
    health: 'Palvelun tila',
    errorTitle: 'Sivua ei voitu näyttää',
    linkInvalid:
      'Linkki ei ole voimassa. Se voi olla vanhentunut tai katkennut kopioitaessa. Avaa linkki uusimmasta viestistämme tai ota yhteyttä asiakaspalveluun.',
    badRequest: 'Lomaketta ei voitu lukea. Palaa edelliselle sivulle ja yritä uudelleen.',
    ourFault: 'Jokin meni vikaan meidän päässämme. Jos teit valinnan, se ei ehkä tallentunut: yritä hetken kuluttua uudelleen.',
  },
  sv: {
    homeTitle: 'Lupa – kundkommunikation och marknadsföringstillstånd',
    homeWhat:
      'Den här servern sköter kundkommunikation och marknadsföringstillstånd: den avgör för varje meddelande om det får skickas och sparar varför. Länkarna för avbeställning och inställningar i våra meddelanden leder hit.',
    homeLinks: 'För utvecklare',
    docs: 'API-dokumentation',
    health: 'Tjänstens status',
    errorTitle: 'Sidan kunde inte visas',
    linkInvalid:
      'Länken gäller inte. Den kan ha gått ut eller brutits när den kopierades. Öppna länken i vårt senaste meddelande eller kontakta kundtjänst.',
    badRequest: 'Formuläret kunde inte läsas. Gå tillbaka till föregående sida och försök igen.',
    ourFault: 'Något gick fel hos oss. Om du gjorde ett val sparades det kanske inte: försök igen om en stund.',
  },
  en: {
    homeTitle: 'Lupa – customer communication and marketing permissions',
    homeWhat:
      'This server runs customer communication and marketing permissions: for every message it decides whether it may be sent, and records why. The unsubscribe and preference links in our messages lead here.',
    homeLinks: 'For developers',
    docs: 'API documentation',
    health: 'Service status',
    errorTitle: 'This page could not be shown',
    linkInvalid: 'This link is not valid. It may have expired or been cut when copied. Open the link in our latest message, or contact customer service.',
    badRequest: 'The form could not be read. Go back to the previous page and try again.',
    ourFault: 'Something went wrong on our side. If you made a choice, it may not have been saved: please try again in a moment.',
  },
};
