/**
 * `lupa calls` and `lupa recordings` as documented: the contract's `recordings purge --now T --json`
 * prints `{"deleted": n}` and deletes the files and metadata of every recording whose retention
 * ended before T and nothing younger; "don't call me" recorded from the command line takes the
 * person off the next call list; a recording without its notice is refused with exit 2.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it, vi } from 'vitest';
import { TEST_RECORDINGS_KEY, wavFile } from '../support/audio.ts';
import { lupa, PROCESS_TEST_TIMEOUT_MS } from '../support/processes.ts';
import { describeEachStoreUrl } from '../support/stores.ts';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS });

describeEachStoreUrl('lupa calls and recordings', (store) => {
  const dir = mkdtempSync(join(tmpdir(), 'lupa-calls-'));
  const recordings = join(dir, 'recordings');
  // On SQLite the demo's own key (made on first use, kept in the store); PostgreSQL needs one configured.
  const env = () => ({ LUPA_RECORDINGS_DIR: recordings, ...(store().kind === 'postgres' ? { LUPA_RECORDINGS_KEY: TEST_RECORDINGS_KEY } : {}) });
  const run = (args: string[]) => lupa(['--db', store().url, ...args], env());
  const audio = join(dir, 'call.wav');
  const callOf = async (customer: string, outcome: string) => {
    const args = ['calls', 'record', '--customer', customer, '--number', '040 123 4567', '--direction', 'outbound', '--agent', 'agent-1', '--started-at', '2026-03-10T09:00:00Z', '--ended-at', '2026-03-10T09:02:00Z'];
    const result = await run([...args, '--purpose', 'telesales', '--call-list', 'spring', '--outcome', outcome, '--json']);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as { id: number; optedOut: boolean };
  };
  const attach = async (call: number, startedAt: string, notice: string | null) =>
    run(['recordings', 'attach', '--call', String(call), '--file', audio, '--started-at', startedAt, ...(notice === null ? [] : ['--notice-played-at', notice]), '--json']);

  beforeAll(async () => {
    expect((await run(['demo', '--customers', '50'])).code).toBe(0);
    writeFileSync(audio, wavFile(3000));
  });

  it('records "don’t call me" as an opt-out: the next call list leaves the person out', async () => {
    const out = join(dir, 'call-list.csv');
    const list = async () => {
      expect((await run(['export', 'calls', '--at', '2026-03-11T08:00:00Z', '--out', out])).code).toBe(0);
      return readFileSync(out, 'utf8');
    };
    const listed = (await list()).split('\n')[1]?.split(',')[0] ?? '';
    expect(listed).toMatch(/^C\d+/);
    expect((await callOf(listed, 'do_not_call')).optedOut).toBe(true);
    expect(await list()).not.toContain(`${listed},`);
    const calls = JSON.parse((await run(['calls', 'list', '--customer', listed, '--json'])).stdout) as { calls: { outcome: string }[] };
    expect(calls.calls.map((c) => c.outcome)).toEqual(['do_not_call']);
  });

  it('refuses a recording without a notice with exit 2', async () => {
    const call = await callOf('C0000001', 'reached');
    const refused = await attach(call.id, '2026-03-10T09:00:05Z', null);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('RECORDING_BEFORE_NOTICE');
  });

  it('purges with --now T --json: {"deleted": n}, the files and metadata of recordings whose retention ended before T, nothing younger', async () => {
    const call = await callOf('C0000002', 'reached');
    const old = JSON.parse((await attach(call.id, '2026-01-10T09:00:05Z', '2026-01-10T09:00:00Z')).stdout) as { id: number; retentionEndsAt: string };
    const young = await attach(call.id, '2026-04-10T09:00:05Z', '2026-04-10T09:00:00Z');
    expect(young.code, young.stderr).toBe(0);
    expect(old.retentionEndsAt).toBe('2026-07-09T09:00:05.000Z');
    expect(readdirSync(recordings)).toHaveLength(2);

    const purged = await run(['recordings', 'purge', '--now', '2026-08-01T00:00:00Z', '--json']);
    expect(purged.code, purged.stderr).toBe(0);
    expect(JSON.parse(purged.stdout)).toEqual({ deleted: 1 });
    expect(readdirSync(recordings)).toHaveLength(1);
    const left = JSON.parse((await run(['calls', 'list', '--customer', 'C0000002', '--json'])).stdout) as { calls: { recordings: { id: number }[] }[] };
    expect(left.calls[0]?.recordings.map((r) => r.id)).not.toContain(old.id);
    expect(left.calls[0]?.recordings).toHaveLength(1);

    expect(JSON.parse((await run(['recordings', 'purge', '--now', '2026-08-01T00:00:00Z', '--json'])).stdout)).toEqual({ deleted: 0 });
    expect(JSON.parse((await run(['recordings', 'purge', '--now', '2027-01-01T00:00:00Z', '--json'])).stdout)).toEqual({ deleted: 1 });
    expect(existsSync(recordings) ? readdirSync(recordings) : []).toEqual([]);
  });

  it('refuses to lapse phone sales as of a time still to come, and lapses as of now', async () => {
    const future = await run(['calls', 'sales', 'lapse', '--now', '2999-01-01T00:00:00Z', '--json']);
    expect(future.code).toBe(2);
    expect(future.stderr).toContain('now');
    const now = await run(['calls', 'sales', 'lapse', '--json']);
    expect(now.code, now.stderr).toBe(0);
    expect(JSON.parse(now.stdout)).toEqual({ lapsed: expect.any(Number) });
  });
});
