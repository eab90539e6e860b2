import { describe, it, expect } from 'vitest';
import {
  CHANNELS,
  CONSENT_VALUES,
  CUSTOMER_KINDS,
  OBJECTION_SCOPES,
  PURPOSES,
  SALES_CHANNELS,
  SUPPRESSION_REASONS,
  isOneOf,
} from '../core/vocabulary.ts';
import { CATALOGUE } from './catalogue.ts';
import {
  FINNISH_FEMALE_FIRST,
  FINNISH_MALE_FIRST,
  SWEDISH_FEMALE_FIRST,
  SWEDISH_MALE_FIRST,
  foldForEmail,
} from './finnish-data.ts';
import { demoToNdjson, generateDemoRecords, type DemoRecord } from './generate-demo.ts';
import { Rng } from './random.ts';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const NOW = '2026-11-01T00:00:00.000Z';
const EPOCH = '2018-01-01T00:00:00.000Z';

const collect = (customers: number, seed: number): DemoRecord[] => [...generateDemoRecords({ customers, seed })];
// One shared sample: 5,000 customers take well under a second and keep rate bands stable.
const sample = collect(5000, 20261101);
const customers = sample.flatMap((r) => (r.type === 'customer' ? [r] : []));

function isIso(value: unknown): boolean {
  return typeof value === 'string' && ISO.test(value) && new Date(value).toISOString() === value;
}

describe('Rng', () => {
  it('repeats for a seed and stays in range', () => {
    const a = new Rng(5);
    const b = new Rng(5);
    for (let i = 0; i < 1000; i++) {
      const x = a.int(3, 9);
      expect(x).toBe(b.int(3, 9));
      expect(x).toBeGreaterThanOrEqual(3);
      expect(x).toBeLessThanOrEqual(9);
    }
    expect(new Rng(6).next()).not.toBe(new Rng(5).next());
  });

  it('never picks a zero weight', () => {
    const rng = new Rng(1);
    for (let i = 0; i < 1000; i++) expect(rng.weighted([['a', 0], ['b', 1], ['c', 0]])).toBe('b');
  });
});

describe('generateDemoRecords', () => {
  it('gives identical output for the same seed', () => {
    expect([...demoToNdjson({ customers: 300, seed: 7 })]).toEqual([...demoToNdjson({ customers: 300, seed: 7 })]);
  });

  it('gives different output for a different seed', () => {
    expect([...demoToNdjson({ customers: 300, seed: 7 })].join('')).not.toBe([...demoToNdjson({ customers: 300, seed: 8 })].join(''));
  });

  it('makes a shorter run an exact prefix of a longer one', () => {
    const short = [...demoToNdjson({ customers: 50, seed: 3 })];
    const long = [...demoToNdjson({ customers: 100, seed: 3 })];
    expect(long.slice(0, short.length)).toEqual(short);
  });

  it('streams: a huge run yields its first records without building them all', () => {
    const it = generateDemoRecords({ customers: 100_000_000, seed: 1 });
    let seen = 0;
    for (const record of it) {
      if (record.type === 'customer' && record.id === 'C0000010') break;
      seen++;
    }
    expect(seen).toBeGreaterThan(CATALOGUE.length);
  });

  it('writes one JSON object per line', () => {
    for (const line of demoToNdjson({ customers: 20, seed: 2 })) {
      expect(line.endsWith('\n')).toBe(true);
      expect(line.slice(0, -1)).not.toContain('\n');
      expect(JSON.parse(line)).toHaveProperty('type');
    }
  });

  it('rejects nonsense options', () => {
    expect(() => collect(-1, 1)).toThrow(RangeError);
    expect(() => [...generateDemoRecords({ customers: 1, seed: 1, now: 'yesterday' })]).toThrow(RangeError);
  });

  it('gives every record the fields its shape requires, with valid values', () => {
    for (const r of sample) {
      switch (r.type) {
        case 'product':
          expect(r.sku && r.name && r.category).toBeTruthy();
          break;
        case 'customer':
          expect(r.id).toMatch(/^C\d{7}$/);
          expect(isOneOf(CUSTOMER_KINDS, r.kind)).toBe(true);
          expect(r.name.length).toBeGreaterThan(2);
          if (r.email !== undefined) expect(r.email).toMatch(/^[a-z0-9.-]+@([a-z0-9-]+\.)*example(\.[a-z]+)?$/);
          if (r.address !== undefined) {
            expect(r.address.street).toMatch(/\d/);
            expect(r.address.postalCode).toMatch(/^\d{5}$/);
            expect(r.address.city.length).toBeGreaterThan(1);
            expect(r.address.country).toBe('FI');
          }
          expect(['fi', 'sv', 'en']).toContain(r.locale);
          break;
        case 'order':
          expect(r.id).toMatch(/^O\d{8}$/);
          expect(isOneOf(SALES_CHANNELS, r.soldVia)).toBe(true);
          expect(typeof r.optOutOffered).toBe('boolean');
          expect(isIso(r.startedAt)).toBe(true);
          expect(r.startedAt >= EPOCH && r.startedAt < NOW).toBe(true);
          if (r.endedAt !== null) {
            expect(isIso(r.endedAt)).toBe(true);
            expect(r.endedAt > r.startedAt).toBe(true);
          }
          break;
        case 'consent':
          expect(isOneOf(PURPOSES, r.purpose)).toBe(true);
          if (r.channel !== undefined) expect(isOneOf(CHANNELS, r.channel)).toBe(true);
          expect(isOneOf(CONSENT_VALUES, r.value)).toBe(true);
          expect(isIso(r.at)).toBe(true);
          expect(r.source.length).toBeGreaterThan(0);
          if (r.noticeVersion !== undefined) expect(r.noticeVersion).toMatch(/^\d{4}-\d{2}$/);
          break;
        case 'objection':
          expect(isOneOf(OBJECTION_SCOPES, r.scope)).toBe(true);
          expect(isIso(r.at)).toBe(true);
          expect(r.source.length).toBeGreaterThan(0);
          break;
        case 'suppression':
          expect(isOneOf(CHANNELS, r.channel)).toBe(true);
          expect(isOneOf(SUPPRESSION_REASONS, r.reason)).toBe(true);
          expect(r.address.length).toBeGreaterThan(3);
          expect(isIso(r.at)).toBe(true);
          if (r.validUntil !== undefined) expect(r.validUntil > r.at).toBe(true);
          break;
      }
    }
  });

  it('yields products first and refers only to customers and skus already seen', () => {
    const skus = new Set<string>();
    const seen = new Set<string>();
    const firstOrder = new Map<string, string>();
    const contacts = new Set<string>();
    let customersStarted = false;
    for (const r of sample) {
      if (r.type === 'product') {
        expect(customersStarted).toBe(false);
        skus.add(r.sku);
        continue;
      }
      customersStarted = true;
      if (r.type === 'customer') {
        expect(seen.has(r.id)).toBe(false);
        seen.add(r.id);
        if (r.email) contacts.add(r.email);
        if (r.phone) contacts.add(r.phone);
      } else if (r.type === 'order') {
        expect(seen.has(r.customerId)).toBe(true);
        expect(skus.has(r.sku)).toBe(true);
        if (!firstOrder.has(r.customerId)) firstOrder.set(r.customerId, r.startedAt);
      } else if (r.type === 'consent' || r.type === 'objection') {
        expect(seen.has(r.customerId)).toBe(true);
        // Ledger entries follow the customer's first order, or fall in the demo's window.
        expect(r.at >= (firstOrder.get(r.customerId) ?? EPOCH)).toBe(true);
        expect(r.at < NOW).toBe(true);
      } else if (r.type === 'suppression' && (r.channel === 'email' || r.channel === 'phone' || r.channel === 'sms')) {
        expect(contacts.has(r.address)).toBe(true);
      }
    }
    expect(skus.size).toBeGreaterThanOrEqual(14);
  });

  it('keeps e-mail addresses and phone numbers unique', () => {
    const emails = customers.flatMap((c) => (c.email ? [c.email] : []));
    const phones = customers.flatMap((c) => (c.phone ? [c.phone] : []));
    expect(new Set(emails).size).toBe(emails.length);
    expect(new Set(phones).size).toBe(phones.length);
  });

  it('formats phone numbers in E.164 and post keys as street|postcode', () => {
    for (const c of customers) if (c.phone !== undefined) expect(c.phone).toMatch(/^\+358\d{7,10}$/);
    const persons = customers.filter((c) => c.kind === 'person' && c.phone !== undefined);
    expect(persons.every((c) => /^\+3584\d|^\+3585\d/.test(c.phone ?? ''))).toBe(true);
    for (const r of sample) {
      if (r.type === 'suppression' && r.channel === 'post') expect(r.address).toMatch(/^[^|A-Z]+ \d+[^|A-Z]*\|\d{5}$/);
    }
  });

  it('folds Finnish and Swedish letters out of e-mail addresses', () => {
    expect(foldForEmail('Ähtäri-Öhman Åberg')).toBe('ahtari-ohmanaberg');
    expect(customers.every((c) => c.email === undefined || /^[\x21-\x7e]+$/.test(c.email))).toBe(true);
  });

  it('names people in both Finnish and Swedish', () => {
    const firstNames = new Set(customers.filter((c) => c.kind === 'person').map((c) => c.name.split(' ')[0]));
    const finnish = [...FINNISH_MALE_FIRST, ...FINNISH_FEMALE_FIRST].filter((n) => firstNames.has(n));
    const swedish = [...SWEDISH_MALE_FIRST, ...SWEDISH_FEMALE_FIRST].filter((n) => firstNames.has(n));
    expect(finnish.length).toBeGreaterThan(20);
    expect(swedish.length).toBeGreaterThan(10);
    const sv = customers.filter((c) => c.locale === 'sv').length / customers.length;
    expect(sv).toBeGreaterThan(0.05);
    expect(sv).toBeLessThan(0.12);
  });

  it('produces plausible rates', () => {
    const n = customers.length;
    const count = (pred: (r: DemoRecord) => boolean): number => sample.filter(pred).length;
    const share = (pred: (r: DemoRecord) => boolean): number => count(pred) / n;
    const persons = customers.filter((c) => c.kind === 'person');
    const orders = sample.flatMap((r) => (r.type === 'order' ? [r] : []));

    const business = share((r) => r.type === 'customer' && r.kind === 'business');
    expect(business).toBeGreaterThan(0.02);
    expect(business).toBeLessThan(0.1);
    expect(orders.length / n).toBeGreaterThan(1.5);
    expect(orders.length / n).toBeLessThan(4);
    const offered = orders.filter((o) => o.optOutOffered).length / orders.length;
    expect(offered).toBeGreaterThan(0.78);
    expect(offered).toBeLessThan(0.92);
    expect(orders.some((o) => o.endedAt === null)).toBe(true);
    expect(orders.some((o) => o.endedAt !== null && o.endedAt < NOW)).toBe(true);
    for (const via of SALES_CHANNELS) expect(orders.some((o) => o.soldVia === via)).toBe(true);

    const ledger = share((r) => r.type === 'consent' || r.type === 'objection');
    expect(ledger).toBeGreaterThan(1);
    expect(ledger).toBeLessThan(2.2);
    const emailGrants = new Set(
      sample.flatMap((r) =>
        r.type === 'consent' && r.purpose === 'marketing' && r.channel === 'email' && r.value === 'granted' ? [r.customerId] : [],
      ),
    );
    expect(emailGrants.size / n).toBeGreaterThan(0.28);
    expect(emailGrants.size / n).toBeLessThan(0.42);
    const withdrawn = share((r) => r.type === 'consent' && r.purpose === 'marketing' && r.channel === 'email' && r.value === 'withdrawn');
    expect(withdrawn).toBeGreaterThan(0.04);
    expect(withdrawn).toBeLessThan(0.13);
    for (const purpose of ['partner_marketing', 'ad_audience', 'site_ads'] as const) {
      expect(sample.some((r) => r.type === 'consent' && r.purpose === purpose)).toBe(true);
    }
    expect(sample.some((r) => r.type === 'consent' && r.channel === 'sms')).toBe(true);

    const dm = share((r) => r.type === 'objection' && r.scope === 'direct_marketing');
    expect(dm).toBeGreaterThan(0.008);
    expect(dm).toBeLessThan(0.035);
    const robinsonCustomers = count((r) => r.type === 'suppression' && r.reason === 'robinson' && r.channel === 'phone')
      + count((r) => r.type === 'suppression' && r.reason === 'robinson' && r.channel === 'post');
    expect(robinsonCustomers / n).toBeGreaterThan(0.015);
    expect(robinsonCustomers / n).toBeLessThan(0.06);
    expect(sample.some((r) => r.type === 'suppression' && r.reason === 'hard_bounce')).toBe(true);

    const withEmail = persons.filter((c) => c.email !== undefined).length / persons.length;
    const withPhone = persons.filter((c) => c.phone !== undefined).length / persons.length;
    const withAddress = persons.filter((c) => c.address !== undefined).length / persons.length;
    expect(withEmail).toBeGreaterThan(0.85);
    expect(withEmail).toBeLessThan(0.95);
    expect(withPhone).toBeGreaterThan(0.7);
    expect(withPhone).toBeLessThan(0.8);
    expect(withAddress).toBeGreaterThan(0.92);
  });
});
