/**
 * The demo publisher's product catalogue. Titles and brands are invented (no real trademarks).
 * Categories matter: soft opt-in only reaches "similar products", so the demo needs several
 * products per category and several categories per brand to exercise that rule.
 */

export interface CatalogueEntry {
  sku: string;
  name: string;
  brand: string;
  category: string;
  /** Relative popularity among Finnish-speaking, Swedish-speaking and business customers. */
  weights: { fi: number; sv: number; business: number };
}

export const CATALOGUE: readonly CatalogueEntry[] = [
  // National dailies: the bulk of subscriptions.
  { sku: 'UV-PRINT-7', name: 'Uutisvirta 7 pv', brand: 'Uutisvirta', category: 'daily', weights: { fi: 30, sv: 6, business: 30 } },
  { sku: 'UV-PRINT-WE', name: 'Uutisvirta viikonloppu', brand: 'Uutisvirta', category: 'daily', weights: { fi: 18, sv: 3, business: 4 } },
  { sku: 'KP-PRINT-6', name: 'Kustposten 6 dagar', brand: 'Kustposten', category: 'daily', weights: { fi: 1, sv: 30, business: 6 } },
  // Regional papers.
  { sku: 'JS-PRINT', name: 'Järvimaan Sanomat', brand: 'Järvimaan Sanomat', category: 'regional', weights: { fi: 14, sv: 1, business: 5 } },
  { sku: 'PR-PRINT', name: 'Pohjanrannan Lehti', brand: 'Pohjanranta', category: 'regional', weights: { fi: 10, sv: 2, business: 4 } },
  { sku: 'VV-PRINT', name: 'Västkustens Veckoblad', brand: 'Kustposten', category: 'regional', weights: { fi: 0.5, sv: 14, business: 2 } },
  // Magazines.
  { sku: 'KPH-MAG', name: 'Kotipiha', brand: 'Kotipiha', category: 'magazine_home', weights: { fi: 8, sv: 2, business: 0 } },
  { sku: 'SH-MAG', name: 'Sisustushetki', brand: 'Kotipiha', category: 'magazine_home', weights: { fi: 6, sv: 1, business: 0 } },
  { sku: 'HMV-MAG', name: 'Hemmavid', brand: 'Hemmavid', category: 'magazine_home', weights: { fi: 0.3, sv: 8, business: 0 } },
  { sku: 'HTK-MAG', name: 'Hetkinen', brand: 'Hetkinen', category: 'magazine_lifestyle', weights: { fi: 9, sv: 3, business: 0 } },
  { sku: 'ERA-MAG', name: 'Eräpolku', brand: 'Eräpolku', category: 'magazine_hobby', weights: { fi: 6, sv: 1, business: 0 } },
  { sku: 'VNL-MAG', name: 'Veneilijä Plus', brand: 'Veneilijä', category: 'magazine_hobby', weights: { fi: 4, sv: 4, business: 0 } },
  { sku: 'KSH-MAG', name: 'Käsityöhetki', brand: 'Hetkinen', category: 'magazine_hobby', weights: { fi: 4, sv: 1, business: 0 } },
  { sku: 'TV-MAG', name: 'Talousvirta', brand: 'Uutisvirta', category: 'magazine_business', weights: { fi: 4, sv: 1, business: 25 } },
  { sku: 'YK-MAG', name: 'Yrittäjän Kompassi', brand: 'Yrittäjän Kompassi', category: 'magazine_business', weights: { fi: 2, sv: 0.5, business: 20 } },
  // Digital titles.
  { sku: 'UV-DIGI', name: 'Uutisvirta Digi', brand: 'Uutisvirta', category: 'digital_news', weights: { fi: 22, sv: 4, business: 12 } },
  { sku: 'KP-DIGI', name: 'Kustposten Digital', brand: 'Kustposten', category: 'digital_news', weights: { fi: 0.5, sv: 18, business: 3 } },
  { sku: 'JS-DIGI', name: 'Järvimaan Sanomat Digi', brand: 'Järvimaan Sanomat', category: 'digital_news', weights: { fi: 6, sv: 0, business: 1 } },
  { sku: 'UV-AANI', name: 'Uutisvirta Ääni', brand: 'Uutisvirta', category: 'podcast_audio', weights: { fi: 5, sv: 1, business: 1 } },
  { sku: 'KK-AUDIO', name: 'Kuunnelmakerho', brand: 'Kuunnelmakerho', category: 'podcast_audio', weights: { fi: 3, sv: 1, business: 0 } },
];

type Audience = keyof CatalogueEntry['weights'];

function weightsFor(audience: Audience): readonly (readonly [CatalogueEntry, number])[] {
  return CATALOGUE.map((p) => [p, p.weights[audience]] as const);
}

/** Precomputed per audience so the per-order pick does not rebuild the list a million times. */
export const PRODUCT_WEIGHTS: Readonly<Record<Audience, readonly (readonly [CatalogueEntry, number])[]>> = {
  fi: weightsFor('fi'),
  sv: weightsFor('sv'),
  business: weightsFor('business'),
};
