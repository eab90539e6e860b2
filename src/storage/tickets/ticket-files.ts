/**
 * The file store of ticket attachments: one file per attachment in a directory (LUPA_TICKET_FILES_DIR),
 * named by a random id so that no name a sender chose reaches the file system. The directory is
 * made (owner-only) on first use.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TicketFileStore } from '../../core/tickets/ticket.ts';

const STORED_NAME = /^[0-9a-f-]{36}$/;

export class DirectoryTicketFiles implements TicketFileStore {
  private made = false;

  constructor(private readonly dir: string) {}

  async put(data: Uint8Array): Promise<string> {
    if (!this.made) {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      this.made = true;
    }
    const name = randomUUID();
    await writeFile(join(this.dir, name), data, { mode: 0o600, flag: 'wx' });
    return name;
  }

  async read(storedAs: string): Promise<Buffer | null> {
    if (!STORED_NAME.test(storedAs)) return null;
    try {
      return await readFile(join(this.dir, storedAs));
    } catch {
      return null;
    }
  }
}
