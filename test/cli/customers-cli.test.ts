/**
 * `lupa customers timeline ID` as documented: `--json` prints one JSON object per entry, newest
 * first (each page audited under the operating-system user); `--kinds` narrows it; an unknown
 * kind (exit 2) or customer (exit 3) is refused with nothing printed on stdout.
 */
import { expect, it, vi } from 'vitest';
import { lupa, PROCESS_TEST_TIMEOUT_MS } from '../support/processes.ts';
import { describeEachStoreUrl } from '../support/stores.ts';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS });

describeEachStoreUrl('lupa customers timeline', (store) => {
  const run = (args: string[]) => lupa(['--db', store().url, ...args]);

  it('prints the history one entry per line, newest first, and narrows it by kind', async () => {
    expect((await run(['demo', '--customers', '30'])).code).toBe(0);
    const all = await run(['customers', 'timeline', 'C0000001', '--json']);
    expect(all.code, all.stderr).toBe(0);
    const entries = all.stdout.trim().split('\n').map((line) => JSON.parse(line) as { at: string; kind: string; id: string });
    expect(entries.length).toBeGreaterThan(1);
    expect(entries.map((e) => e.at)).toEqual([...entries.map((e) => e.at)].sort().reverse());
    const ledger = await run(['customers', 'timeline', 'C0000001', '--kinds', 'ledger', '--limit', '150', '--json']);
    const ledgerEntries = ledger.stdout.trim().split('\n').map((line) => JSON.parse(line) as { kind: string; id: string });
    expect(ledgerEntries).toEqual(entries.filter((e) => e.kind === 'ledger').map((e) => expect.objectContaining({ kind: 'ledger', id: e.id })));
  });

  it('refuses an unknown kind (exit 2) and an unknown customer (exit 3)', async () => {
    const kind = await run(['customers', 'timeline', 'C0000001', '--kinds', 'gossip', '--json']);
    expect([kind.code, kind.stdout]).toEqual([2, '']);
    expect(kind.stderr).toContain('kinds');
    const customer = await run(['customers', 'timeline', 'C9999999', '--json']);
    expect([customer.code, customer.stdout]).toEqual([3, '']);
    expect(customer.stderr).toContain('UNKNOWN_CUSTOMER');
  });
});
