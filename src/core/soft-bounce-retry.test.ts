import { describe, expect, it } from 'vitest';
import type { Instant } from './records.ts';
import { softBounceRetryAt } from './soft-bounce-retry.ts';

const AT = '2026-11-02T09:00:00.000Z' as Instant;

describe('§3 a temporary failure is retried with back-off and suppresses after a threshold', () => {
  it('waits the base time after the first soft bounce and doubles the wait after each further one', () => {
    const policy = { limit: 5, baseMinutes: 15, maxMinutes: 1440 };
    expect(softBounceRetryAt(policy, AT, 1)).toBe('2026-11-02T09:15:00.000Z');
    expect(softBounceRetryAt(policy, AT, 2)).toBe('2026-11-02T09:30:00.000Z');
    expect(softBounceRetryAt(policy, AT, 3)).toBe('2026-11-02T10:00:00.000Z');
  });

  it('never waits longer than the cap', () => {
    expect(softBounceRetryAt({ limit: 20, baseMinutes: 60, maxMinutes: 180 }, AT, 10)).toBe('2026-11-02T12:00:00.000Z');
  });

  it('does not retry once the soft bounces reach the limit', () => {
    const policy = { limit: 3, baseMinutes: 15, maxMinutes: 1440 };
    expect(softBounceRetryAt(policy, AT, 2)).not.toBeNull();
    expect(softBounceRetryAt(policy, AT, 3)).toBeNull();
    expect(softBounceRetryAt(policy, AT, 4)).toBeNull();
  });
});
