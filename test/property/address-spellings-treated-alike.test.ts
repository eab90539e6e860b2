/**
 * Any two spellings of an address that the normaliser calls equal are treated alike: two customers,
 * one with each spelling (entered through the import or the API), and a suppression or Robinson
 * entry imported in a third spelling get the same answer from `decide`, the audience, the call
 * list and the print file: blocked when the entry exists, allowed when it does not.
 * Spellings vary case, Unicode composition (NFC/NFD), invisible characters, NBSP and spacing, the
 * trailing dot and the Unicode or punycode form of a mail domain, and the ways of writing a Finnish
 * number (+358, +358 0, 00358, 0…, (0), 358…).
 */
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { normaliseEmail, normalisePhone, postalKey } from '../../src/core/addresses.ts';
import type { CustomerId, Instant } from '../../src/core/records.ts';
import type { Channel } from '../../src/core/vocabulary.ts';
import { runImport } from '../../src/import/run-import.ts';
import { allowedCustomers } from '../../src/use-cases/audience.ts';
import { callList, printList } from '../../src/use-cases/contact-lists.ts';
import { createCustomer } from '../../src/use-cases/customers.ts';
import { decideForCustomer } from '../../src/use-cases/decide-for-customer.ts';
import { describeEachStore } from '../support/stores.ts';

const AT = '2026-03-02T10:00:00.000Z' as Instant;
const BEFORE = '2025-01-01T00:00:00.000Z';
const CHANNELS = ['email', 'sms', 'phone', 'post'] as const satisfies readonly Channel[];
const INVISIBLE = ['\u200B', '\u200C', '\u200D', '\uFEFF', '\u00AD', '\u200E', '\u200F', '\u2060', '\u202A'];
const SPACES = [' ', '  ', '\u00A0', '\t'];
const DOMAINS = [
  { unicode: 'example.fi', ascii: 'example.fi' },
  { unicode: 'päivä.fi', ascii: 'xn--piv-qlac.fi' },
  { unicode: 'ääkkönen.example', ascii: 'xn--kknen-fraa0m.example' },
];
const STREETS = ['Hämeentie', 'Åkerlundinkatu', 'Mannerheimintie'];

/** How one spelling departs from the plain form; applied to whatever address a run uses. */
const spellingArb = fc.record({
  upper: fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
  decomposed: fc.boolean(),
  invisible: fc.array(fc.record({ at: fc.nat(40), ch: fc.constantFrom(...INVISIBLE) }), { maxLength: 3 }),
  pad: fc.constantFrom('', ' ', '\u00A0', '\uFEFF'),
  space: fc.constantFrom(...SPACES),
  punycode: fc.boolean(),
  trailingDot: fc.boolean(),
  phoneForm: fc.nat(6),
});
type Spelling = typeof spellingArb extends fc.Arbitrary<infer T> ? T : never;

function vary(text: string, s: Spelling): string {
  let out = [...text].map((c, i) => (s.upper[i % s.upper.length] === true ? c.toUpperCase() : c)).join('');
  if (s.decomposed) out = out.normalize('NFD');
  for (const { at, ch } of s.invisible) {
    const i = at % (out.length + 1);
    out = out.slice(0, i) + ch + out.slice(i);
  }
  return s.pad + out + s.pad;
}

function emailSpelling(local: string, domain: (typeof DOMAINS)[number], s: Spelling): string {
  return vary(`${local}@${s.punycode ? domain.ascii : domain.unicode}${s.trailingDot ? '.' : ''}`, s);
}

/** `national` is the number without its trunk 0 (nine digits, 40 …). */
function phoneSpelling(national: string, s: Spelling): string {
  const [a, b] = [national.slice(0, 2), national.slice(2)];
  const forms = [`+358 ${a} ${b}`, `+358 0${a} ${b}`, `00358 ${a} ${b}`, `0${a}-${b}`, `+358 (0)${a} ${b}`, `358${national}`, `(0${a}) ${b}`];
  const form = forms[s.phoneForm % forms.length] ?? `+358 ${national}`;
  return vary(form.replaceAll(' ', s.space === '\t' ? ' ' : s.space), { ...s, upper: [false], decomposed: false });
}

function streetSpelling(street: string, s: Spelling): string {
  return vary(street.replaceAll(' ', s.space), s);
}

const worldArb = fc.record({
  spellings: fc.tuple(spellingArb, spellingArb, spellingArb),
  domain: fc.constantFrom(...DOMAINS),
  street: fc.constantFrom(...STREETS),
  suppressed: fc.record({ email: fc.boolean(), sms: fc.boolean(), phone: fc.boolean(), post: fc.boolean() }),
  secondViaApi: fc.boolean(),
  refreshSummaries: fc.boolean(),
});

describeEachStore('spellings the normaliser calls equal are treated alike', (ctx) => {
  let run = 0;

  it('by decide, the audience, the call list and the print file', async () => {
    await fc.assert(
      fc.asyncProperty(worldArb, async (w) => {
        run++;
        const app = ctx.app;
        const national = `40${String(1_000_000 + run).slice(1)}${run % 10}`.slice(0, 9);
        const local = `asiakas.${run}`;
        const street = `${w.street} ${run} B ${run % 7}`;
        const postcode = '00530';
        const [a, b, c] = w.spellings;
        const email = [emailSpelling(local, w.domain, a), emailSpelling(local, w.domain, b), emailSpelling(local, w.domain, c)];
        const phone = [phoneSpelling(national, a), phoneSpelling(national, b), phoneSpelling(national, c)];
        const streets = [streetSpelling(street, a), streetSpelling(street, b), streetSpelling(street, c)];
        const postcodes = [vary(postcode, a), `${postcode.slice(0, 2)}${b.space}${postcode.slice(2)}`, vary(postcode, c)];
        // The premise: the normaliser calls the three spellings of each address equal.
        expect(new Set(email.map(normaliseEmail)).size, JSON.stringify(email)).toBe(1);
        expect(new Set(phone.map((p) => normalisePhone(p))).size, JSON.stringify(phone)).toBe(1);
        expect(new Set(streets.map((st, i) => postalKey({ street: st, postalCode: postcodes[i] ?? '' }))).size, JSON.stringify(streets)).toBe(1);

        const ids = [`S${run}A`, `S${run}B`] as CustomerId[];
        const address = (i: number) => ({ street: streets[i] ?? '', postalCode: postcodes[i] ?? '', city: 'Helsinki', country: 'FI' });
        const records: object[] = [{ type: 'customer', id: ids[0], kind: 'person', name: 'A', email: email[0], phone: phone[0], address: address(0) }];
        if (w.secondViaApi) {
          await createCustomer({ customers: app.stores.customers, now: () => AT }, { id: ids[1] ?? '', kind: 'person', name: 'B', email: email[1] ?? '', phone: phone[1] ?? '', address: address(1) });
        } else {
          records.push({ type: 'customer', id: ids[1], kind: 'person', name: 'B', email: email[1], phone: phone[1], address: address(1) });
        }
        for (const id of ids) records.push({ type: 'consent', customerId: id, purpose: 'marketing', value: 'granted', at: BEFORE, source: 'web' });
        const entry = { at: BEFORE, validUntil: '2099-01-01T00:00:00Z' };
        if (w.suppressed.email) records.push({ type: 'suppression', channel: 'email', address: email[2], reason: 'unsubscribe', ...entry });
        if (w.suppressed.sms) records.push({ type: 'suppression', channel: 'sms', address: phone[2], reason: 'unsubscribe', ...entry });
        if (w.suppressed.phone) records.push({ type: 'suppression', channel: 'phone', address: phone[2], reason: 'robinson', ...entry });
        if (w.suppressed.post) records.push({ type: 'suppression', channel: 'post', address: { street: streets[2], postalCode: postcodes[2] }, reason: 'robinson', ...entry });
        const text = records.map((r) => JSON.stringify(r)).join('\n') + '\n';
        const result = await runImport({ database: app.database, settings: app.settings, now: () => AT }, { stream: Readable.from([text]), format: 'ndjson' });
        expect(result.errors).toEqual([]);
        if (w.refreshSummaries) await app.stores.audience.refreshSummaries();

        const deps = { ...app.stores, settings: app.settings };
        const actor = { actor: 'property-test', role: 'marketer' };
        for (const channel of CHANNELS) {
          const question = { purpose: 'marketing' as const, channel, sku: null, at: AT };
          const expected = !w.suppressed[channel];
          for (const customerId of ids) {
            const d = await decideForCustomer(deps, { customerId, ...question });
            expect(d.allowed, `${channel} decide ${customerId}`).toBe(expected);
          }
          const audience = new Set<string>();
          for await (const row of allowedCustomers(deps, { ...question, filter: {} })) audience.add(row.customerId);
          for (const id of ids) expect(audience.has(id), `${channel} audience ${id}`).toBe(expected);
          if (channel === 'phone' || channel === 'post') {
            const listed = new Set<string>();
            const list = channel === 'phone' ? callList(deps, { sku: null, at: AT, filter: {}, actor }) : printList(deps, { sku: null, at: AT, filter: {}, actor });
            for await (const row of list) listed.add(row.customerId);
            for (const id of ids) expect(listed.has(id), `${channel} list ${id}`).toBe(expected);
          }
        }
      }),
      { numRuns: 15 },
    );
  }, 120_000);
});
