/**
 * `lupa segments` as documented: the contract's `count --rule FILE --json` prints `{"members": n}`,
 * a saved segment is refreshed and selects an audience, an objection takes a person out at once,
 * a bad rule file exits 2 naming where the rule is wrong, and so does an --at in the future; one
 * member is said in the singular.
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

  it('says one member and one customer in the singular', async () => {
    const one = join(dir, 'one.ndjson');
    writeFileSync(one, `${JSON.stringify({ type: 'customer', id: 'C-ONE', kind: 'person', name: 'Ainoa Asukas', email: 'ainoa@example.fi', address: { street: 'Tie 1', postalCode: '99990', city: 'Nuorgam', country: 'FI' }, locale: 'fi' })}\n`);
    expect((await run(['import', one])).code).toBe(0);
    const rule = join(dir, 'nuorgam.json');
    writeFileSync(rule, JSON.stringify({ attribute: 'city', equals: 'Nuorgam' }));
    expect((await run(['segments', 'count', '--rule', rule])).stdout).toMatch(/^1 customer as of /);
    const created = await run(['segments', 'create', '--name', 'Nuorgam', '--rule', rule, '--refresh']);
    expect(created.stdout).toMatch(/^segment \d+ "Nuorgam": 1 member as of /);
    const id = /^segment (\d+)/.exec(created.stdout)?.[1] ?? '';
    expect((await run(['segments', 'refresh', id])).stdout).toMatch(new RegExp(`^segment ${id}: 1 member \\(full\\)\\nrefreshed 1 segment in \\d+ ms\\n$`));
  });

  it('counts as of a past time, and refuses one in the future naming --at', async () => {
    const past = await run(['segments', 'count', '--rule', everyone, '--at', '2026-01-01T00:00:00Z', '--json']);
    expect(past.code).toBe(0);
    expect(JSON.parse(past.stdout)).toMatchObject({ asOf: '2026-01-01T00:00:00.000Z' });
    const future = await run(['segments', 'count', '--rule', everyone, '--at', '2099-01-01T00:00:00Z', '--json']);
    expect(future.code).toBe(2);
    expect(future.stdout).toBe('');
    expect(future.stderr).toMatch(/^error INVALID_DATE \(at\): --at must not be in the future \(got 2099-01-01T00:00:00.000Z, now is /);
  });
});

describeEachStoreUrl('lupa ads segments', (store) => {
  const run = (args: string[]) => lupa(['--db', store().url, ...args]);
  const dir = mkdtempSync(join(tmpdir(), 'lupa-adseg-'));
  const everyone = join(dir, 'everyone.json');

  beforeAll(async () => {
    expect((await run(['demo', '--customers', '300'])).code).toBe(0);
    writeFileSync(everyone, JSON.stringify({ not: { attribute: 'city', equals: 'No such city' } }));
  });

  it('offers a segment under a public name with the size rounded, lists it, makes a link, and refuses bad days', async () => {
    const created = JSON.parse((await run(['segments', 'create', '--name', 'All (internal)', '--rule', everyone, '--refresh', '--json'])).stdout) as { id: number; memberCount: number };
    const offered = await run(['ads', 'segments', 'offer', String(created.id), '--name', 'Readers', '--description', 'Everyone who reads', '--json']);
    expect(offered.code).toBe(0);
    expect(JSON.parse(offered.stdout)).toMatchObject({ segmentId: created.id, name: 'Readers', size: Math.round(created.memberCount / 100) * 100 });
    const listed = (await run(['ads', 'segments', 'list', '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { name: string });
    expect(listed.map((s) => s.name)).toEqual(['Readers']);
    const link = JSON.parse((await run(['ads', 'segments', 'link', '--days', '3', '--json'])).stdout) as { url: string };
    expect(link.url).toMatch(/\/a\/[A-Za-z0-9_-]+$/);
    const bad = await run(['ads', 'segments', 'link', '--days', '7days']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('days');
    expect((await run(['ads', 'segments', 'withdraw', String(created.id)])).code).toBe(0);
    expect((await run(['ads', 'segments', 'withdraw', String(created.id)])).code).not.toBe(0);
  });
});
