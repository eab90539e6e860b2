/**
 * Interests as people manage them (CLI `lupa interests`, `/v1/interests`, the customer view, the
 * preference page): the topics, a customer's stated and inferred interests, a stated interest
 * recorded (appended, never edited), and the inference run (docs/segments-and-predictions.md,
 * "Interests").
 */
import { DomainError } from '../../core/errors.ts';
import {
  TOPIC_CODE,
  type CustomerInterests,
  type InterestRefresh,
  type InterestSource,
  type InterestStore,
  type InterestTopic,
  type InterestValue,
  type StatedInterest,
} from '../../core/interests/interests.ts';
import type { CustomerStore } from '../../core/ports.ts';
import type { CustomerId, Instant } from '../../core/records.ts';

export interface InterestDeps {
  interests: InterestStore;
  customers: Pick<CustomerStore, 'getCustomer'>;
  now: () => Instant;
  /** LUPA_INTEREST_HALF_LIFE_DAYS */
  halfLifeDays: number;
}

const MAX_NAME = 100;

function requireNames(names: Partial<InterestTopic['names']>): InterestTopic['names'] {
  const out = { fi: '', sv: '', en: '' };
  for (const lang of ['fi', 'sv', 'en'] as const) {
    const name = (names[lang] ?? '').trim();
    if (name === '' || name.length > MAX_NAME) throw new DomainError('VALIDATION_FAILED', `the topic needs a name of 1 to ${MAX_NAME} characters in ${lang}`, { field: `names.${lang}` });
    out[lang] = name;
  }
  return out;
}

function requireCode(code: string): string {
  if (!TOPIC_CODE.test(code)) throw new DomainError('VALIDATION_FAILED', 'a topic code is lower-case letters, digits and _, starting with a letter, at most 40 (e.g. home_garden)', { field: 'code' });
  return code;
}

function requireCategories(categories: readonly string[] | undefined): string[] {
  const list = (categories ?? []).map((c) => c.trim());
  if (list.some((c) => c === '' || c.length > 100)) throw new DomainError('VALIDATION_FAILED', 'a category is 1 to 100 characters', { field: 'categories' });
  return [...new Set(list)].sort();
}

/** @throws VALIDATION_FAILED (code, names.fi/sv/en, categories), TOPIC_EXISTS */
export async function addTopic(deps: Pick<InterestDeps, 'interests'>, input: { code: string; names: Partial<InterestTopic['names']>; categories?: readonly string[] }): Promise<InterestTopic> {
  const topic = { code: requireCode(input.code), names: requireNames(input.names), categories: requireCategories(input.categories) };
  await deps.interests.addTopic(topic);
  return topic;
}

/**
 * New names (those given; the others kept) and, when given, the categories that imply the topic.
 * @throws UNKNOWN_TOPIC, VALIDATION_FAILED
 */
export async function changeTopic(deps: Pick<InterestDeps, 'interests'>, code: string, input: { names?: Partial<InterestTopic['names']>; categories?: readonly string[] }): Promise<InterestTopic> {
  const before = await requireTopic(deps, code);
  const topic = {
    code,
    names: requireNames({ ...before.names, ...definedOnly(input.names ?? {}) }),
    categories: input.categories === undefined ? before.categories : requireCategories(input.categories),
  };
  await deps.interests.changeTopic(topic);
  return topic;
}

function definedOnly(names: Partial<InterestTopic['names']>): Partial<InterestTopic['names']> {
  return Object.fromEntries(Object.entries(names).filter(([, v]) => v !== undefined));
}

/** @throws UNKNOWN_TOPIC */
export async function requireTopic(deps: Pick<InterestDeps, 'interests'>, code: string): Promise<InterestTopic> {
  const topic = (await deps.interests.topics()).find((t) => t.code === code);
  if (topic === undefined) throw new DomainError('UNKNOWN_TOPIC', `no interest topic "${code}" (lupa interests topics)`, { field: 'topic' });
  return topic;
}

/** The customer's latest stated record per topic and inferred weights, now. @throws UNKNOWN_CUSTOMER */
export async function customerInterests(deps: Pick<InterestDeps, 'interests' | 'customers' | 'now'>, customerId: string): Promise<CustomerInterests> {
  await requireCustomer(deps, customerId);
  return deps.interests.interestsOf(customerId, deps.now());
}

/**
 * One stated interest appended (an agent's or an import's record; the page writes its own).
 * @throws UNKNOWN_CUSTOMER, UNKNOWN_TOPIC
 */
export async function recordInterest(
  deps: Pick<InterestDeps, 'interests' | 'customers' | 'now'>,
  input: { customerId: string; topic: string; value: InterestValue; source: InterestSource; actor: string; at?: Instant },
): Promise<CustomerInterests> {
  await requireCustomer(deps, input.customerId);
  const now = deps.now();
  await deps.interests.record([{ customerId: input.customerId, topic: input.topic, value: input.value, source: input.source, actor: input.actor, at: input.at ?? now }], now);
  return deps.interests.interestsOf(input.customerId, now);
}

/**
 * The records a preference form makes: `interested` for a topic ticked that the person had not
 * stated an interest in, `not_interested` for one unticked that they had, and `not_interested`
 * for each inferred topic they removed. Nothing for a topic whose state does not change.
 */
export function recordsFromChoices(
  current: CustomerInterests,
  choice: { ticked: ReadonlySet<string>; offered: readonly string[]; removedInferred: readonly string[] },
  at: Instant,
): StatedInterest[] {
  const stated = new Map(current.stated.map((s) => [s.topic, s.value]));
  const record = (topic: string, value: InterestValue): StatedInterest => ({ customerId: current.customerId, topic, value, source: 'preference_page', actor: 'customer', at });
  const out: StatedInterest[] = [];
  for (const topic of choice.offered) {
    const was = stated.get(topic) === 'interested';
    if (choice.ticked.has(topic) && !was) out.push(record(topic, 'interested'));
    if (!choice.ticked.has(topic) && was) out.push(record(topic, 'not_interested'));
  }
  for (const topic of choice.removedInferred) {
    if (!out.some((r) => r.topic === topic) && stated.get(topic) !== 'not_interested') out.push(record(topic, 'not_interested'));
  }
  return out;
}

/** Every inferred interest recomputed now (set-based, only where profiling is allowed). */
export async function refreshInterests(deps: Pick<InterestDeps, 'interests' | 'now' | 'halfLifeDays'>): Promise<InterestRefresh & { ms: number }> {
  const started = performance.now();
  const run = await deps.interests.refreshInferred(deps.now(), deps.halfLifeDays);
  return { ...run, ms: Math.round(performance.now() - started) };
}

async function requireCustomer(deps: Pick<InterestDeps, 'customers'>, customerId: string): Promise<void> {
  if ((await deps.customers.getCustomer(customerId as CustomerId)) === null) throw new DomainError('UNKNOWN_CUSTOMER', `no customer with id ${customerId}`, { field: 'id' });
}

/** The dependencies from the app's stores, clock and LUPA_INTEREST_HALF_LIFE_DAYS. */
export function interestDeps(app: {
  stores: { interests: InterestStore; customers: Pick<CustomerStore, 'getCustomer'> };
  now: () => Instant;
  config: { LUPA_INTEREST_HALF_LIFE_DAYS: number };
}): InterestDeps {
  return { interests: app.stores.interests, customers: app.stores.customers, now: app.now, halfLifeDays: app.config.LUPA_INTEREST_HALF_LIFE_DAYS };
}
