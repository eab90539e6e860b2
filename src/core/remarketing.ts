/**
 * Remarketing lists of site visitors [S20] (docs/sites-and-ads.md, "Remarketing lists"): a named
 * rule over the sites' per-visitor events, "did event X (on pages under P) within N days, and did
 * not do event Y after it". The site's Google tag reads a visitor's lists from lupa.js and builds its
 * own audiences from them.
 *
 * Only visitors with `site_ads` consent can be on a list (compliance.md §2 rule 9): per-visitor
 * events exist only for them, and membership is computed from those events alone. A visitor who
 * signed in as a customer whose ledger refuses (a `site_ads` withdrawal, an objection: rules 2 and
 * 7) is left out. Pure: the records, validation and the store port.
 */
import { DomainError } from './errors.ts';
import type { Instant } from './records.ts';

/** The longest look-back a rule may have: the sites' events are not kept much longer (LUPA_SITE_EVENT_RETENTION_DAYS). */
export const MAX_WITHIN_DAYS = 540;

/** A list's rule: all of it must hold for a visitor to be on the list. */
export interface RemarketingRule {
  /** The site whose events count; null: every site. */
  site: string | null;
  /** The event the visitor did (`page_view` for a page view, or a tracked event's name). */
  event: string;
  /** Only events on pages whose path starts with this (e.g. `/urheilu`); null: any page. */
  pagePrefix: string | null;
  /** Within this many days before the refresh (1–MAX_WITHIN_DAYS). */
  withinDays: number;
  /** The event the visitor did NOT do after the latest `event` (on the same site when one is set); null: no such condition. */
  notFollowedBy: string | null;
}

export interface RemarketingList extends RemarketingRule {
  id: number;
  /** Unique; the name the site's tag sees as well as the id. */
  name: string;
  createdAt: Instant;
  createdBy: string;
  /** Members as last computed, exact (for roles that may read customer records; rounded otherwise). */
  members: number;
  /** When the members were computed; null: not yet. */
  refreshedAt: Instant | null;
}

/** What a list as the site's tag sees it: its id and name, nothing about anyone else on it. */
export interface VisitorList {
  id: number;
  name: string;
}

/** One refresh of one list. */
export interface RemarketingRefresh {
  listId: number;
  members: number;
  refreshedAt: Instant;
}

export interface RemarketingStore {
  /** @throws REMARKETING_LIST_EXISTS when another list has the name */
  create(list: { name: string; rule: RemarketingRule; by: string; at: Instant }): Promise<RemarketingList>;
  list(): Promise<RemarketingList[]>;
  get(id: number): Promise<RemarketingList | null>;
  /** Removes the list and its members; false when there was none. */
  remove(id: number): Promise<boolean>;
  /**
   * Recomputes the list's members as of `at` in one set-based statement over the site events
   * (replacing the earlier members in the same transaction). @throws NOT_FOUND
   */
  refresh(id: number, at: Instant): Promise<RemarketingRefresh>;
  /** The lists (id and name, by id) the visitor is on, as last refreshed. */
  listsOfVisitor(visitorId: string, site: string | null): Promise<VisitorList[]>;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$/;
const EVENT = /^[A-Za-z0-9_.:-]{1,100}$/;

function text(value: unknown, field: string, pattern: RegExp, rule: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) throw new DomainError('VALIDATION_FAILED', `${field} must be ${rule}`, { field });
  return value;
}

function optional(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/**
 * A list's name and rule from what a person gave (API body, CLI flags, console form).
 * `name`: 1–80 of letters, digits, `_ . -` starting with a letter or digit (the site's tag uses it as
 * a key); `event`, `notFollowedBy`: an event name as lupa.js sends it; `pagePrefix`: a path starting
 * with `/`; `withinDays`: a whole number 1–MAX_WITHIN_DAYS; `site`: a site name or nothing.
 * @throws VALIDATION_FAILED naming the field
 */
export function parseRemarketingList(input: Record<string, unknown>): { name: string; rule: RemarketingRule } {
  const name = text(input.name, 'name', NAME, '1 to 80 letters, digits, _ . or -, starting with a letter or digit');
  const event = text(input.event, 'event', EVENT, 'an event name (page_view for a page view)');
  const days = input.withinDays;
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > MAX_WITHIN_DAYS) {
    throw new DomainError('VALIDATION_FAILED', `withinDays must be a whole number from 1 to ${MAX_WITHIN_DAYS}`, { field: 'withinDays' });
  }
  const pagePrefix = optional(input.pagePrefix) ? null : text(input.pagePrefix, 'pagePrefix', /^\/[^\s?#]{0,199}$/, 'a path starting with / (no query or fragment)');
  const notFollowedBy = optional(input.notFollowedBy) ? null : text(input.notFollowedBy, 'notFollowedBy', EVENT, 'an event name');
  if (notFollowedBy === event) throw new DomainError('VALIDATION_FAILED', 'notFollowedBy must differ from event', { field: 'notFollowedBy' });
  const site = optional(input.site) ? null : text(input.site, 'site', /^[^\s]{1,100}$/, 'a site name');
  return { name, rule: { site, event, pagePrefix, withinDays: days, notFollowedBy } };
}

/** The start of a rule's window: `withinDays` days before `at`. */
export function windowStart(at: Instant, withinDays: number): Instant {
  return new Date(Date.parse(at) - withinDays * 86_400_000).toISOString() as Instant;
}
