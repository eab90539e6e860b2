/**
 * Word lists for believable Finnish demo customers. Names are common Finnish and
 * Finland-Swedish ones (no single real person is implied); postcodes are real, so that
 * address validation and regional segmentation behave as they would on production data.
 */

export const FINNISH_MALE_FIRST = [
  'Juha', 'Timo', 'Matti', 'Kari', 'Mikko', 'Jari', 'Antti', 'Jukka', 'Mika', 'Markku',
  'Pekka', 'Hannu', 'Heikki', 'Seppo', 'Janne', 'Ari', 'Sami', 'Ville', 'Marko', 'Petri',
  'Lauri', 'Jussi', 'Tuomas', 'Eero', 'Olli', 'Jaakko', 'Aleksi', 'Veeti', 'Eino', 'Väinö',
  'Onni', 'Leevi', 'Niko', 'Joonas', 'Teemu', 'Pasi', 'Esa', 'Risto', 'Kalle', 'Toni',
  'Jarmo', 'Erkki', 'Tapio', 'Veikko', 'Pentti', 'Ilkka', 'Juho', 'Oskari', 'Eetu', 'Topias',
] as const;

export const FINNISH_FEMALE_FIRST = [
  'Anne', 'Tuula', 'Päivi', 'Anna', 'Leena', 'Ritva', 'Pirjo', 'Sari', 'Minna', 'Marja',
  'Tiina', 'Riitta', 'Kaisa', 'Johanna', 'Laura', 'Elina', 'Hanna', 'Maria', 'Sanna', 'Katja',
  'Heidi', 'Emilia', 'Aino', 'Helmi', 'Sofia', 'Ella', 'Venla', 'Iida', 'Eveliina', 'Aila',
  'Marjatta', 'Liisa', 'Satu', 'Outi', 'Merja', 'Anna-Liisa', 'Eija', 'Kirsi', 'Jenni', 'Noora',
  'Saara', 'Terhi', 'Sirpa', 'Raija', 'Hilkka', 'Aada', 'Pihla', 'Enni', 'Ronja', 'Kerttu',
] as const;

export const FINNISH_SURNAMES = [
  'Korhonen', 'Virtanen', 'Mäkinen', 'Nieminen', 'Mäkelä', 'Hämäläinen', 'Laine', 'Heikkinen',
  'Koskinen', 'Järvinen', 'Lehtonen', 'Lehtinen', 'Saarinen', 'Salminen', 'Heinonen', 'Niemi',
  'Heikkilä', 'Kinnunen', 'Salonen', 'Turunen', 'Salo', 'Laitinen', 'Tuominen', 'Rantanen',
  'Karjalainen', 'Jokinen', 'Mattila', 'Savolainen', 'Lahtinen', 'Ahonen', 'Hiltunen', 'Leinonen',
  'Kallio', 'Miettinen', 'Pitkänen', 'Räsänen', 'Lappalainen', 'Väisänen', 'Hyvönen', 'Ketola',
  'Kärkkäinen', 'Manninen', 'Peltonen', 'Hirvonen', 'Laaksonen', 'Leppänen', 'Kettunen', 'Koivisto',
  'Ylönen', 'Pöllänen',
] as const;

export const SWEDISH_MALE_FIRST = [
  'Johan', 'Erik', 'Anders', 'Mikael', 'Fredrik', 'Henrik', 'Stefan', 'Patrik', 'Mats', 'Jonas',
  'Bo', 'Göran', 'Ulf', 'Lars', 'Karl', 'Gustav', 'Axel', 'Oskar', 'Emil', 'Hugo',
  'Linus', 'Viktor', 'Kristian', 'Sebastian', 'Rasmus', 'Björn', 'Nils', 'Thomas',
] as const;

export const SWEDISH_FEMALE_FIRST = [
  'Karin', 'Kristina', 'Eva', 'Birgitta', 'Ulla', 'Ingrid', 'Emma', 'Linnea', 'Ebba', 'Elin',
  'Sara', 'Matilda', 'Alice', 'Wilma', 'Camilla', 'Annika', 'Malin', 'Jenny', 'Lena', 'Margareta',
  'Åsa', 'Gunilla', 'Stina', 'Maja', 'Ida', 'Frida', 'Astrid', 'Sigrid',
] as const;

export const SWEDISH_SURNAMES = [
  'Lindholm', 'Lindqvist', 'Nyström', 'Holmström', 'Björklund', 'Sundström', 'Lindroos', 'Grönroos',
  'Forsman', 'Blomqvist', 'Enqvist', 'Nyman', 'Sjöberg', 'Åberg', 'Backman', 'Eklund',
  'Westerlund', 'Strandberg', 'Wikström', 'Ekholm', 'Lundqvist', 'Granholm', 'Söderström', 'Fagerström',
  'Holmberg', 'Lindberg', 'Mattsson', 'Sandvik', 'Storbacka', 'Kronqvist', 'Österberg', 'Häggblom',
] as const;

/** English-speaking residents (locale `en`): a deliberately mixed, international list. */
export const INTERNATIONAL_FIRST = [
  'James', 'Oliver', 'Daniel', 'Michael', 'Ahmed', 'Luca', 'Pavel', 'Rajesh',
  'Emily', 'Sarah', 'Olivia', 'Chloe', 'Fatima', 'Giulia', 'Olga', 'Priya',
] as const;

export const INTERNATIONAL_SURNAMES = [
  'Smith', 'Brown', 'Wilson', 'Taylor', 'Murphy', 'Novak', 'Kowalski', 'Rossi',
  'Ivanov', 'Hassan', 'Sharma', 'García', 'Müller', 'Nguyen', 'Okafor', 'Dubois',
] as const;

export const FINNISH_STREETS = [
  'Mannerheimintie', 'Hämeentie', 'Aleksanterinkatu', 'Runeberginkatu', 'Kauppakatu', 'Koulukatu',
  'Rantatie', 'Kirkkokatu', 'Puistokatu', 'Asemakatu', 'Myllytie', 'Koivukuja', 'Mäntytie',
  'Kuusitie', 'Pihlajatie', 'Rinnetie', 'Peltotie', 'Niittykatu', 'Torikatu', 'Satamakatu',
  'Teollisuuskatu', 'Sibeliuksenkatu', 'Kalevankatu', 'Väinämöisenkatu', 'Lönnrotinkatu',
  'Hallituskatu', 'Isokatu', 'Kivikatu', 'Metsätie', 'Järvitie', 'Harjutie', 'Kanervakuja',
  'Lehmuskatu', 'Vanha Turuntie', 'Ojakatu', 'Ahventie', 'Kotkankatu', 'Sammonkatu',
] as const;

/** Used for Swedish-speaking customers in bilingual towns, where the Swedish street name is the one they write. */
export const SWEDISH_STREETS = [
  'Storgatan', 'Kyrkogatan', 'Strandvägen', 'Skolgatan', 'Åkervägen', 'Björkvägen', 'Hamngatan',
  'Sjöviksvägen', 'Kvarnbacken', 'Tallåsvägen', 'Handelsesplanaden', 'Järnvägsgatan', 'Rådhusgatan',
  'Norrvägen', 'Ängsvägen', 'Granvägen', 'Backgränd', 'Mejerivägen',
] as const;

export interface Place {
  postalCode: string;
  /** Finnish name of the post town. */
  city: string;
  /** Swedish name where the municipality is bilingual; Swedish speakers write this one. */
  citySv?: string;
  /** Rough relative number of Finnish- and Swedish-speaking customers; picks are weighted by these. */
  fi: number;
  sv: number;
  /** Landline area code without the trunk 0, for business numbers. */
  area: string;
}

export const PLACES: readonly Place[] = [
  { postalCode: '00100', city: 'Helsinki', citySv: 'Helsingfors', fi: 60, sv: 30, area: '9' },
  { postalCode: '00120', city: 'Helsinki', citySv: 'Helsingfors', fi: 40, sv: 20, area: '9' },
  { postalCode: '00250', city: 'Helsinki', citySv: 'Helsingfors', fi: 45, sv: 15, area: '9' },
  { postalCode: '00530', city: 'Helsinki', citySv: 'Helsingfors', fi: 50, sv: 8, area: '9' },
  { postalCode: '00700', city: 'Helsinki', citySv: 'Helsingfors', fi: 45, sv: 5, area: '9' },
  { postalCode: '00930', city: 'Helsinki', citySv: 'Helsingfors', fi: 50, sv: 4, area: '9' },
  { postalCode: '02100', city: 'Espoo', citySv: 'Esbo', fi: 40, sv: 15, area: '9' },
  { postalCode: '02230', city: 'Espoo', citySv: 'Esbo', fi: 40, sv: 8, area: '9' },
  { postalCode: '02600', city: 'Espoo', citySv: 'Esbo', fi: 45, sv: 6, area: '9' },
  { postalCode: '02700', city: 'Kauniainen', citySv: 'Grankulla', fi: 6, sv: 12, area: '9' },
  { postalCode: '01300', city: 'Vantaa', citySv: 'Vanda', fi: 70, sv: 5, area: '9' },
  { postalCode: '04400', city: 'Järvenpää', citySv: 'Träskända', fi: 25, sv: 1, area: '9' },
  { postalCode: '05800', city: 'Hyvinkää', citySv: 'Hyvinge', fi: 28, sv: 1, area: '19' },
  { postalCode: '06100', city: 'Porvoo', citySv: 'Borgå', fi: 20, sv: 25, area: '19' },
  { postalCode: '07900', city: 'Loviisa', citySv: 'Lovisa', fi: 6, sv: 10, area: '19' },
  { postalCode: '10300', city: 'Karjaa', citySv: 'Karis', fi: 4, sv: 12, area: '19' },
  { postalCode: '10600', city: 'Tammisaari', citySv: 'Ekenäs', fi: 4, sv: 18, area: '19' },
  { postalCode: '13100', city: 'Hämeenlinna', citySv: 'Tavastehus', fi: 40, sv: 0, area: '3' },
  { postalCode: '15100', city: 'Lahti', citySv: 'Lahtis', fi: 75, sv: 1, area: '3' },
  { postalCode: '20100', city: 'Turku', citySv: 'Åbo', fi: 80, sv: 20, area: '2' },
  { postalCode: '20500', city: 'Turku', citySv: 'Åbo', fi: 40, sv: 8, area: '2' },
  { postalCode: '21600', city: 'Parainen', citySv: 'Pargas', fi: 4, sv: 14, area: '2' },
  { postalCode: '25700', city: 'Kemiö', citySv: 'Kimito', fi: 2, sv: 8, area: '2' },
  { postalCode: '26100', city: 'Rauma', citySv: 'Raumo', fi: 25, sv: 0, area: '2' },
  { postalCode: '28100', city: 'Pori', citySv: 'Björneborg', fi: 55, sv: 1, area: '2' },
  { postalCode: '30100', city: 'Forssa', fi: 12, sv: 0, area: '3' },
  { postalCode: '33100', city: 'Tampere', citySv: 'Tammerfors', fi: 110, sv: 2, area: '3' },
  { postalCode: '33500', city: 'Tampere', citySv: 'Tammerfors', fi: 60, sv: 1, area: '3' },
  { postalCode: '40100', city: 'Jyväskylä', fi: 90, sv: 0, area: '14' },
  { postalCode: '48100', city: 'Kotka', fi: 35, sv: 1, area: '5' },
  { postalCode: '50100', city: 'Mikkeli', citySv: 'S:t Michel', fi: 35, sv: 0, area: '15' },
  { postalCode: '53100', city: 'Lappeenranta', citySv: 'Villmanstrand', fi: 50, sv: 0, area: '5' },
  { postalCode: '57100', city: 'Savonlinna', citySv: 'Nyslott', fi: 25, sv: 0, area: '15' },
  { postalCode: '60100', city: 'Seinäjoki', fi: 40, sv: 0, area: '6' },
  { postalCode: '64200', city: 'Närpiö', citySv: 'Närpes', fi: 1, sv: 12, area: '6' },
  { postalCode: '65100', city: 'Vaasa', citySv: 'Vasa', fi: 35, sv: 28, area: '6' },
  { postalCode: '66900', city: 'Uusikaarlepyy', citySv: 'Nykarleby', fi: 1, sv: 10, area: '6' },
  { postalCode: '67100', city: 'Kokkola', citySv: 'Karleby', fi: 30, sv: 10, area: '6' },
  { postalCode: '68600', city: 'Pietarsaari', citySv: 'Jakobstad', fi: 6, sv: 22, area: '6' },
  { postalCode: '70100', city: 'Kuopio', fi: 75, sv: 0, area: '17' },
  { postalCode: '74100', city: 'Iisalmi', citySv: 'Idensalmi', fi: 15, sv: 0, area: '17' },
  { postalCode: '80100', city: 'Joensuu', fi: 50, sv: 0, area: '13' },
  { postalCode: '87100', city: 'Kajaani', citySv: 'Kajana', fi: 25, sv: 0, area: '8' },
  { postalCode: '90100', city: 'Oulu', citySv: 'Uleåborg', fi: 100, sv: 1, area: '8' },
  { postalCode: '94100', city: 'Kemi', fi: 15, sv: 0, area: '16' },
  { postalCode: '96100', city: 'Rovaniemi', fi: 40, sv: 0, area: '16' },
];

/** Finnish mobile prefixes (operator ranges 040–050) without the trunk 0, weighted by rough share. */
export const MOBILE_PREFIXES: readonly (readonly [string, number])[] = [
  ['40', 35], ['50', 30], ['44', 15], ['45', 8], ['41', 6], ['46', 6],
];

/** Business line stems and suffixes: Oy (osakeyhtiö), Ky (kommandiittiyhtiö), Tmi (toiminimi), Ab (aktiebolag). */
export const FINNISH_TRADES = [
  'Rakennus', 'Kuljetus', 'Sähkö', 'Kiinteistöhuolto', 'Tilitoimisto', 'Konsultointi', 'Autokorjaamo',
  'Metsäpalvelu', 'Kukkakauppa', 'Mainostoimisto', 'IT-palvelut', 'Putkityö', 'Maalaus', 'Kahvila',
] as const;

export const FINNISH_COMPANY_STEMS = [
  'Pohjolan', 'Järvi-Suomen', 'Rannikon', 'Lakeuden', 'Kaamos', 'Revontuli', 'Harjun', 'Saimaan',
  'Kuusiston', 'Koillis', 'Länsi-Uudenmaan', 'Kalevan',
] as const;

export const SWEDISH_TRADES = [
  'Bygg', 'Transport', 'El', 'Fastighetsservice', 'Bokföring', 'Konsult', 'Trädgård', 'Måleri', 'Rör',
] as const;

export const FINNISH_COMPANY_SUFFIXES: readonly (readonly [string, number])[] = [['Oy', 75], ['Ky', 10], ['Oy Ab', 15]];
export const SWEDISH_COMPANY_SUFFIXES: readonly (readonly [string, number])[] = [['Ab', 80], ['Kb', 10], ['Oy Ab', 10]];

/** Only example.* style domains, so no generated address can be a real mailbox. */
export const PERSON_EMAIL_DOMAINS: readonly (readonly [string, number])[] = [
  ['example.fi', 35], ['example.com', 30], ['posti.example', 15], ['mail.example', 10], ['netti.example', 10],
];

/** Folds a name to the ASCII an e-mail local part or domain label would use (ä→a, ö→o, å→a, é→e …). */
export function foldForEmail(text: string): string {
  return text
    .toLowerCase()
    .replace(/[äåáàâ]/g, 'a')
    .replace(/[öóòôø]/g, 'o')
    .replace(/[éèêë]/g, 'e')
    .replace(/[üúù]/g, 'u')
    .replace(/[íì]/g, 'i')
    .replace(/ñ/g, 'n')
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9.-]+/g, '');
}
