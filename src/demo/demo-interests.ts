/**
 * The demo's stated interests: some customers told us what they care about (a few later said they
 * are not interested after all), so the preference page, the customer view and segments on
 * interests have something to show after the first start. Deterministic from the customer count.
 */
import type { InterestStore, StatedInterest } from '../core/interests/interests.ts';
import type { Instant } from '../core/records.ts';

const STATED_TOPICS = ['sport', 'history', 'science', 'cars', 'children', 'travel', 'culture'] as const;
const DAY_MS = 86_400_000;

/** Every seventh demo customer states an interest; every third of those declines news. */
export function demoStatedInterests(customers: number, at: Instant): StatedInterest[] {
  const out: StatedInterest[] = [];
  for (let index = 7; index <= customers; index += 7) {
    const customerId = `C${String(index).padStart(7, '0')}`;
    const said = new Date(Date.parse(at) - (index % 300) * DAY_MS).toISOString() as Instant;
    const topic = STATED_TOPICS[(index / 7) % STATED_TOPICS.length] as string;
    out.push({ customerId, topic, value: 'interested', source: 'import', actor: 'demo', at: said });
    if (index % 21 === 0) out.push({ customerId, topic: 'news', value: 'not_interested', source: 'import', actor: 'demo', at: said });
  }
  return out;
}

/** Records the demo's stated interests; returns how many. */
export async function saveDemoInterests(interests: Pick<InterestStore, 'record'>, customers: number, at: Instant): Promise<number> {
  const records = demoStatedInterests(customers, at);
  await interests.record(records, at);
  return records.length;
}
