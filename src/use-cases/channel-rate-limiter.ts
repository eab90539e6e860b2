/**
 * The per-channel limit on hand-offs (LUPA_CHANNEL_RATES), as one worker process sees it. Messages
 * about to be handed off wait here; per channel one loop asks the store for as many hand-offs of the
 * current second as messages wait, lets that many go, and sleeps to the next second when the second
 * is used up (by this worker or by others: the store counts for all of them).
 */
import type { ChannelRateStore } from '../core/campaign.ts';
import { handOffsToAsk, RATED_CHANNELS, rateWindow, waitAfterGrant, type ChannelRates, type RatedChannel } from '../core/channel-rate.ts';
import type { Instant } from '../core/records.ts';
import { toInstant } from '../core/time.ts';
import type { Channel } from '../core/vocabulary.ts';

export interface ChannelRateDeps {
  rates: ChannelRateStore;
  now: () => Instant;
  sleep?: (ms: number) => Promise<void>;
}

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

/** Counts of windows older than this are deleted, at most once per this interval per process. */
const KEEP_MS = 60_000;

export class ChannelRateLimiter {
  private readonly waiting = new Map<RatedChannel, Waiter[]>();
  private readonly pumping = new Set<RatedChannel>();
  private forgotAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly deps: ChannelRateDeps,
    private readonly limits: ChannelRates,
  ) {}

  /** The channel's limit a second, or null when it has none. */
  limitOf(channel: Channel): number | null {
    const rated = RATED_CHANNELS.find((c) => c === channel);
    return rated === undefined ? null : (this.limits[rated] ?? null);
  }

  /** Resolves when one message may be handed off on `channel` (at once for a channel without a limit). */
  acquire(channel: Channel): Promise<void> {
    const rated = RATED_CHANNELS.find((c) => c === channel);
    const limit = rated === undefined ? undefined : this.limits[rated];
    if (rated === undefined || limit === undefined) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const queue = this.waiting.get(rated) ?? [];
      queue.push({ resolve, reject });
      this.waiting.set(rated, queue);
      if (!this.pumping.has(rated)) {
        this.pumping.add(rated);
        void this.pump(rated, limit, queue);
      }
    });
  }

  private async pump(channel: RatedChannel, limit: number, queue: Waiter[]): Promise<void> {
    const sleep = this.deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    try {
      while (queue.length > 0) {
        const at = this.deps.now();
        const asked = handOffsToAsk(queue.length, limit);
        const granted = await this.deps.rates.take(channel, rateWindow(at), asked, limit);
        for (const waiter of queue.splice(0, granted)) waiter.resolve();
        await this.forgetOld(at);
        const wait = waitAfterGrant(at, asked, granted);
        if (wait > 0) await sleep(wait);
      }
    } catch (err) {
      // Without a count no message may go: the waiting ones fail, and their batch with them (their
      // claims come back when the lease ends).
      for (const waiter of queue.splice(0)) waiter.reject(err);
    } finally {
      // Synchronously after the last check of the queue: a message arriving later starts a new loop.
      this.pumping.delete(channel);
    }
  }

  private async forgetOld(at: Instant): Promise<void> {
    const ms = Date.parse(at);
    if (ms - this.forgotAt < KEEP_MS) return;
    this.forgotAt = ms;
    // Only tidying: a failure here stops no message, and the next minute tries again.
    await this.deps.rates.forget(toInstant(ms - KEEP_MS)).catch(() => undefined);
  }
}
