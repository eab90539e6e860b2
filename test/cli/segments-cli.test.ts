/**
 * `lupa segments` as documented: the contract's `count --rule FILE --json` prints `{"members": n}`,
 * a saved segment is refreshed and selects an audience, an objection takes a person out at once,
 * and a bad rule file exits 2 naming where the rule is wrong.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it, vi } from 'vitest';
import { lupa, PROCESS_TEST_TIMEOUT_MS } from '../support/processes.ts';
import { describeEachStoreUrl } from '../support/stores.ts';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS });

describeEachStoreUrl('lupa segments', (store) => {
  const run = (args: string[]) => lupa(['--db', store().url, ...args]);
  const dir = mkdtempSync(join(tmpdir(), 'lupa-seg-'));
  const ruleFile = join(dir, 'rule.json');
  const everyone = join(dir, 'everyone.json');

  beforeAll(async () => {
    expect((await run(['demo', '--customers', '200'])).code).toBe(0);
    writeFileSync(ruleFile, JSON.stringify({ all: [{ orders: { category: ['daily'] } }, { not: { attribute: 'kind', equals: 'business' } }] }));
    writeFileSync(everyone, JSON.stringify({ not: { attribute: 'city', equals: 'No such city' } }));
  });

  it('counts a rule file as {"members": n}, and nobody who objected', async () => {
    const all = await run(['segments', 'count', '--rule', everyone, '--json']);
    expect(all.code).toBe(0);
    const { members } = JSON.parse(all.stdout) as { members: number };
    // The demo has objectors: "everyone" is fewer than the customers.
    expect(members).toBeGreaterThan(100);
    expect(members).toBeLessThan(200);
    const daily = JSON.parse((await run(['segments', 'count', '--rule', ruleFile, '--json'])).stdout) as { members: number };
    expect(daily.members).toBeGreaterThan(0);
    expect(daily.members).toBeLessThan(members);
  });

  it('saves, refreshes and selects an audience with a segment', async () => {
    const created = await run(['segments', 'create', '--name', 'Daily readers', '--rule', ruleFile, '--refresh', '--json']);
    expect(created.code).toBe(0);
    const segment = JSON.parse(created.stdout) as { id: number; memberCount: number };
    const counted = JSON.parse((await run(['segments', 'count', '--segment', String(segment.id), '--json'])).stdout) as { members: number };
    expect(segment.memberCount).toBe(counted.members);
    const audience = await run(['audience', '--purpose', 'service', '--channel', 'email', '--segment', String(segment.id), '--json']);
    expect(JSON.parse(audience.stdout)).toMatchObject({ evaluated: segment.memberCount });
    const listed = await run(['segments', 'list']);
    expect(listed.stdout).toContain('Daily readers');
  });

  it('refuses a bad rule file with exit 2, naming the place', async () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ any: [{ attribute: 'city' }] }));
    const bad = await run(['segments', 'count', '--rule', join(dir, 'bad.json')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('INVALID_SEGMENT_RULE');
    expect(bad.stderr).toContain('any.0');
  });
});
