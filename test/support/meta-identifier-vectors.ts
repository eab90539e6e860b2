/**
 * Inputs whose Meta hashes the browser SDK (src/sdk/meta-identifiers.ts) and the server
 * (src/use-cases/ad-audiences/hashed-identifiers.ts) must agree on: spaces, case, the `00358`, `0`
 * and `+358` forms, `(0)`, other countries, Unicode domains and invisible characters. Each vector is
 * hashed both ways in test/sdk/meta-identifiers.test.ts (Node) and test/browser/sdk-demo.test.ts
 * (Chromium's Web Crypto).
 */
export interface IdentifierVector {
  email?: string;
  phone?: string;
  country: string;
}

export const META_IDENTIFIER_VECTORS: readonly IdentifierVector[] = [
  { email: ' Anna.Virtanen@Example.FI', phone: '040 123 4567', country: 'FI' },
  { email: 'Matti.Meikalainen+uutiset@Gmail.com', phone: '+358 40 123 4567', country: 'FI' },
  { email: 'j.o.e@googlemail.com', phone: '00358 40 1234567', country: 'FI' },
  { email: 'ÄITI@Päivä.fi', phone: '+358 (0)40-123 4567', country: 'FI' },
  { email: '\u200bpiilo@example.fi\u00a0', phone: '070-123 45 67', country: 'SE' },
  { email: 'first.last@gmail.com.example', phone: '+46 70 123 45 67', country: 'FI' },
  { email: 'USER@EXAMPLE.COM.', phone: '(202) 555-0143', country: 'US' },
  { phone: '0151 23456789', country: 'DE' },
  { email: 'ei-osoite', phone: '12', country: 'FI' },
  { email: 'kaksi@@example.fi', phone: '040 123 4567 ext. 5', country: 'FI' },
];
