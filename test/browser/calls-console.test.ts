/**
 * A customer's calls in the console (Chromium): an agent sees the call with its outcome and plays
 * its recording in the browser's audio player, each playback audited under the agent; a marketer
 * never reaches the customer view's calls, and the server refuses the marketer the audio.
 */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerId, Instant } from '../../src/core/records.ts';
import { recordingSetup } from '../../src/recordings-setup.ts';
import { recordCall } from '../../src/use-cases/calls/calls.ts';
import { attachRecording } from '../../src/use-cases/calls/recordings.ts';
import { wavFile } from '../support/audio.ts';
import { browserSkipReason, seriousViolations, startConsole, type ConsoleHarness } from './console-harness.ts';

(browserSkipReason === null ? describe : describe.skip)(`calls and recordings in Chromium${browserSkipReason === null ? '' : ` (${browserSkipReason})`}`, () => {
  let h: ConsoleHarness;
  let recordingId = 0;
  beforeAll(async () => {
    h = await startConsole({ customers: 10 });
    const deps = { ...h.app.stores, now: h.app.now };
    const by = { actor: 'test', role: 'agent' };
    const started = '2026-11-24T10:15:00.000Z' as Instant;
    const base = { direction: 'inbound', agent: 'agent-7', customerId: 'C0000002', number: '+358501020028', startedAt: started, queue: 'billing', callList: null, purpose: 'service', callbackAt: null, externalId: null } as const;
    const { call } = await recordCall(deps, { ...base, endedAt: '2026-11-24T10:21:00.000Z' as Instant, outcome: 'reached' }, by);
    await recordCall(deps, { ...base, direction: 'outbound', startedAt: '2026-11-25T09:00:00.000Z' as Instant, endedAt: null, purpose: 'telesales', outcome: 'do_not_call' }, by);
    recordingId = (await attachRecording({ ...deps, ...recordingSetup(h.app) }, { callId: call.id, mediaType: 'audio/wav', startedAt: started, noticePlayedAt: started, audio: Readable.from([wavFile(16_000)]) }, by)).id;
  }, 120_000);
  afterAll(async () => h?.close());

  it('shows an agent the calls with their outcome and a player that plays the recording, audited', async () => {
    const page = await h.signedIn('agent');
    await page.goto(`${h.base}/customers/C0000002`);
    await page.getByRole('heading', { name: 'Calls' }).waitFor();
    await page.getByRole('cell', { name: /don’t call me/ }).waitFor();
    expect(await page.getByText('Phone marketing opt-out recorded').count()).toBe(1);
    const player = page.getByLabel(/^Recording \d+,/);
    expect(await player.count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    const played = await player.evaluate(async (el) => {
      const audio = el as HTMLAudioElement;
      audio.muted = true;
      await audio.play();
      return audio.duration;
    });
    expect(played).toBeCloseTo(1, 1); // 16,000 bytes at 8 kHz, 16 bits: one second
    const audit = await h.app.stores.audit.forCustomer('C0000002' as CustomerId);
    expect(audit.some((e) => e.action === 'recordings.play' && e.detail['recording'] === recordingId)).toBe(true);
  }, 120_000);

  it('shows a marketer no calls, and the server refuses the marketer the audio', async () => {
    const page = await h.signedIn('marketer');
    const status = await page.evaluate(async (id) => (await fetch(`/v1/recordings/${id}/audio`)).status, recordingId);
    expect(status).toBe(403);
  }, 120_000);
});
