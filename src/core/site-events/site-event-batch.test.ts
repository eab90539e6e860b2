/**
 * The fast reading of an event (`wellFormedEvent`) takes nothing `EventSchema` refuses and gives
 * what it gives; anything else falls to `EventSchema`, which names the fault.
 */
import { describe, expect, it } from 'vitest';
import { EventSchema, wellFormedEvent } from './site-event-batch.ts';

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
