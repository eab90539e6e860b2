/**
 * `lupa interests` as documented: the demo has stated interests and, after a refresh, inferred
 * ones; a stated interest is recorded with exit 0, an unknown topic refused with exit 2.
 */
import { beforeAll, expect, it, vi } from 'vitest';
import { lupa, PROCESS_TEST_TIMEOUT_MS } from '../support/processes.ts';
import { describeEachStoreUrl } from '../support/stores.ts';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS });

describeEachStoreUrl('lupa interests', (store) => {
  const run = (args: string[]) => lupa(['--db', store().url, ...args]);

  beforeAll(async () => {
    expect((await run(['demo', '--customers', '200'])).code).toBe(0);
  });

  it('infers interests from the demo’s trials and shows a customer’s stated ones', async () => {
    const refreshed = await run(['interests', 'refresh', '--json']);
    expect(refreshed.code).toBe(0);
    expect((JSON.parse(refreshed.stdout) as { customers: number }).customers).toBeGreaterThan(5);
    const shown = JSON.parse((await run(['interests', 'show', 'C0000021', '--json'])).stdout) as { stated: { topic: string; value: string }[] };
    expect(shown.stated.map((s) => s.value).sort()).toEqual(['interested', 'not_interested']);
  });

  it('records a stated interest, and refuses an unknown topic with exit 2', async () => {
    const recorded = await run(['interests', 'record', 'C0000001', 'science', '--value', 'interested', '--json']);
    expect(recorded.code).toBe(0);
    expect(JSON.parse(recorded.stdout)).toMatchObject({ stated: [{ topic: 'science', value: 'interested', source: 'agent' }] });
    const unknown = await run(['interests', 'record', 'C0000001', 'knitting', '--value', 'interested']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('UNKNOWN_TOPIC');
  });

  it('adds a topic, and notes a category no product is in (a typo went unnoticed before)', async () => {
    const added = await run(['interests', 'add-topic', 'knitting', '--fi', 'Neulonta', '--sv', 'Stickning', '--en', 'Knitting', '--categories', 'daily,dailly_crafts']);
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('knitting');
    expect(added.stderr).toContain('no product is in dailly_crafts yet');
    expect(added.stderr).not.toMatch(/\bdaily\b/);
  });
});
