/**
 * The fast reading of an event (`wellFormedEvent`) takes nothing `EventSchema` refuses and gives
 * what it gives; anything else falls to `EventSchema`, which names the fault.
 */
import { describe, expect, it } from 'vitest';
import type { Instant } from '../records.ts';
import { EventSchema, parseSiteEventBatch, wellFormedEvent } from './site-event-batch.ts';

const AT = '2026-11-30T09:05:01.123Z';
const props = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));

const INPUTS: unknown[] = [
  { type: 'page', page: '/a' },
  { type: 'page', page: '/a', at: AT, props: { a: 1, b: 'x', c: true, d: null }, slot: 'top', extra: 'dropped' },
  { type: 'track', name: 'subscription_started', page: '/tilaa', at: AT },
  { type: 'identify', token: 'abc.def', customerId: 'C1', at: AT },
  { type: 'identify', token: 'abc.def' },
  { type: 'track', page: '/a' },
  { type: 'track', name: '', page: '/a' },
  { type: 'track', name: 'has space', page: '/a' },
  { type: 'track', name: 'x'.repeat(101), page: '/a' },
  { type: 'page', page: '' },
  { type: 'page', page: 'x'.repeat(2001) },
  { type: 'page', page: 'a' },
  { type: 'track', name: 'x', page: 'urheilu/jalkapallo' },
  { type: 'page', page: '/a', slot: null },
  { type: 'page', page: '/a', slot: '' },
  { type: 'page', page: '/a', slot: 'Front Top!' },
  { type: 'track', name: 'x', page: '/a', slot: 'front-top' },
  { type: 'page', page: '/a', slot: 'x'.repeat(41) },
  { type: 'page', page: '/a', props: null },
  { type: 'page', page: '/a', props: [] },
  { type: 'page', page: '/a', props: { '': 1 } },
  { type: 'page', page: '/a', props: { k: { nested: 1 } } },
  { type: 'page', page: '/a', props: { k: 'x'.repeat(501) } },
  { type: 'page', page: '/a', props: props(20) },
  { type: 'page', page: '/a', props: props(21) },
  { type: 'page', page: '/a', at: '2026-02-30T00:00:00Z' },
  { type: 'page', page: '/a', at: '2026-11-30T24:00:00Z' },
  { type: 'page', page: '/a', at: '2026-11-30T09:05:01+02:00' },
  { type: 'page', page: '/a', at: '2026-11-30' },
  { type: 'page', page: '/a', at: 1764493501000 },
  { type: 'identify', token: '' },
  { type: 'identify', token: 't', customerId: '' },
  { type: 'wave', page: '/a' },
  { page: '/a' },
  null,
  'page',
  [],
];

describe('wellFormedEvent', () => {
  it.each(INPUTS.map((input) => [JSON.stringify(input)?.slice(0, 80) ?? String(input), input] as const))('%s: taken only as EventSchema takes it', (_name, input) => {
    const fast = wellFormedEvent(input);
    const schema = EventSchema.safeParse(input);
    if (fast !== null) expect(schema.success && schema.data).toEqual(fast);
  });

  it('takes what the SDK sends', () => {
    expect(wellFormedEvent({ type: 'track', name: 'scroll_depth', page: '/a', props: { depth: 5 }, at: new Date().toISOString() })).not.toBeNull();
    expect(wellFormedEvent({ type: 'page', page: '/a', at: AT })).toEqual({ type: 'page', page: '/a', at: AT });
  });
});

describe('parseSiteEventBatch refuses, per event and naming the field', () => {
  const NOW = '2026-11-30T09:05:02.000Z' as Instant;
  const batch = (...events: unknown[]) => parseSiteEventBatch({ site: 'uutisvirta.fi', consent: { site_ads: true }, visitorId: 'vis_0000000000000001', events }, NOW);
  const faults = (...events: unknown[]) => {
    const parsed = batch(...events);
    return parsed.ok ? [] : parsed.faults.map((f) => f.field);
  };

  it('a page that is not a path on the site', () => {
    expect(faults({ type: 'page', page: '/a' }, { type: 'page', page: 'a' }, { type: 'track', name: 'x', page: 'https://uutisvirta.fi/a' })).toEqual(['events.1.page', 'events.2.page']);
    // A protocol-relative address is a whole URL too (a browser reads //host/a as another site).
    expect(faults({ type: 'page', page: '//evil.example/a' }, { type: 'page', page: '/a//b' })).toEqual(['events.0.page']);
    const parsed = batch({ type: 'page', page: 'a' });
    expect(parsed.ok ? null : parsed.faults[0]?.message).toContain('starting with /');
  });

  it.each([
    ['anna@example.fi'],
    ['Anna.Virtanen@Example.FI'],
    ['mailto:anna@example.fi.'],
    ['yhteys: <anna@example.fi>, kiitos'],
    ['/tilaa?email=anna%40example.fi'],
    ['040 123 4567'],
    ['+358 40 1234567'],
    ['+358401234567'],
    ['soita 040-1234567 tai 050 765 4321'],
    ['(09) 123 4567'],
  ])('a property holding personal data in clear: %s', (value) => {
    expect(faults({ type: 'page', page: '/a' }, { type: 'track', name: 'lead', page: '/tilaa', props: { product: 'UV-PRINT-7', email: value } })).toEqual(['events.1.props.email']);
  });

  it.each([['UV-PRINT-7'], ['2026-11-20'], ['2026-11-20T10:00:00Z'], ['order 123456789'], ['9.90 €'], ['@uutisvirta'], ['a@b'], ['1234567'], ['v1.2.3']])('not an ordinary property: %s', (value) => {
    expect(faults({ type: 'track', name: 'x', page: '/a', props: { value } })).toEqual([]);
  });

  it('numbers are counts, prices or ids, not read as phone numbers', () => {
    expect(faults({ type: 'track', name: 'x', page: '/a', props: { order: 358401234567 } })).toEqual([]);
  });
});
