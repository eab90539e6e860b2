/** The words of the feedback answer page (`/f/…`, docs/customer-service.md#feedback) in Finnish, Swedish and English. */
import type { FeedbackKind } from '../../core/feedback/feedback.ts';
import type { PageLocale } from './page-locale.ts';

export interface FeedbackTexts {
  title: Record<FeedbackKind, string>;
  question: Record<FeedbackKind, string>;
  /** The words at the ends of the scale. */
  low: Record<FeedbackKind, string>;
  high: Record<FeedbackKind, string>;
  /** CSAT: the ticket it is about. */
  about: (ticket: string) => string;
  comment: string;
  commentHint: string;
  send: string;
  chooseScore: string;
  thanks: string;
  thanksNote: string;
  alreadyAnswered: string;
  expiredTitle: string;
  expired: string;
  invalidTitle: string;
  invalid: string;
  noMarketing: string;
}

export const FEEDBACK_TEXTS: Record<PageLocale, FeedbackTexts> = {
  fi: {
    title: { csat: 'Arvioi asiakaspalvelu', nps: 'Suosittelisitko meitä?' },
    question: { csat: 'Kuinka tyytyväinen olit saamaasi palveluun?', nps: 'Kuinka todennäköisesti suosittelisit meitä ystävällesi tai työkaverillesi?' },
    low: { csat: '1 = erittäin tyytymätön', nps: '0 = en lainkaan todennäköisesti' },
    high: { csat: '5 = erittäin tyytyväinen', nps: '10 = erittäin todennäköisesti' },
    about: (ticket) => `Asia: ${ticket}`,
    comment: 'Kommentti (vapaaehtoinen)',
    commentHint: 'Älä kirjoita kommenttiin henkilötunnusta tai maksukortin tietoja.',
    send: 'Lähetä vastaus',
    chooseScore: 'Valitse arvio ennen lähettämistä.',
    thanks: 'Kiitos vastauksestasi!',
    thanksNote: 'Vastauksesi on tallennettu. Käytämme vastauksia vain yhteenvetoina palvelun kehittämiseen.',
    alreadyAnswered: 'Tähän kysymykseen on jo vastattu. Ensimmäinen vastaus jää voimaan.',
    expiredTitle: 'Kysely on päättynyt',
    expired: 'Tämän kyselyn vastausaika on päättynyt, eikä siihen voi enää vastata.',
    invalidTitle: 'Linkki ei toimi',
    invalid: 'Tämä palautelinkki ei ole voimassa. Tarkista, että kopioit koko linkin viestistä.',
    noMarketing: 'Tämä kysely ei sisällä markkinointia.',
  },
  sv: {
    title: { csat: 'Betygsätt kundservicen', nps: 'Skulle du rekommendera oss?' },
    question: { csat: 'Hur nöjd var du med den service du fick?', nps: 'Hur sannolikt är det att du skulle rekommendera oss till en vän eller kollega?' },
    low: { csat: '1 = mycket missnöjd', nps: '0 = inte alls sannolikt' },
    high: { csat: '5 = mycket nöjd', nps: '10 = mycket sannolikt' },
    about: (ticket) => `Ärende: ${ticket}`,
    comment: 'Kommentar (frivillig)',
    commentHint: 'Skriv inte personbeteckning eller kortuppgifter i kommentaren.',
    send: 'Skicka svaret',
    chooseScore: 'Välj ett betyg innan du skickar.',
    thanks: 'Tack för ditt svar!',
    thanksNote: 'Ditt svar har sparats. Vi använder svaren bara i sammanställningar för att utveckla servicen.',
    alreadyAnswered: 'Den här frågan har redan besvarats. Det första svaret gäller.',
    expiredTitle: 'Enkäten har stängts',
    expired: 'Svarstiden för den här enkäten har gått ut, och den tar inte längre emot svar.',
    invalidTitle: 'Länken fungerar inte',
    invalid: 'Den här länken är inte giltig. Kontrollera att du kopierade hela länken från meddelandet.',
    noMarketing: 'Den här enkäten innehåller ingen marknadsföring.',
  },
  en: {
    title: { csat: 'Rate our customer service', nps: 'Would you recommend us?' },
    question: { csat: 'How satisfied were you with the service you got?', nps: 'How likely are you to recommend us to a friend or colleague?' },
    low: { csat: '1 = very dissatisfied', nps: '0 = not at all likely' },
    high: { csat: '5 = very satisfied', nps: '10 = extremely likely' },
    about: (ticket) => `Request: ${ticket}`,
    comment: 'Comment (optional)',
    commentHint: 'Please do not write identity numbers or card details in the comment.',
    send: 'Send the answer',
    chooseScore: 'Choose a score before sending.',
    thanks: 'Thank you for your answer!',
    thanksNote: 'Your answer has been saved. We use the answers only in summaries to improve our service.',
    alreadyAnswered: 'This question has been answered already. The first answer stands.',
    expiredTitle: 'The survey has closed',
    expired: 'The time to answer this survey has passed; it takes no more answers.',
    invalidTitle: 'The link does not work',
    invalid: 'This feedback link is not valid. Check that you copied the whole link from the message.',
    noMarketing: 'This survey contains no marketing.',
  },
};
