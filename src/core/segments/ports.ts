/**
 * Segments as stored: a named rule tree and its members as last computed. The store computes
 * membership set-based (one statement per segment) and refreshes it from the changes since.
 */
import type { Instant } from '../records.ts';
import type { SegmentRule } from './rule.ts';

/** The names a rule refers to outside itself, by kind (core/segments/rule.ts `referencesOf`). */
export interface RuleNames<Text, Id> {
  topics: Text;
  models: Id;
  skus: Text;
  categories: Text;
  campaigns: Id;
}

export interface Segment {
  id: number;
  name: string;
  description: string | null;
  rule: SegmentRule;
  /** Membership can change with time alone (windows of the last N days, "active"): recomputed whole at each refresh. */
  timeDependent: boolean;
  createdAt: Instant;
  createdBy: string;
  updatedAt: Instant;
  /** The instant the members are as of; null until first computed. */
  computedAt: Instant | null;
  memberCount: number;
}

export interface NewSegment {
  name: string;
  description: string | null;
  rule: SegmentRule;
  createdBy: string;
  at: Instant;
}

export interface SegmentChange {
  name?: string;
  description?: string | null;
  rule?: SegmentRule;
  at: Instant;
}

/** What one segment's refresh did. */
export interface SegmentRefresh {
  segmentId: number;
  /** `full`: recomputed for every customer; `incremental`: only for customers whose records changed. */
  mode: 'full' | 'incremental';
  /** Customers recomputed in an incremental refresh (0 in a full one). */
  recomputed: number;
  members: number;
  computedAt: Instant;
}

export interface SegmentStore {
  /** @throws DomainError SEGMENT_EXISTS when the name is taken. */
  create(segment: NewSegment): Promise<Segment>;
  /** A changed rule empties the membership until the next refresh. @throws NOT_FOUND, SEGMENT_EXISTS */
  update(id: number, change: SegmentChange): Promise<Segment>;
  /** @throws NOT_FOUND */
  remove(id: number): Promise<void>;
  get(id: number): Promise<Segment | null>;
  list(): Promise<Segment[]>;
  /**
   * Members the rule would have as of `at`, computed now, nothing stored; with `now` after `at`,
   * only customers who may be profiled now as well (rule 7).
   */
  count(rule: SegmentRule, at: Instant, now?: Instant): Promise<number>;
  /**
   * Every segment brought up to `at`: never-computed and time-dependent segments recomputed whole,
   * the others only for the customers whose records changed since their last refresh. The changes
   * taken are consumed; a change committed meanwhile stays for the next run.
   */
  refreshAll(at: Instant): Promise<SegmentRefresh[]>;
  /** One segment recomputed whole as of `at`. @throws NOT_FOUND */
  recompute(id: number, at: Instant): Promise<SegmentRefresh>;
  /** Whether the customer is a member (as last computed). */
  memberIds(segmentId: number, customerIds: readonly string[]): Promise<Set<string>>;
  /** Campaigns not finished (draft, scheduled, running, paused) whose audience filter names the segment. */
  campaignsUsing(segmentId: number): Promise<number[]>;
  /** Ad audiences whose filter selects the segment: removing it would leave their uploads for good. */
  adAudiencesUsing(segmentId: number): Promise<number[]>;
  /** The segments the customer is a member of. */
  segmentsOf(customerId: string): Promise<{ id: number; name: string; computedAt: Instant }[]>;
  /** Of the given interest topic codes and prediction model ids, those that exist. */
  existing(refs: RuleNames<readonly string[], readonly number[]>): Promise<RuleNames<Set<string>, Set<number>>>;
}
