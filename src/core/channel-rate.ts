/**
 * Hand-offs per second per channel, shared by every worker process and campaign on one database
 * (LUPA_CHANNEL_RATES). Hand-offs are counted per channel in one-second windows; a worker asks for
 * as many as it has messages waiting, gets what is left of the window's limit (the store's take is
 * atomic across workers), and when it got fewer than it asked for, the window is used up: it waits
 * for the next one. This file holds those decisions; counting is the store's.
 */
import { DomainError } from './errors.ts';
import type { Instant } from './records.ts';
import { toInstant } from './time.ts';
import type { Channel } from './vocabulary.ts';

/** The channels workers hand messages to, the only ones a rate can be set for. */
export const RATED_CHANNELS = ['email', 'sms'] as const satisfies readonly Channel[];
export type RatedChannel = (typeof RATED_CHANNELS)[number];

/** Hand-offs a second per channel; a channel not named has no limit. */
export type ChannelRates = Partial<Record<RatedChannel, number>>;

/** Parses `email=200,sms=20` (empty: no limits). Throws CONFIG_INVALID naming LUPA_CHANNEL_RATES. */
export function parseChannelRates(text: string): ChannelRates {
  const rates: ChannelRates = {};
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const [name = '', value = '', ...rest] = part.split('=').map((p) => p.trim());
    const channel = RATED_CHANNELS.find((c) => c === name);
    const perSecond = Number(value);
    if (channel === undefined || rest.length > 0 || value === '' || !Number.isInteger(perSecond) || perSecond < 1 || perSecond > 100_000) {
      throw invalid(`"${part}" is not CHANNEL=N with CHANNEL one of ${RATED_CHANNELS.join(', ')} and N a whole number from 1 to 100000`);
    }
    if (rates[channel] !== undefined) throw invalid(`${channel} is given twice`);
    rates[channel] = perSecond;
  }
  return rates;
}

function invalid(message: string): DomainError {
  return new DomainError('CONFIG_INVALID', `LUPA_CHANNEL_RATES: ${message}`, { field: 'LUPA_CHANNEL_RATES' });
}

/** The window `at` falls in: the whole UTC second, as the instant it starts. */
export function rateWindow(at: Instant): Instant {
  return toInstant(Math.floor(Date.parse(at) / 1000) * 1000);
}

/** How many hand-offs to ask for: one per waiting message, but never more than a window holds. */
export function handOffsToAsk(waiting: number, limit: number): number {
  return Math.min(waiting, limit);
}

/**
 * How long to wait after asking for `asked` hand-offs at `at` and getting `granted`: none when all
 * were granted; otherwise the window is used up, and the next one starts at the next whole second.
 */
export function waitAfterGrant(at: Instant, asked: number, granted: number): number {
  if (granted >= asked) return 0;
  return Date.parse(rateWindow(at)) + 1000 - Date.parse(at);
}
