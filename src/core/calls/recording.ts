/**
 * Call recordings (compliance.md §2 rule 10, notice S21, S24): a recording may start only after the
 * notice was played; it is kept until its retention ends, then deleted with its metadata.
 */
import { DomainError } from '../errors.ts';
import type { CustomerId, Instant } from '../records.ts';
import type { CallOutcome, CallPurpose } from './call.ts';

/** The audio formats taken, by the media type they arrive as. */
export const RECORDING_FORMATS = { 'audio/wav': 'wav', 'audio/mpeg': 'mp3', 'audio/ogg': 'opus' } as const;
export type RecordingMediaType = keyof typeof RECORDING_FORMATS;
export type RecordingFormat = (typeof RECORDING_FORMATS)[RecordingMediaType];

export const RECORDING_MEDIA_TYPES = Object.keys(RECORDING_FORMATS).filter((t): t is RecordingMediaType => t in RECORDING_FORMATS);

/** Other names telephony systems send the same formats as. */
export const MEDIA_TYPE_ALIASES: Record<string, RecordingMediaType> = {
  'audio/x-wav': 'audio/wav',
  'audio/wave': 'audio/wav',
  'audio/vnd.wave': 'audio/wav',
  'audio/mp3': 'audio/mpeg',
  'audio/opus': 'audio/ogg',
};

/** The format a media type names (parameters and case ignored), or null for one not taken. */
export function formatOfMediaType(mediaType: string): RecordingFormat | null {
  const base = mediaType.split(';')[0]?.trim().toLowerCase() ?? '';
  const canonical = MEDIA_TYPE_ALIASES[base] ?? base;
  return (RECORDING_FORMATS as Record<string, RecordingFormat | undefined>)[canonical] ?? null;
}

/** The media type a format is played back as. */
export function mediaTypeOf(format: RecordingFormat): RecordingMediaType {
  return format === 'wav' ? 'audio/wav' : format === 'mp3' ? 'audio/mpeg' : 'audio/ogg';
}

/** How many bytes from the start `formatOfBytes` needs to look at. */
export const MAGIC_BYTES = 36;

/**
 * The format the first bytes of a file show, or null: WAV is `RIFF....WAVE`; MP3 starts with an ID3
 * tag or an MPEG audio frame sync (11 bits set); Opus is an Ogg page (`OggS`) whose first packet is
 * `OpusHead` (RFC 7845 §5.1: at byte 28 of the first page when its segment table has one entry).
 */
export function formatOfBytes(head: Uint8Array): RecordingFormat | null {
  const text = (from: number, to: number): string => String.fromCharCode(...head.subarray(from, to));
  if (head.length >= 12 && text(0, 4) === 'RIFF' && text(8, 12) === 'WAVE') return 'wav';
  if (head.length >= 3 && text(0, 3) === 'ID3') return 'mp3';
  // A frame sync with a layer (bits 00 there are reserved: AAC's ADTS header has them).
  if (head.length >= 2 && head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0 && ((head[1] ?? 0) & 0x06) !== 0) return 'mp3';
  if (head.length >= 36 && text(0, 4) === 'OggS' && text(28, 36) === 'OpusHead') return 'opus';
  return null;
}

/**
 * Refuses a recording the notice did not come before (RECORDING_BEFORE_NOTICE, field
 * `noticePlayedAt`): no notice time, or a recording that started before the notice was played.
 * Starting at the very instant the notice was played is allowed.
 */
export function requireNoticeFirst(startedAt: Instant, noticePlayedAt: Instant | null): void {
  if (noticePlayedAt === null) {
    throw new DomainError('RECORDING_BEFORE_NOTICE', 'a recording needs the time its notice was played (noticePlayedAt)', { field: 'noticePlayedAt' });
  }
  if (startedAt < noticePlayedAt) {
    throw new DomainError('RECORDING_BEFORE_NOTICE', 'the recording started before its notice was played', { field: 'noticePlayedAt' });
  }
}

/** How long recordings are kept, in days from their start (settings, docs/calls-and-recordings.md). */
export interface RecordingRetention {
  /** Every recording, unless a longer rule below applies (default 180: rule 10). */
  days: number;
  /**
   * A telesales call that ended in a sale: its recording is proof of the sale until the withdrawal
   * period (14 days from the written confirmation) and any dispute have passed (default 365).
   */
  saleDays: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** When a recording's retention ends: its start plus the days its call's purpose and outcome keep it. */
export function retentionEndsAt(recordingStartedAt: Instant, call: { purpose: CallPurpose; outcome: CallOutcome }, retention: RecordingRetention): Instant {
  const days = call.purpose === 'telesales' && call.outcome === 'sale' ? Math.max(retention.saleDays, retention.days) : retention.days;
  return new Date(Date.parse(recordingStartedAt) + days * DAY_MS).toISOString() as Instant;
}

/** A stored recording's metadata; the audio itself is in the file store under `fileKey`, encrypted. */
export interface RecordingRecord {
  id: number;
  callId: number;
  customerId: CustomerId;
  format: RecordingFormat;
  /** Bytes of the audio as received (before encryption). */
  bytes: number;
  startedAt: Instant;
  noticePlayedAt: Instant;
  retentionEndsAt: Instant;
  fileKey: string;
  attachedAt: Instant;
  attachedBy: string;
}

/** A recording's metadata as shown to people and in an access request: no file key. */
export type RecordingView = Omit<RecordingRecord, 'fileKey'>;

export function recordingView(r: RecordingRecord): RecordingView {
  const { fileKey: _fileKey, ...view } = r;
  return view;
}
