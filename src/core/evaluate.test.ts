/**
 * `evaluate` on facts: the shape of every verdict (property-based, with fast-check, and exhaustively over
 * consistent facts), plus the rules that can be stated as invariants of the facts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EligibilityFacts, SimilarOrderFacts } from './eligibility-facts.ts';
import { evaluate, type DecisionQuery, type Verdict } from './evaluate.ts';
import { cleanFacts } from './test-builders.ts';
import {
  ALLOWING_REASONS,
  BASES,
  BLOCKING_REASONS,
  CHANNELS,
  CONSENT_ONLY_PURPOSES,
  CUSTOMER_KINDS,
  DIRECT_MARKETING_PURPOSES,
  MARKETING_MESSAGE_PURPOSES,
  PURPOSES,
  needsAddress,
  type Basis,
  type ReasonCode,
} from './vocabulary.ts';

const RUNS = { numRuns: 2000 };

/** Similar-order facts as `decide` can produce them: each flag implies the ones it refines. */
const consistentSimilar: fc.Arbitrary<SimilarOrderFacts> = fc
  .array(fc.record({ live: fc.boolean(), optOut: fc.boolean() }), { maxLength: 3 })
  .map((orders) => ({
    any: orders.length > 0,
    anyOptOut: orders.some((o) => o.optOut),
    live: orders.some((o) => o.live),
    liveOptOut: orders.some((o) => o.live && o.optOut),
  }));

/** Any combination of flags, consistent or not: the verdict's shape must hold whatever it is given. */
const anySimilar: fc.Arbitrary<SimilarOrderFacts> = fc.record({
  any: fc.boolean(),
  anyOptOut: fc.boolean(),
  live: fc.boolean(),
  liveOptOut: fc.boolean(),
});

function factsArb(similar: fc.Arbitrary<SimilarOrderFacts>): fc.Arbitrary<EligibilityFacts> {
  return fc.record({
    kind: fc.constantFrom(...CUSTOMER_KINDS),
    hasAddress: fc.boolean(),
    hardBounced: fc.boolean(),
    marketingSuppressed: fc.boolean(),
    robinson: fc.boolean(),
    objectedDirectMarketing: fc.boolean(),
    objectedProfiling: fc.boolean(),
    consent: fc.constantFrom('granted' as const, 'withdrawn' as const, null),
    hasAnyOrder: fc.boolean(),
    similar: fc.option(similar, { nil: null }),
  });
}

const queryArb: fc.Arbitrary<DecisionQuery> = fc.record({
  purpose: fc.constantFrom(...PURPOSES),
  channel: fc.constantFrom(...CHANNELS),
  hasProduct: fc.boolean(),
});

/** Facts and query as `decide` builds them: similar is null exactly when no product is named. */
const consistentCase = fc
  .tuple(queryArb, factsArb(consistentSimilar))
  .map(([query, facts]): [DecisionQuery, EligibilityFacts] => {
    const similar = query.hasProduct ? (facts.similar ?? { any: false, anyOptOut: false, live: false, liveOptOut: false }) : null;
    return [query, { ...facts, similar, hasAnyOrder: facts.hasAnyOrder || (similar?.any ?? false) }];
  });

const anyCase = fc.tuple(queryArb, factsArb(anySimilar));

const BASIS_OF_ALLOWING: Record<(typeof ALLOWING_REASONS)[number], Basis> = {
  SERVICE_MESSAGE: 'contract',
  CONSENT_GRANTED: 'consent',
  SOFT_OPT_IN: 'soft_opt_in',
  BUSINESS_CUSTOMER: 'legitimate_interest',
  OPT_OUT_REGIME: 'legitimate_interest',
  LEGITIMATE_INTEREST: 'legitimate_interest',
};

/** The shape of every verdict; throws (via expect) when it does not hold. */
function expectWellFormed(v: Verdict): void {
  if (v.allowed) {
    expect(v.reasons).toHaveLength(1);
    expect(ALLOWING_REASONS).toContain(v.reasons[0]);
    expect(v.basis).not.toBeNull();
    expect(BASES).toContain(v.basis);
    expect(v.basis).toBe(BASIS_OF_ALLOWING[v.reasons[0]]);
  } else {
    expect(v.basis).toBeNull();
    expect(v.reasons.length).toBeGreaterThanOrEqual(1);
    for (const r of v.reasons) expect(BLOCKING_REASONS).toContain(r);
    expect(new Set(v.reasons).size).toBe(v.reasons.length);
  }
}

/** Every combination of consistent facts, every purpose, channel and product flag (~430k cases). */
function* everyConsistentCase(): Generator<[DecisionQuery, EligibilityFacts]> {
  const bools = [false, true];
  const similars: SimilarOrderFacts[] = [{ any: false, anyOptOut: false, live: false, liveOptOut: false }];
  for (const anyOptOut of bools) {
    for (const live of bools) {
      similars.push({ any: true, anyOptOut, live, liveOptOut: false });
      if (anyOptOut && live) similars.push({ any: true, anyOptOut, live, liveOptOut: true });
    }
  }
  for (const purpose of PURPOSES)
    for (const channel of CHANNELS)
      for (const hasProduct of bools)
        for (const kind of CUSTOMER_KINDS)
          for (const hasAddress of bools)
            for (const hardBounced of bools)
              for (const marketingSuppressed of bools)
                for (const robinson of bools)
                  for (const objectedDirectMarketing of bools)
                    for (const objectedProfiling of bools)
                      for (const consent of ['granted', 'withdrawn', null] as const)
                        for (const otherOrder of bools)
                          for (const similar of hasProduct ? similars : [null]) {
                            const facts: EligibilityFacts = {
                              kind,
                              hasAddress,
                              hardBounced,
                              marketingSuppressed,
                              robinson,
                              objectedDirectMarketing,
                              objectedProfiling,
                              consent,
                              hasAnyOrder: otherOrder || (similar?.any ?? false),
                              similar,
                            };
                            yield [{ purpose, channel, hasProduct }, facts];
                          }
}

describe('evaluate: the shape of every verdict', () => {
  it('gives allowed verdicts exactly one allowing reason and the basis that reason names, and blocked ones a null basis and at least one distinct blocking reason', () => {
    fc.assert(
      fc.property(anyCase, ([query, facts]) => {
        expectWellFormed(evaluate(query, facts));
      }),
      RUNS,
    );
  });

  it('holds the same shape for every combination of consistent facts', () => {
    let count = 0;
    let allowedCount = 0;
    const bad: string[] = [];
    for (const [query, facts] of everyConsistentCase()) {
      count += 1;
      const v = evaluate(query, facts);
      if (v.allowed) allowedCount += 1;
      const ok = v.allowed
        ? v.reasons.length === 1 && v.basis !== null && BASIS_OF_ALLOWING[v.reasons[0]] === v.basis
        : v.basis === null && v.reasons.length >= 1 && new Set(v.reasons).size === v.reasons.length &&
          v.reasons.every((r) => (BLOCKING_REASONS as readonly string[]).includes(r));
      if (!ok && bad.length < 5) bad.push(JSON.stringify({ query, facts, v }));
    }
    expect(bad).toEqual([]);
    expect(count).toBeGreaterThan(100_000);
    expect(allowedCount).toBeGreaterThan(0);
    expect(allowedCount).toBeLessThan(count);
  });

  it('does not change the facts it is given', () => {
    fc.assert(
      fc.property(anyCase, ([query, facts]) => {
        const copy = structuredClone(facts);
        evaluate(query, facts);
        expect(facts).toEqual(copy);
      }),
      { numRuns: 200 },
    );
  });
});

describe('evaluate: rule 1, service messages', () => {
  const SERVICE_REASONS: ReasonCode[] = ['SERVICE_MESSAGE', 'NO_ADDRESS', 'SUPPRESSED'];

  it('never reports consent, objection, Robinson or basis reasons for a service message', () => {
    fc.assert(
      fc.property(anyCase, ([query, facts]) => {
        const v = evaluate({ ...query, purpose: 'service' }, facts);
        for (const r of v.reasons) expect(SERVICE_REASONS).toContain(r);
      }),
      RUNS,
    );
  });

  it('allows a service message on the contract exactly when the address is usable and not hard-bounced', () => {
    fc.assert(
      fc.property(anyCase, ([query, facts]) => {
        const v = evaluate({ ...query, purpose: 'service' }, facts);
        const deliverable = (!needsAddress('service', query.channel) || facts.hasAddress) && !facts.hardBounced;
        expect(v.allowed).toBe(deliverable);
        if (v.allowed) expect(v.basis).toBe('contract');
      }),
      RUNS,
    );
  });

  it('lists NO_ADDRESS before SUPPRESSED when both apply', () => {
    expect(evaluate({ purpose: 'service', channel: 'email', hasProduct: false }, cleanFacts({ hasAddress: false, hardBounced: true }))).toEqual({
      allowed: false,
      basis: null,
      reasons: ['NO_ADDRESS', 'SUPPRESSED'],
    });
  });
});

describe('evaluate: rules as invariants of the facts', () => {
  it('reports OBJECTED exactly for an objector and a direct-marketing purpose, and then never allows', () => {
    fc.assert(
      fc.property(anyCase, ([query, facts]) => {
        const v = evaluate(query, facts);
        const objected = facts.objectedDirectMarketing && DIRECT_MARKETING_PURPOSES.includes(query.purpose);
        expect(v.reasons.includes('OBJECTED' as never)).toBe(objected);
        if (objected) expect(v.allowed).toBe(false);
      }),
      RUNS,
    );
  });

  it('reports PROFILING_OBJECTED exactly for a profiling objector and profiling or ad audiences', () => {
    fc.assert(
      fc.property(anyCase, ([query, facts]) => {
        const v = evaluate(query, facts);
        const objected = facts.objectedProfiling && (query.purpose === 'profiling' || query.purpose === 'ad_audience');
        expect(v.reasons.includes('PROFILING_OBJECTED' as never)).toBe(objected);
      }),
      RUNS,
    );
  });

  it('reports CONSENT_WITHDRAWN for every withdrawn purpose except service and profiling, and never without a withdrawal', () => {
    fc.assert(
      fc.property(anyCase, ([query, facts]) => {
        const v = evaluate(query, facts);
        const expected = facts.consent === 'withdrawn' && query.purpose !== 'service' && query.purpose !== 'profiling';
        expect(v.reasons.includes('CONSENT_WITHDRAWN' as never)).toBe(expected);
      }),
      RUNS,
    );
  });

  it('blocks every address-needing purpose on a hard-bounced address with SUPPRESSED', () => {
    fc.assert(
      fc.property(anyCase, ([query, facts]) => {
        fc.pre(facts.hardBounced && needsAddress(query.purpose, query.channel));
        const v = evaluate(query, facts);
        expect(v.allowed).toBe(false);
        expect(v.reasons).toContain('SUPPRESSED');
      }),
      RUNS,
    );
  });

  it('blocks marketing messages on a complained or unsubscribed address, and nothing else for that reason', () => {
    fc.assert(
      fc.property(anyCase, ([query, facts]) => {
        const clean = { ...facts, hardBounced: false, marketingSuppressed: true };
        const v = evaluate(query, clean);
        const expected = MARKETING_MESSAGE_PURPOSES.includes(query.purpose) && needsAddress(query.purpose, query.channel);
        expect(v.reasons.includes('SUPPRESSED' as never)).toBe(expected);
      }),
      RUNS,
    );
  });

  it('reports ROBINSON only for marketing messages to an address on the register', () => {
    fc.assert(
      fc.property(anyCase, ([query, facts]) => {
        const v = evaluate(query, facts);
        const expected = facts.robinson && MARKETING_MESSAGE_PURPOSES.includes(query.purpose) && needsAddress(query.purpose, query.channel);
        expect(v.reasons.includes('ROBINSON' as never)).toBe(expected);
      }),
      RUNS,
    );
  });

  it('reports NO_ADDRESS exactly when the purpose needs an address on the channel and there is none', () => {
    fc.assert(
      fc.property(anyCase, ([query, facts]) => {
        const v = evaluate(query, facts);
        expect(v.reasons.includes('NO_ADDRESS' as never)).toBe(needsAddress(query.purpose, query.channel) && !facts.hasAddress);
      }),
      RUNS,
    );
  });

  it('allows partner marketing, ad audiences and site ads only on a granted consent', () => {
    fc.assert(
      fc.property(anyCase, ([query, facts]) => {
        fc.pre(CONSENT_ONLY_PURPOSES.includes(query.purpose));
        const v = evaluate(query, facts);
        if (v.allowed) {
          expect(v.basis).toBe('consent');
          expect(facts.consent).toBe('granted');
        }
      }),
      RUNS,
    );
  });

  it('allows soft opt-in only for e-mail or SMS marketing to a person without a consent record, for a named product with a live similar order that offered the opt-out', () => {
    fc.assert(
      fc.property(anyCase, ([query, facts]) => {
        const v = evaluate(query, facts);
        if (v.basis === 'soft_opt_in') {
          expect(query.purpose).toBe('marketing');
          expect(['email', 'sms']).toContain(query.channel);
          expect(facts.kind).toBe('person');
          expect(facts.consent).toBeNull();
          expect(query.hasProduct).toBe(true);
          expect(facts.hasAnyOrder).toBe(true);
          expect(facts.similar?.liveOptOut).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('allows e-mail or SMS marketing to an unblocked person without consent exactly when soft opt-in holds', () => {
    fc.assert(
      fc.property(consistentCase, fc.constantFrom('email' as const, 'sms' as const), ([query, facts], channel) => {
        const person = {
          ...facts,
          kind: 'person' as const,
          hasAddress: true,
          hardBounced: false,
          marketingSuppressed: false,
          robinson: false,
          objectedDirectMarketing: false,
          consent: null,
        };
        const v = evaluate({ ...query, purpose: 'marketing', channel }, person);
        expect(v.allowed).toBe(query.hasProduct && person.similar?.liveOptOut === true);
      }),
      RUNS,
    );
  });

  it('never turns a blocked verdict into an allowed one by adding a blocking fact', () => {
    const worsen: ((f: EligibilityFacts) => EligibilityFacts)[] = [
      (f) => ({ ...f, hasAddress: false }),
      (f) => ({ ...f, hardBounced: true }),
      (f) => ({ ...f, marketingSuppressed: true }),
      (f) => ({ ...f, robinson: true }),
      (f) => ({ ...f, objectedDirectMarketing: true }),
      (f) => ({ ...f, objectedProfiling: true }),
      (f) => ({ ...f, consent: 'withdrawn' }),
    ];
    fc.assert(
      fc.property(consistentCase, fc.constantFrom(...worsen), ([query, facts], change) => {
        if (!evaluate(query, facts).allowed) expect(evaluate(query, change(facts)).allowed).toBe(false);
      }),
      RUNS,
    );
  });

  it('never blocks by a granted consent what was allowed without any consent record', () => {
    fc.assert(
      fc.property(consistentCase, ([query, facts]) => {
        const before = evaluate(query, { ...facts, consent: null });
        if (before.allowed) expect(evaluate(query, { ...facts, consent: 'granted' }).allowed).toBe(true);
      }),
      RUNS,
    );
  });
});
