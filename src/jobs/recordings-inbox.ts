/**
 * The watched directory for telephony systems that write recordings to disk (Asterisk's MixMonitor,
 * for one): `LUPA_RECORDINGS_INBOX` holds an audio file and, written last, a JSON sidecar of the
 * same name (`NAME.json`: `callId`, `startedAt`, `noticePlayedAt`). `lupa serve` takes each pair as
 * `POST /v1/calls/{id}/recording` would: stored, the pair is removed; refused or failed, it is moved
 * to `failed/` with `NAME.reason.txt` saying why. Nothing is dropped without a trace.
 */
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { z } from 'zod';
import { DomainError, isDomainError } from '../core/errors.ts';
import { parseInstant } from '../core/time.ts';
import { attachRecording, type RecordingDeps } from '../use-cases/calls/recordings.ts';
import type { CallActor } from '../use-cases/calls/calls.ts';

const MEDIA_TYPES: Record<string, string> = { '.wav': 'audio/wav', '.mp3': 'audio/mpeg', '.opus': 'audio/ogg', '.ogg': 'audio/ogg' };

/** The media type a recording file's extension names. RECORDING_FORMAT_INVALID for another. */
export function mediaTypeOfFile(path: string): string {
  const type = MEDIA_TYPES[extname(path).toLowerCase()];
  if (type === undefined) throw new DomainError('RECORDING_FORMAT_INVALID', 'a recording file ends in .wav, .mp3, .opus or .ogg', { field: 'file' });
  return type;
}

const Sidecar = z.object({
  callId: z.number().int().positive(),
  startedAt: z.string(),
  noticePlayedAt: z.string().nullable().optional(),
});

export const INBOX_ACTOR: CallActor = { actor: 'system:recordings-inbox', role: 'agent' };

/** Takes every complete pair in `dir` once; returns how many were attached and how many moved aside. */
export async function takeRecordingsInbox(deps: RecordingDeps, dir: string): Promise<{ attached: number; failed: number }> {
  const names = await readdir(dir);
  let attached = 0;
  let failed = 0;
  for (const sidecar of names.filter((n) => n.endsWith('.json'))) {
    const base = sidecar.slice(0, -'.json'.length);
    const audio = names.find((n) => n !== sidecar && n.startsWith(`${base}.`) && extname(n).toLowerCase() in MEDIA_TYPES);
    try {
      if (audio === undefined) throw new DomainError('VALIDATION_FAILED', `no audio file ${base}.wav, .mp3, .opus or .ogg beside ${sidecar}`, { field: 'file' });
      const meta = parseSidecar(await readFile(join(dir, sidecar), 'utf8'));
      await attachRecording(
        deps,
        { callId: meta.callId, mediaType: mediaTypeOfFile(audio), startedAt: parseInstant(meta.startedAt, 'startedAt'), noticePlayedAt: meta.noticePlayedAt == null ? null : parseInstant(meta.noticePlayedAt, 'noticePlayedAt'), audio: createReadStream(join(dir, audio)) },
        INBOX_ACTOR,
      );
      await unlink(join(dir, audio));
      await unlink(join(dir, sidecar));
      attached++;
    } catch (err) {
      await moveAside(dir, base, [sidecar, ...(audio === undefined ? [] : [audio])], err);
      failed++;
    }
  }
  return { attached, failed };
}

function parseSidecar(text: string): z.infer<typeof Sidecar> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new DomainError('VALIDATION_FAILED', 'the sidecar is not JSON', { field: 'sidecar' });
  }
  const parsed = Sidecar.safeParse(value);
  if (!parsed.success) throw new DomainError('VALIDATION_FAILED', `the sidecar needs callId (a number) and startedAt: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`, { field: 'sidecar' });
  return parsed.data;
}

async function moveAside(dir: string, base: string, files: string[], err: unknown): Promise<void> {
  const failed = join(dir, 'failed');
  await mkdir(failed, { recursive: true });
  for (const f of files) await rename(join(dir, f), join(failed, f));
  const reason = isDomainError(err) ? `${err.code}${err.field === undefined ? '' : ` (${err.field})`}: ${err.message}` : `INTERNAL: ${err instanceof Error ? err.message : String(err)}`;
  await writeFile(join(failed, `${base}.reason.txt`), `${reason}\n`);
}
