/**
 * Recording files in a local directory (the default file store; docs/calls-and-recordings.md).
 * A file is written under a temporary name and renamed when complete, so a reader never sees half
 * a file and a failed upload leaves nothing behind. Files are readable by the owner only.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { RecordingFiles } from '../../core/calls/ports.ts';
import { DomainError } from '../../core/errors.ts';
import type { Instant } from '../../core/records.ts';

/** Keys are Lupa's own random names (`.part` while written); anything else (a path, `..`) is refused. */
const KEY = /^[A-Za-z0-9_-]{1,100}\.lrec(\.part)?$/;

export class LocalRecordingFiles implements RecordingFiles {
  constructor(private readonly dir: string) {}

  private path(key: string): string {
    if (!KEY.test(key)) throw new DomainError('INTERNAL', 'not a recording file key');
    return join(this.dir, key);
  }

  async write(key: string, chunks: AsyncIterable<Uint8Array>): Promise<void> {
    const path = this.path(key);
    const part = `${path}.part`;
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    try {
      await pipeline(Readable.from(chunks), createWriteStream(part, { mode: 0o600, flags: 'wx' }));
      await rename(part, path);
    } catch (err) {
      await rm(part, { force: true });
      throw err;
    }
  }

  async read(key: string, offset: number, length: number): Promise<Uint8Array> {
    let file;
    try {
      file = await open(this.path(key), 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new DomainError('UNKNOWN_RECORDING', 'the recording file is gone');
      throw err;
    }
    try {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await file.read(buffer, 0, length, offset);
      return buffer.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  }

  async remove(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  async list(): Promise<{ key: string; modifiedAt: Instant }[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const files = names.filter((n) => KEY.test(n));
    return Promise.all(files.map(async (key) => ({ key, modifiedAt: (await stat(join(this.dir, key))).mtime.toISOString() as Instant })));
  }
}
