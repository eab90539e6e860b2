import { afterEach, describe, expect, it, vi } from 'vitest';
import { startSummaryRefresher } from './summary-refresher.ts';

/** An audience store whose refreshes finish only when the test says so. */
function controllableStore() {
  const pending: (() => void)[] = [];
  let running = 0;
  let overlapped = false;
  const store = {
    calls: 0,
    refreshSummaries: vi.fn(async () => {
      store.calls++;
      running++;
      if (running > 1) overlapped = true;
      await new Promise<void>((resolve) => pending.push(resolve));
      running--;
      return 1;
    }),
  };
  return { store, finishNext: () => pending.shift()?.(), overlapped: () => overlapped };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('summary refresher', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs one refresh at a time: a second request waits for the first', async () => {
    const c = controllableStore();
    const refresher = startSummaryRefresher(c.store, 0, () => undefined);
    const first = refresher.refreshNow();
    const second = refresher.refreshNow();
    await settle();
    expect(c.store.calls).toBe(1);
    c.finishNext();
    await first;
    await settle();
    expect(c.store.calls).toBe(2);
    c.finishNext();
    await second;
    expect(c.overlapped()).toBe(false);
    await refresher.stop();
  });

  it('refreshes every interval and reports a failure without stopping', async () => {
    vi.useFakeTimers();
    const errors: unknown[] = [];
    let calls = 0;
    const store = {
      refreshSummaries: async () => {
        calls++;
        if (calls === 2) throw new Error('database is locked');
        return 0;
      },
    };
    const refresher = startSummaryRefresher(store, 5, (err) => errors.push(err));
    await vi.advanceTimersByTimeAsync(15_000);
    expect(calls).toBe(3);
    expect(errors).toHaveLength(1);
    await refresher.stop();
    await vi.advanceTimersByTimeAsync(15_000);
    expect(calls).toBe(3);
  });

  it('stop waits for the refresh in progress', async () => {
    const c = controllableStore();
    const refresher = startSummaryRefresher(c.store, 0, () => undefined);
    void refresher.refreshNow();
    await settle();
    let stopped = false;
    const stopping = refresher.stop().then(() => {
      stopped = true;
    });
    await settle();
    expect(stopped).toBe(false);
    c.finishNext();
    await stopping;
    expect(stopped).toBe(true);
  });
});
