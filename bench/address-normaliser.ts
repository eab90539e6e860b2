/**
 * Throughput of the address normaliser (addresses per second), on the mix an import sees: plain
 * ASCII e-mails, Finnish phone numbers in their usual spellings, street addresses with ä/ö, and a
 * few Unicode and invisible-character cases. Run: `npx tsx bench/address-normaliser.ts`.
 * Compare with another implementation by passing its module path: `… bench/address-normaliser.ts ./old.ts`.
 */
import { performance } from 'node:perf_hooks';

type Normalisers = {
  normaliseEmail(raw: string): string | null;
  normalisePhone(raw: string): string | null;
  postalKey(a: { street: string; postalCode: string }): string;
};

const modulePath = process.argv[2] ?? '../src/core/addresses.ts';
const { normaliseEmail, normalisePhone, postalKey } = (await import(modulePath)) as Normalisers;

const N = 200_000;
const emails = Array.from({ length: N }, (_, i) => (i % 50 === 0 ? `Ä${i}@Päivä.FI` : i % 97 === 0 ? `user${i}\u200B@example.fi.` : `Etu.Suku${i}@Example.fi`));
const phones = Array.from({ length: N }, (_, i) => {
  const n = String(1_000_000 + (i % 9_000_000)).slice(-7);
  return [`040 ${n}`, `+358 40 ${n}`, `+358401${n.slice(1)}`, `050-${n}`][i % 4] ?? '';
});
const streets = Array.from({ length: N }, (_, i) => ({ street: `Hämeentie ${i % 200} B ${i % 40}`, postalCode: `00${String(i % 1000).padStart(3, '0')}` }));

function measure(name: string, fn: (i: number) => unknown): number {
  for (let i = 0; i < 20_000; i++) fn(i); // warm-up
  const start = performance.now();
  for (let i = 0; i < N; i++) fn(i);
  const perSecond = Math.round(N / ((performance.now() - start) / 1000));
  process.stdout.write(`${name.padEnd(8)} ${perSecond.toLocaleString('en')} addresses/s (${(1e6 / perSecond).toFixed(2)} µs each)\n`);
  return perSecond;
}

measure('email', (i) => normaliseEmail(emails[i] ?? ''));
measure('phone', (i) => normalisePhone(phones[i] ?? ''));
measure('postal', (i) => postalKey(streets[i] ?? { street: '', postalCode: '' }));
