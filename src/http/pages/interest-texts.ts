/** The words of the preference page's interests in Finnish, Swedish and English. */
import type { PageLocale } from './page-locale.ts';

export interface InterestTexts {
  heading: string;
  intro: string;
  inferredHeading: string;
  inferredIntro: string;
  inferredNone: string;
  /** A person who objected to profiling or direct marketing: nothing is inferred, said so. */
  inferredObjected: string;
  /** The button of each inferred topic (its accessible name adds the topic). */
  remove: string;
  removed: (topic: string) => string;
}

export const INTEREST_TEXTS: Record<PageLocale, InterestTexts> = {
  fi: {
    heading: 'Sinua kiinnostavat aiheet',
    intro: 'Valitse aiheet, joista haluat kuulla. Käytämme niitä valitessamme, mistä kerromme sinulle.',
    inferredHeading: 'Mitä arvelemme sinua kiinnostavan',
    inferredIntro: 'Päätelty tuotteista, joita olet kokeillut. Poista se, mikä ei pidä paikkaansa: emme päättele sitä uudelleen.',
    inferredNone: 'Ei mitään tällä hetkellä.',
    inferredObjected: 'Olet vastustanut profilointia tai suoramarkkinointia, joten emme päättele kiinnostuksen kohteitasi.',
    remove: 'Poista',
    removed: (t) => `Poistettu: ${t}. Emme päättele sitä uudelleen.`,
  },
  sv: {
    heading: 'Ämnen som intresserar dig',
    intro: 'Välj de ämnen du vill höra om. Vi använder dem när vi väljer vad vi berättar om för dig.',
    inferredHeading: 'Vad vi tror intresserar dig',
    inferredIntro: 'Utifrån produkter du har provat. Ta bort det som inte stämmer: vi drar inte den slutsatsen igen.',
    inferredNone: 'Ingenting just nu.',
    inferredObjected: 'Du har invänt mot profilering eller direktmarknadsföring, så vi drar inga slutsatser om dina intressen.',
    remove: 'Ta bort',
    removed: (t) => `Borttaget: ${t}. Vi drar inte den slutsatsen igen.`,
  },
  en: {
    heading: 'Topics that interest you',
    intro: 'Choose the topics you want to hear about. We use them to choose what we tell you about.',
    inferredHeading: 'What we think interests you',
    inferredIntro: 'Based on the products you have tried. Remove anything that is wrong: we will not infer it again.',
    inferredNone: 'Nothing at the moment.',
    inferredObjected: 'You have objected to profiling or direct marketing, so we infer nothing about your interests.',
    remove: 'Remove',
    removed: (t) => `Removed: ${t}. We will not infer it again.`,
  },
};
