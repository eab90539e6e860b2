/**
 * Recordings kept and deleted: the purge deletes the files and metadata of recordings whose
 * retention ended before its time, and nothing younger, and leaves a record of how many; the
 * watched directory takes a recording with its sidecar and moves a refused one aside with the reason.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { beforeAll, expect, it } from 'vitest';
import { describeEachStore } from '../../../test/support/stores.ts';
import { TEST_RECORDINGS_KEY, wavFile } from '../../../test/support/audio.ts';
import type { CustomerId, Instant } from '../../core/records.ts';
import { takeRecordingsInbox } from '../../jobs/recordings-inbox.ts';
import { recordingSetup } from '../../recordings-setup.ts';
import { LocalRecordingFiles } from '../../storage/calls/local-recording-files.ts';
import { recordCall } from './calls.ts';
import { attachRecording, purgeRecordings } from './recordings.ts';

const T0 = '2026-01-01T00:00:00.000Z' as Instant;
const by = { actor: 'test', role: 'agent' };
const dir = mkdtempSync(join(tmpdir(), 'lupa-recordings-'));

describeEachStore(
  'recordings kept until their retention ends',
  (ctx) => {
    const deps = () => ({ ...ctx.app.stores, now: ctx.app.now, ...recordingSetup(ctx.app) });
    let callId = 0;

    beforeAll(async () => {
      await ctx.app.stores.customers.insertCustomer({ id: 'R1' as CustomerId, kind: 'person', name: 'R1', emails: [], phones: ['+358401000009'], address: null, locale: 'fi', createdAt: T0, updatedAt: T0 });
      const call = { direction: 'inbound', agent: 'a', customerId: 'R1', number: '+358401000009', endedAt: null, queue: 'q', callList: null, purpose: 'service', outcome: 'reached', callbackAt: null, externalId: null } as const;
      callId = (await recordCall(deps(), { ...call, startedAt: '2026-01-05T10:00:00.000Z' as Instant }, by)).call.id;
    });

    const attach = (startedAt: string) =>
      attachRecording(deps(), { callId, mediaType: 'audio/wav', startedAt: startedAt as Instant, noticePlayedAt: startedAt as Instant, audio: Readable.from([wavFile(2000)]) }, by);

    it('deletes the files and metadata of recordings whose retention ended, and nothing younger', async () => {
      const old = await attach('2026-01-05T10:00:00.000Z'); // kept until 2026-07-04T10:00Z (180 days)
      const young = await attach('2026-03-01T10:00:00.000Z'); // kept until 2026-08-28T10:00Z
      expect(old.retentionEndsAt).toBe('2026-07-04T10:00:00.000Z');
      const filesBefore = readdirSync(dir).length;

      // Exactly at the end of its retention a recording is still kept: it ended before T only after T.
      expect(await purgeRecordings(deps(), '2026-07-04T10:00:00.000Z' as Instant, by)).toEqual({ deleted: 0 });
      expect(await purgeRecordings(deps(), '2026-07-05T00:00:00.000Z' as Instant, by)).toEqual({ deleted: 1 });
      expect(await ctx.app.stores.calls.getRecording(old.id)).toBeNull();
      expect(await ctx.app.stores.calls.getRecording(young.id)).not.toBeNull();
      expect(readdirSync(dir).length).toBe(filesBefore - 1);
      const [last] = await ctx.app.stores.calls.purges(1);
      expect(last).toMatchObject({ dueBefore: '2026-07-05T00:00:00.000Z', deleted: 1 });
      const audited = await ctx.app.stores.registerReads.auditEntries({ action: 'recordings.purge' }, { after: null, limit: 10 });
      expect(audited[0]).toMatchObject({ customerId: null, detail: { deleted: 1 } });

      expect(await purgeRecordings(deps(), '2027-01-01T00:00:00.000Z' as Instant, by)).toEqual({ deleted: 1 });
      expect(await ctx.app.stores.calls.getRecording(young.id)).toBeNull();
    });

    it('removes a file no recording names once it is a day old, and never a recording’s file', async () => {
      const own = mkdtempSync(join(tmpdir(), 'lupa-orphans-'));
      const files = new LocalRecordingFiles(own);
      const d = { ...deps(), files };
      const kept = await attachRecording(d, { callId, mediaType: 'audio/wav', startedAt: T0, noticePlayedAt: T0, audio: Readable.from([wavFile(100)]) }, by);
      writeFileSync(join(own, 'orphan.lrec'), 'x');
      writeFileSync(join(own, 'cut-off.lrec.part'), 'x');
      writeFileSync(join(own, 'fresh.lrec'), 'x');
      const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
      for (const name of readdirSync(own).filter((n) => n !== 'fresh.lrec')) utimesSync(join(own, name), twoDaysAgo, twoDaysAgo);
      await purgeRecordings({ ...d, now: () => new Date().toISOString() as Instant }, T0, by);
      expect(readdirSync(own).length).toBe(2);
      expect(readdirSync(own)).toContain('fresh.lrec');
      expect(await ctx.app.stores.calls.getRecording(kept.id)).not.toBeNull();
    });

    it('cuts off a recording over the size limit while it streams, leaving no file behind', async () => {
      const before = readdirSync(dir).sort();
      const big = Readable.from([wavFile(4000), wavFile(4000)]);
      await expect(attachRecording({ ...deps(), maxBytes: 5000 }, { callId, mediaType: 'audio/wav', startedAt: T0, noticePlayedAt: T0, audio: big }, by)).rejects.toMatchObject({ code: 'INPUT_TOO_LARGE' });
      expect(readdirSync(dir).sort()).toEqual(before);
    });

    it('takes a recording from the watched directory, and moves a refused one aside with the reason', async () => {
      const inbox = mkdtempSync(join(tmpdir(), 'lupa-inbox-'));
      writeFileSync(join(inbox, 'ok.wav'), wavFile(500));
      writeFileSync(join(inbox, 'ok.json'), JSON.stringify({ callId, startedAt: '2026-03-02T10:00:05Z', noticePlayedAt: '2026-03-02T10:00:00Z' }));
      writeFileSync(join(inbox, 'early.wav'), wavFile(500));
      writeFileSync(join(inbox, 'early.json'), JSON.stringify({ callId, startedAt: '2026-03-02T10:00:00Z', noticePlayedAt: '2026-03-02T10:00:05Z' }));
      writeFileSync(join(inbox, 'still-writing.wav'), wavFile(10)); // no sidecar yet: left alone

      expect(await takeRecordingsInbox(deps(), inbox)).toEqual({ attached: 1, failed: 1 });
      expect(readdirSync(inbox).sort()).toEqual(['failed', 'still-writing.wav']);
      expect(readdirSync(join(inbox, 'failed')).sort()).toEqual(['early.json', 'early.reason.txt', 'early.wav']);
      expect(readFileSync(join(inbox, 'failed', 'early.reason.txt'), 'utf8')).toContain('RECORDING_BEFORE_NOTICE');
      expect(existsSync(join(inbox, 'ok.wav'))).toBe(false);
    });
  },
  { env: { LUPA_RECORDINGS_KEY: TEST_RECORDINGS_KEY, LUPA_RECORDINGS_DIR: dir } },
);
