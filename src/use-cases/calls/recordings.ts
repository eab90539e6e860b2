/**
 * Call recordings (compliance.md §2 rule 10; docs/calls-and-recordings.md): attached by the telephony
 * system only when the notice came first, checked to be the audio they claim to be, encrypted while
 * they stream into the file store, played back with every playback audited, and purged with their
 * metadata when their retention ends.
 */
import { randomUUID } from 'node:crypto';
import type { CallStore, RecordingFiles } from '../../core/calls/ports.ts';
import {
  formatOfBytes,
  formatOfMediaType,
  MAGIC_BYTES,
  mediaTypeOf,
  recordingView,
  requireNoticeFirst,
  retentionEndsAt,
  type RecordingFormat,
  type RecordingRetention,
  type RecordingView,
} from '../../core/calls/recording.ts';
import { DomainError } from '../../core/errors.ts';
import type { AuditLog } from '../../core/ports.ts';
import type { Instant } from '../../core/records.ts';
import { decryptRange, encryptRecording } from '../../security/recording-cipher.ts';
import type { CallActor } from './calls.ts';

export interface RecordingDeps {
  calls: CallStore;
  audit: AuditLog;
  now: () => Instant;
  files: RecordingFiles;
  key: () => Promise<Buffer>;
  retention: RecordingRetention;
  maxBytes: number;
}

export interface AttachInput {
  callId: number;
  /** The upload's media type: `audio/wav`, `audio/mpeg` or `audio/ogg` (Opus). */
  mediaType: string;
  startedAt: Instant | null;
  noticePlayedAt: Instant | null;
  audio: AsyncIterable<Uint8Array>;
}

/**
 * Stores a recording of a call: refused before a byte is stored when the notice did not come first,
 * or when the first bytes are not the format the media type names; cut off at `maxBytes`.
 * @throws UNKNOWN_CALL, VALIDATION_FAILED (startedAt), RECORDING_BEFORE_NOTICE, RECORDING_FORMAT_INVALID, INPUT_TOO_LARGE, CONFIG_INVALID (no key)
 */
export async function attachRecording(deps: RecordingDeps, input: AttachInput, by: CallActor): Promise<RecordingView> {
  const call = await deps.calls.get(input.callId);
  if (call === null) throw new DomainError('UNKNOWN_CALL', `no call with id ${input.callId}`, { field: 'id' });
  if (input.startedAt === null) throw new DomainError('VALIDATION_FAILED', 'startedAt is required: when the recording started', { field: 'startedAt' });
  requireNoticeFirst(input.startedAt, input.noticePlayedAt);
  const format = formatOf(input.mediaType);
  const key = await deps.key();
  const counted = { bytes: 0 };
  const fileKey = `${randomUUID()}.lrec`;
  await deps.files.write(fileKey, encryptRecording(key, checkedAudio(input.audio, format, deps.maxBytes, counted)));
  try {
    const recording = await deps.calls.addRecording({
      callId: call.id,
      customerId: call.customerId,
      format,
      bytes: counted.bytes,
      startedAt: input.startedAt,
      noticePlayedAt: input.noticePlayedAt ?? input.startedAt,
      retentionEndsAt: retentionEndsAt(input.startedAt, call, deps.retention),
      fileKey,
      attachedAt: deps.now(),
      attachedBy: by.actor,
    });
    await deps.audit.record({ at: deps.now(), ...by, action: 'recordings.attach', customerId: call.customerId, detail: { call: call.id, recording: recording.id, format, bytes: recording.bytes } });
    return recordingView(recording);
  } catch (err) {
    await deps.files.remove(fileKey);
    throw err;
  }
}

function formatOf(mediaType: string): RecordingFormat {
  const format = formatOfMediaType(mediaType);
  if (format === null) throw new DomainError('RECORDING_FORMAT_INVALID', `a recording is audio/wav, audio/mpeg or audio/ogg (Opus), not ${mediaType || 'no type'}`, { field: 'content-type' });
  return format;
}

/** The audio as it streams: its first bytes checked against `format`, its size against the limit. */
async function* checkedAudio(audio: AsyncIterable<Uint8Array>, format: RecordingFormat, maxBytes: number, counted: { bytes: number }): AsyncIterable<Uint8Array> {
  let head: Buffer | null = Buffer.alloc(0);
  const check = (bytes: Buffer): void => {
    if (formatOfBytes(bytes) !== format) throw new DomainError('RECORDING_FORMAT_INVALID', `the file does not start as ${format} audio does`, { field: 'content-type' });
  };
  for await (const piece of audio) {
    counted.bytes += piece.length;
    if (counted.bytes > maxBytes) throw new DomainError('INPUT_TOO_LARGE', `a recording is at most ${maxBytes} bytes`, { field: 'body' });
    if (head !== null) {
      head = Buffer.concat([head, piece]);
      if (head.length < MAGIC_BYTES) continue;
      check(head);
      const whole = head;
      head = null;
      yield whole;
      continue;
    }
    yield piece;
  }
  if (head !== null) {
    check(head);
    yield head;
  }
}

export interface Playback {
  recording: RecordingView;
  mediaType: string;
  /** First and last byte sent (inclusive), and the size of the whole recording. */
  start: number;
  end: number;
  size: number;
  partial: boolean;
  audio: AsyncIterable<Uint8Array>;
}

/**
 * A recording's audio, decrypted as it is read, the whole or the byte range asked for; the playback
 * is audited before a byte is sent.
 * @throws UNKNOWN_RECORDING; VALIDATION_FAILED (range) for a range outside the recording
 */
export async function playRecording(deps: Pick<RecordingDeps, 'calls' | 'audit' | 'now' | 'files' | 'key'>, input: { id: number; /** Bytes asked for; a negative start: the last -start bytes. */ range: { start: number; end: number | null } | null }, by: CallActor): Promise<Playback> {
  const recording = await deps.calls.getRecording(input.id);
  if (recording === null) throw new DomainError('UNKNOWN_RECORDING', `no recording with id ${input.id}`, { field: 'id' });
  const size = recording.bytes;
  // A negative start is a suffix range: the last that many bytes.
  const range = input.range === null ? null : input.range.start < 0 ? { start: Math.max(0, size + input.range.start), end: null } : input.range;
  const start = range?.start ?? 0;
  const end = Math.min(range?.end ?? size - 1, size - 1);
  if (range !== null && (start >= size || start > end)) throw new DomainError('VALIDATION_FAILED', `the range is outside the recording's ${size} bytes`, { field: 'range', details: { size } });
  const key = await deps.key();
  await deps.audit.record({ at: deps.now(), ...by, action: 'recordings.play', customerId: recording.customerId, detail: { call: recording.callId, recording: recording.id } });
  const read = (offset: number, length: number) => deps.files.read(recording.fileKey, offset, length);
  return {
    recording: recordingView(recording),
    mediaType: mediaTypeOf(recording.format),
    start,
    end,
    size,
    partial: input.range !== null,
    audio: size === 0 ? emptyAudio() : decryptRange(key, read, size, start, end),
  };
}

async function* emptyAudio(): AsyncIterable<Uint8Array> {}

/** Recordings deleted per batch: files first, then their rows. */
const PURGE_BATCH = 500;

/**
 * Deletes every recording whose retention ended before `dueBefore`: the file, then its metadata, in
 * batches; then appends the purge record and an audit entry naming how many (never whose).
 * A file that cannot be removed keeps its row, so the next purge tries again.
 */
export async function purgeRecordings(deps: Pick<RecordingDeps, 'calls' | 'audit' | 'now' | 'files'>, dueBefore: Instant, by: CallActor): Promise<{ deleted: number }> {
  let deleted = 0;
  for (;;) {
    const expired = await deps.calls.expiredRecordings(dueBefore, PURGE_BATCH);
    if (expired.length === 0) break;
    const removed: number[] = [];
    for (const r of expired) {
      try {
        await deps.files.remove(r.fileKey);
        removed.push(r.id);
      } catch {
        // Kept for the next run; the purge record says how many went.
      }
    }
    const gone = await deps.calls.deleteRecordings(removed);
    deleted += gone;
    if (removed.length < expired.length || gone === 0) break;
  }
  const at = deps.now();
  const orphanFiles = await removeOrphanFiles(deps, at);
  await deps.calls.recordPurge({ at, dueBefore, deleted, actor: by.actor });
  await deps.audit.record({ at, ...by, action: 'recordings.purge', customerId: null, detail: { dueBefore, deleted, orphanFiles } });
  return { deleted };
}

/** A file younger than this may be an upload still on its way (its row comes after it). */
const ORPHAN_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * Removes files no recording names that were last written more than a day before `now`: an upload
 * cut off by a crash between its file and its row, or a file half-written. Kept, they would outlive
 * every retention. Returns how many went.
 */
async function removeOrphanFiles(deps: Pick<RecordingDeps, 'calls' | 'files'>, now: Instant): Promise<number> {
  const before = new Date(Date.parse(now) - ORPHAN_AGE_MS).toISOString();
  const old = (await deps.files.list()).filter((f) => f.modifiedAt < before).map((f) => f.key);
  let removed = 0;
  for (let i = 0; i < old.length; i += PURGE_BATCH) {
    const batch = old.slice(i, i + PURGE_BATCH);
    const known = await deps.calls.knownFileKeys(batch);
    for (const key of batch.filter((k) => !known.has(k))) {
      await deps.files.remove(key);
      removed++;
    }
  }
  return removed;
}
