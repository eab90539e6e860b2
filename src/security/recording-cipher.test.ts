/**
 * Recordings encrypted at rest: what is written is not the audio, any range decrypts to the same
 * bytes, and a changed, truncated or re-keyed file is refused rather than played.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CHUNK_BYTES, decryptRange, encryptRecording, HEADER_BYTES, parseRecordingsKey } from './recording-cipher.ts';

const key = randomBytes(32);

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of chunks) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

async function* pieces(data: Buffer, size: number): AsyncIterable<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

const readerOf = (file: Buffer) => async (offset: number, length: number) => file.subarray(offset, offset + length);

describe('recording encryption', () => {
  const audio = randomBytes(2 * CHUNK_BYTES + 1234);

  it('writes no audio in the clear, and any range decrypts to the same bytes', async () => {
    const file = await collect(encryptRecording(key, pieces(audio, 10_000)));
    expect(file.includes(audio.subarray(100, 132))).toBe(false);
    expect(file.length).toBe(HEADER_BYTES + audio.length + 3 * 16);
    for (const [start, end] of [[0, audio.length - 1], [CHUNK_BYTES - 5, CHUNK_BYTES + 5], [2 * CHUNK_BYTES, audio.length - 1], [7, 7]] as const) {
      expect((await collect(decryptRange(key, readerOf(file), audio.length, start, end))).equals(audio.subarray(start, end + 1))).toBe(true);
    }
  });

  it('handles a recording that fills its chunks exactly, and an empty one', async () => {
    for (const data of [randomBytes(CHUNK_BYTES), Buffer.alloc(0)]) {
      const file = await collect(encryptRecording(key, pieces(data, 4096)));
      expect((await collect(decryptRange(key, readerOf(file), data.length, 0, Math.max(0, data.length - 1)))).equals(data)).toBe(true);
    }
  });

  it('refuses a changed byte, a file cut at a chunk boundary, and another key', async () => {
    const file = await collect(encryptRecording(key, pieces(audio, 65_536)));
    const changed = Buffer.from(file);
    changed[HEADER_BYTES + CHUNK_BYTES + 20] = (changed[HEADER_BYTES + CHUNK_BYTES + 20] ?? 0) ^ 1;
    await expect(collect(decryptRange(key, readerOf(changed), audio.length, 0, audio.length - 1))).rejects.toThrow(/does not decrypt/);
    // Two whole chunks, claimed to be the whole recording: the second was not sealed as the last.
    const cut = file.subarray(0, HEADER_BYTES + 2 * (CHUNK_BYTES + 16));
    await expect(collect(decryptRange(key, readerOf(cut), 2 * CHUNK_BYTES, 0, 2 * CHUNK_BYTES - 1))).rejects.toThrow(/does not decrypt/);
    await expect(collect(decryptRange(randomBytes(32), readerOf(file), audio.length, 0, 10))).rejects.toThrow(/does not decrypt/);
  });

  it('takes the key as 64 hex digits or base64 of 32 bytes, and nothing else', () => {
    expect(parseRecordingsKey('ab'.repeat(32)).length).toBe(32);
    expect(parseRecordingsKey(key.toString('base64')).equals(key)).toBe(true);
    expect(parseRecordingsKey(key.toString('base64url')).equals(key)).toBe(true);
    for (const bad of ['short', 'ab'.repeat(31), randomBytes(16).toString('base64')]) expect(() => parseRecordingsKey(bad)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', field: 'LUPA_RECORDINGS_KEY' }));
  });
});
