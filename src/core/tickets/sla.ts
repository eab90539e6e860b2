/**
 * SLA clocks of a ticket (docs/customer-service.md): the first response and the resolution, each
 * due a number of business hours (business-hours.ts) after the ticket came in, by priority.
 */
import { DomainError } from '../errors.ts';
import type { Instant } from '../records.ts';
import { addBusinessMinutes, type BusinessHours } from './business-hours.ts';
import { TICKET_PRIORITIES, type Ticket, type TicketPriority } from './ticket.ts';

/** Business hours to the first response and to the resolution. */
export interface SlaTarget {
  firstResponseHours: number;
  resolutionHours: number;
}

export type SlaTargets = Record<TicketPriority, SlaTarget>;

/** LUPA_TICKET_SLA's default: `urgent=1/8,high=4/16,normal=8/40,low=16/80`. */
export const DEFAULT_SLA_TARGETS: SlaTargets = {
  urgent: { firstResponseHours: 1, resolutionHours: 8 },
  high: { firstResponseHours: 4, resolutionHours: 16 },
  normal: { firstResponseHours: 8, resolutionHours: 40 },
  low: { firstResponseHours: 16, resolutionHours: 80 },
};

/**
 * Reads `priority=FIRST/RESOLUTION` pairs separated by commas, hours (decimals allowed); a priority
 * left out keeps its default. Throws VALIDATION_FAILED naming `field`.
 */
export function parseSlaTargets(text: string, field = 'LUPA_TICKET_SLA'): SlaTargets {
  const targets: SlaTargets = { ...DEFAULT_SLA_TARGETS };
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const m = /^([a-z]+)=(\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)$/.exec(part);
    const priority = TICKET_PRIORITIES.find((p) => p === m?.[1]);
    if (m === null || priority === undefined || Number(m[2]) <= 0 || Number(m[3]) < Number(m[2])) {
      throw new DomainError('VALIDATION_FAILED', `${field}: write e.g. "urgent=1/8,high=4/16" (priority=first response/resolution in business hours, the resolution not before the first response)`, { field });
    }
    targets[priority] = { firstResponseHours: Number(m[2]), resolutionHours: Number(m[3]) };
  }
  return targets;
}

/** When a ticket of this priority that came in at `from` is due: first response and resolution. */
export function slaDue(from: Instant, priority: TicketPriority, targets: SlaTargets, hours: BusinessHours): { firstResponseDue: Instant; resolutionDue: Instant } {
  const t = targets[priority];
  return { firstResponseDue: addBusinessMinutes(from, t.firstResponseHours * 60, hours), resolutionDue: addBusinessMinutes(from, t.resolutionHours * 60, hours) };
}

/** `met`: done in time (or done at all: a late answer is `breached`); `due_soon`: within `soonMinutes` of its due time. */
export type ClockState = 'met' | 'on_time' | 'due_soon' | 'breached';

export interface SlaState {
  firstResponse: ClockState;
  resolution: ClockState;
  /** The worse of the two: what the inbox's badge shows. */
  overall: ClockState;
}

const RANK: Record<ClockState, number> = { met: 0, on_time: 1, due_soon: 2, breached: 3 };

function clock(due: Instant, doneAt: Instant | null, now: Instant, soonMinutes: number): ClockState {
  const dueMs = Date.parse(due);
  if (doneAt !== null) return Date.parse(doneAt) <= dueMs ? 'met' : 'breached';
  const nowMs = Date.parse(now);
  if (nowMs > dueMs) return 'breached';
  return dueMs - nowMs <= soonMinutes * 60_000 ? 'due_soon' : 'on_time';
}

/** The state of a ticket's clocks at `now`; a closed or solved ticket's resolution clock stopped when it was solved. */
export function slaState(ticket: Pick<Ticket, 'firstResponseDue' | 'firstRespondedAt' | 'resolutionDue' | 'solvedAt'>, now: Instant, soonMinutes = 60): SlaState {
  const firstResponse = clock(ticket.firstResponseDue, ticket.firstRespondedAt, now, soonMinutes);
  const resolution = clock(ticket.resolutionDue, ticket.solvedAt, now, soonMinutes);
  return { firstResponse, resolution, overall: RANK[firstResponse] >= RANK[resolution] ? firstResponse : resolution };
}
