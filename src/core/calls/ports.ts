/** The stores calls and recordings need, in the core's words. Adapters: src/storage/calls/. */
import type { CustomerId, Instant } from '../records.ts';
import type { NewPhoneSale, PhoneSale, SaleState } from './phone-sale.ts';
import type { CallRecord, NewCall } from './call.ts';
import type { RecordingRecord } from './recording.ts';

export interface CallStore {
  /**
   * Stores a call and, in the same transaction, the ledger record its outcome makes
   * (`ledgerEffectOf`: "don't call me" is a phone-marketing opt-out). A call whose `externalId` is
   * already stored is not stored again: the stored one is returned with `created: false`.
   * UNKNOWN_CUSTOMER when the customer does not exist.
   */
  insert(call: NewCall): Promise<{ call: CallRecord; created: boolean }>;
  get(id: number): Promise<CallRecord | null>;
  /** A customer's calls, newest first, at most `limit`. */
  ofCustomer(customerId: CustomerId, limit: number): Promise<CallRecord[]>;

  addRecording(recording: Omit<RecordingRecord, 'id'>): Promise<RecordingRecord>;
  getRecording(id: number): Promise<RecordingRecord | null>;
  /** The recordings of these calls, oldest first. */
  recordingsOf(callIds: readonly number[]): Promise<RecordingRecord[]>;
  /** Recordings whose retention ended before `before`, oldest end first, at most `limit`. */
  expiredRecordings(before: Instant, limit: number): Promise<RecordingRecord[]>;
  /** Which of these file keys belong to a stored recording. */
  knownFileKeys(keys: readonly string[]): Promise<Set<string>>;
  /** Deletes these recordings' metadata; returns how many rows went. */
  deleteRecordings(ids: readonly number[]): Promise<number>;
  /** Appends the record of a purge run: when, up to which time, how many, by whom (no personal data). */
  recordPurge(purge: RecordingPurge): Promise<void>;
  /** The purge runs, newest first. */
  purges(limit: number): Promise<RecordingPurge[]>;
}

export interface RecordingPurge {
  at: Instant;
  /** Recordings whose retention ended before this instant were deleted. */
  dueBefore: Instant;
  deleted: number;
  actor: string;
}

/**
 * Where recordings' (already encrypted) bytes are kept: a local directory by default. Keys are
 * opaque names made by Lupa, never derived from personal data.
 */
export interface RecordingFiles {
  /** Writes the file from its chunks; a file left half-written by a failure is removed. */
  write(key: string, chunks: AsyncIterable<Uint8Array>): Promise<void>;
  /** `length` bytes from `offset` (fewer at the end of the file). NOT_FOUND when the file is missing. */
  read(key: string, offset: number, length: number): Promise<Uint8Array>;
  /** Removes the file; a file already gone is fine. */
  remove(key: string): Promise<void>;
  /** Every file in the store (finished, or left half-written by a crash), with when it was last written. */
  list(): Promise<{ key: string; modifiedAt: Instant }[]>;
}

/**
 * Phone sales (docs/decisions/0025): kept apart from orders until they bind, so that no reader of
 * orders (decisions, soft opt-in, segments, offers, exports) ever sees a pending sale.
 */
export interface PhoneSaleStore {
  /**
   * Stores a sale; one bound under an exception (`bindAt` given) is stored `bound` with its order
   * (`orderOfSale`, starting then) inserted in the same transaction. PHONE_SALE_STATE when the call
   * already has a sale.
   */
  insert(sale: NewPhoneSale, bindAt: Instant | null): Promise<PhoneSale>;
  get(id: number): Promise<PhoneSale | null>;
  /** Records that the written offer was handed to its channel. */
  markOfferSent(id: number, at: Instant, messageId: string): Promise<void>;
  /**
   * Accepts a pending sale whose acceptance time has not passed at `at`, and inserts its order
   * (`orderOfSale`, starting at `at`), in one transaction: of two acceptances at once, exactly one
   * makes the order. Returns the sale as stored afterwards and whether this call accepted it
   * (false: unknown, not pending, or lapsed).
   */
  accept(id: number, at: Instant): Promise<{ sale: PhoneSale | null; accepted: boolean }>;
  /** Marks every pending sale whose acceptance time ended before `now` lapsed (one statement); returns how many. */
  lapseDue(now: Instant): Promise<number>;
  /**
   * Sales newest first, keyset-paged by id (`beforeId`), optionally of one customer, or in one state
   * as of `at` (`saleStateAt`: a pending sale past its time is lapsed).
   */
  list(query: { customerId?: CustomerId; state?: { state: SaleState; at: Instant }; beforeId?: number; limit: number }): Promise<PhoneSale[]>;
}
