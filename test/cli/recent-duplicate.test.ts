/**
 * The README's first campaign followed by docs/api.md's: the same offer to the same people within
 * LUPA_RECENT_CAMPAIGN_DAYS. `lupa campaign create` names the earlier campaign, `launch` refuses
 * (RECENT_DUPLICATE, exit 4) until `--despite-recent ID`, and `--exclude-recipients-of` leaves them out.
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { lupa, PROCESS_TEST_TIMEOUT_MS } from '../support/processes.ts';
import { describeOnStore, freshStore, type TestStore } from '../support/stores.ts';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS });

const OFFER = ['--purpose', 'marketing', '--channel', 'email', '--product', 'UV-PRINT-7', '--template', 'autumn'];

describeOnStore('sqlite', 'the same offer twice on the command line', () => {
  let store: TestStore;
  const run = (args: string[], env: Record<string, string> = {}) => lupa(['--db', store.url, ...args], env);

  beforeAll(async () => {
    store = await freshStore('sqlite');
    expect((await run(['demo', '--customers', '60'])).code).toBe(0);
    expect((await run(['campaign', 'create', '--name', 'Syystarjous', ...OFFER])).stderr).not.toContain('warning');
    expect((await run(['campaign', 'launch', '1'])).code).toBe(0);
  });
  afterAll(async () => {
    await store.drop();
  });

  it('names the earlier campaign at create, with its launch time and how many already got it', async () => {
    const created = await run(['campaign', 'create', '--name', 'Syystarjous', ...OFFER]);
    expect(created.code).toBe(0);
    expect(created.stdout).toBe('created campaign 2 (draft)\n');
    expect(created.stderr).toContain('warning: the same offer went out recently to people this campaign selects:');
    expect(created.stderr).toMatch(/campaign 1 "Syystarjous" \(same template and product\), launched at \d{4}-\d\d-\d\dT[\d:.]+Z: [1-9][\d,]* of this selection already got it/);
    expect(created.stderr).toContain('lupa campaign launch 2 refuses it until you confirm with --despite-recent 1');
  });

  it('refuses the launch with RECENT_DUPLICATE (exit 4) until confirmed, writing nothing', async () => {
    const refused = await run(['campaign', 'launch', '2']);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('RECENT_DUPLICATE');
    expect(refused.stderr).toContain('--despite-recent 1');
    expect((await run(['campaign', 'list'])).stdout).toMatch(/^2\s+Syystarjous\s+draft/m);
    expect((await run(['campaign', 'launch', '2', '--despite-recent', 'x'])).code).toBe(2);
    expect((await run(['campaign', 'launch', '2', '--despite-recent', '1'])).code).toBe(0);
  });

  it('leaves out whoever got the earlier campaigns with --exclude-recipients-of, and then has nothing to warn of', async () => {
    const created = await run(['campaign', 'create', '--name', 'Syystarjous, muille', ...OFFER, '--exclude-recipients-of', '1,2', '--json']);
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ id: 3, filter: { excludeRecipientsOf: [1, 2] }, recentSends: [] });
    expect((await run(['campaign', 'launch', '3'])).code).toBe(0);
  });

  it('checks nothing with LUPA_RECENT_CAMPAIGN_DAYS=0', async () => {
    const created = await run(['campaign', 'create', '--name', 'Syystarjous', ...OFFER], { LUPA_RECENT_CAMPAIGN_DAYS: '0' });
    expect(created.stderr).not.toContain('warning');
    expect((await run(['campaign', 'launch', '4'], { LUPA_RECENT_CAMPAIGN_DAYS: '0' })).code).toBe(0);
  });
});
