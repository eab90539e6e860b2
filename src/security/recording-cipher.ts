/**
 * Recordings encrypted at rest: AES-256-GCM (node:crypto) in chunks of 64 KiB, so that a range of
 * the audio can be decrypted and authenticated without reading the whole file (HTTP Range playback),
 * and a chunk cut off, dropped or moved is detected.
 *
 * File layout: `LUPAREC1` (8 bytes), a random 12-byte base IV per file, then the chunks, each its
 * ciphertext followed by its 16-byte tag. Chunk i's IV is the base IV with i added to its last 8
 * bytes (big-endian); its additional data is i (8 bytes) and whether it is the last chunk (1 byte),
 * so truncating at a chunk boundary fails too. The plaintext size is kept in the recording's metadata.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DomainError } from '../core/errors.ts';

const MAGIC = Buffer.from('LUPAREC1', 'latin1');
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const CHUNK_BYTES = 64 * 1024;
export const HEADER_BYTES = MAGIC.length + IV_BYTES;

/**
 * The 32-byte key from `LUPA_RECORDINGS_KEY`: 64 hex digits or base64 (standard or URL-safe) of 32
 * bytes. CONFIG_INVALID otherwise.
 */
export function parseRecordingsKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== 32) {
    throw new DomainError('CONFIG_INVALID', 'LUPA_RECORDINGS_KEY must be 32 bytes as 64 hex digits or base64 (make one with: openssl rand -base64 32)', { field: 'LUPA_RECORDINGS_KEY' });
  }
  return key;
}

function chunkIv(base: Buffer, index: number): Buffer {
  const iv = Buffer.from(base);
  iv.writeBigUInt64BE(iv.readBigUInt64BE(4) + BigInt(index), 4);
  return iv;
}

function chunkAad(index: number, last: boolean): Buffer {
  const aad = Buffer.alloc(9);
  aad.writeBigUInt64BE(BigInt(index));
  aad[8] = last ? 1 : 0;
  return aad;
}

function sealChunk(key: Buffer, base: Buffer, index: number, last: boolean, plain: Buffer): Buffer {
  const cipher = createCipheriv('aes-256-gcm', key, chunkIv(base, index));
  cipher.setAAD(chunkAad(index, last));
  return Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

/**
 * The encrypted file's bytes for a stream of plaintext chunks of any size: the header, then sealed
 * 64 KiB chunks (the last one shorter, possibly empty). What `plain` throws stops the stream.
 */
export async function* encryptRecording(key: Buffer, plain: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  const base = randomBytes(IV_BYTES);
  yield Buffer.concat([MAGIC, base]);
  let pending = Buffer.alloc(0);
  let index = 0;
  for await (const piece of plain) {
    pending = pending.length === 0 ? Buffer.from(piece) : Buffer.concat([pending, piece]);
    // A full chunk is sealed only once more follows: the last chunk must carry the last flag.
    while (pending.length > CHUNK_BYTES) {
      yield sealChunk(key, base, index++, false, pending.subarray(0, CHUNK_BYTES));
      pending = pending.subarray(CHUNK_BYTES);
    }
  }
  yield sealChunk(key, base, index, true, pending);
}

/** How many chunks a recording of `bytes` plaintext bytes has (at least one). */
function chunkCount(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / CHUNK_BYTES));
}

/** Reads `length` bytes of the encrypted file from `offset`. */
export type EncryptedReader = (offset: number, length: number) => Promise<Uint8Array>;

/**
 * The plaintext bytes `start`..`end` (inclusive) of a recording of `size` bytes, chunk by chunk,
 * each authenticated before it is yielded. Throws INTERNAL when the file was changed or the key is
 * not the one it was written with.
 */
export async function* decryptRange(key: Buffer, read: EncryptedReader, size: number, start: number, end: number): AsyncIterable<Uint8Array> {
  const header = Buffer.from(await read(0, HEADER_BYTES));
  if (header.length !== HEADER_BYTES || !header.subarray(0, MAGIC.length).equals(MAGIC)) throw new DomainError('INTERNAL', 'the recording file is not in the expected format');
  const base = header.subarray(MAGIC.length);
  const chunks = chunkCount(size);
  const last = chunks - 1;
  for (let index = Math.floor(start / CHUNK_BYTES); index <= Math.min(last, Math.floor(end / CHUNK_BYTES)); index++) {
    const plainLength = index === last ? size - index * CHUNK_BYTES : CHUNK_BYTES;
    const sealed = Buffer.from(await read(HEADER_BYTES + index * (CHUNK_BYTES + TAG_BYTES), plainLength + TAG_BYTES));
    if (sealed.length !== plainLength + TAG_BYTES) throw new DomainError('INTERNAL', 'the recording file is shorter than its recording');
    const decipher = createDecipheriv('aes-256-gcm', key, chunkIv(base, index));
    decipher.setAAD(chunkAad(index, index === last));
    decipher.setAuthTag(sealed.subarray(plainLength));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(sealed.subarray(0, plainLength)), decipher.final()]);
    } catch {
      throw new DomainError('INTERNAL', 'the recording file does not decrypt: changed, or written with another key');
    }
    const from = Math.max(start - index * CHUNK_BYTES, 0);
    const to = Math.min(end - index * CHUNK_BYTES + 1, plain.length);
    yield plain.subarray(from, to);
  }
}
