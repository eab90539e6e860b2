/** The `lupa` command end to end, as a real process, on every store. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { lupa, PROCESS_TEST_TIMEOUT_MS } from '../support/processes.ts';
import { describeOnStore, freshStore, type TestStore } from '../support/stores.ts';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS });

const lines = (records: object[]): string => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

const GOOD = lines([
  { type: 'product', sku: 'DAILY-1', name: 'Aamulehti 7', category: 'daily' },
  { type: 'product', sku: 'MAG-1', name: 'Koti & Puutarha', category: 'magazine_home' },
  { type: 'customer', id: 'C1', kind: 'person', name: 'Aino Virtanen', email: 'Aino.Virtanen@Example.fi', phone: '040 123 4567', address: { street: 'Hämeenkatu 1', postalCode: '33100', city: 'Tampere', country: 'FI' }, locale: 'fi' },
  { type: 'customer', id: 'C2', kind: 'person', name: 'Björn Lind', email: 'bjorn@example.fi', locale: 'sv' },
  { type: 'customer', id: 'C3', kind: 'business', name: 'Kuljetus Oy', email: 'info@kuljetus.example.fi' },
  { type: 'order', id: 'O1', customerId: 'C1', sku: 'DAILY-1', startedAt: '2024-01-01T00:00:00Z', endedAt: null, soldVia: 'web', optOutOffered: true },
  { type: 'order', id: 'O2', customerId: 'C2', sku: 'MAG-1', startedAt: '2024-01-01T00:00:00Z', soldVia: 'telesales', optOutOffered: true },
  { type: 'consent', customerId: 'C2', purpose: 'marketing', channel: 'email', value: 'granted', at: '2024-02-01T00:00:00Z', source: 'web_form', noticeVersion: '2024-01' },
  { type: 'consent', customerId: 'C2', purpose: 'marketing', channel: 'email', value: 'withdrawn', at: '2025-02-01T00:00:00Z', source: 'unsubscribe_link' },
  { type: 'suppression', channel: 'email', address: 'info@kuljetus.example.fi', reason: 'hard_bounce', at: '2025-01-01T00:00:00Z' },
]);

describe('lupa bounces parse, as a process', () => {
  const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/bounces/${name}`, import.meta.url));

  it('classifies a feedback report as a complaint and a DSN by its status, printing the contract JSON', async () => {
    const manifest = JSON.parse(readFileSync(fixture('manifest.json'), 'utf8')) as { file: string; class: string; status: string | null }[];
    const hard = manifest.find((m) => m.class === 'hard' && m.status === '5.1.1');
    const complaint = manifest.find((m) => m.class === 'complaint');
    for (const expected of [hard, complaint]) {
      if (expected === undefined) throw new Error('fixture manifest lacks a case');
      const run = await lupa(['bounces', 'parse', fixture(expected.file), '--json']);
      expect(run.code).toBe(0);
      const result = JSON.parse(run.stdout);
      expect(Object.keys(result).sort()).toEqual(['class', 'recipient', 'status']);
      expect(result).toMatchObject({ class: expected.class, status: expected.status });
    }
  });

  it('classes the field reports by cause through the same contract JSON', async () => {
    const field = (name: string): string => fileURLToPath(new URL(`../fixtures/field/${name}`, import.meta.url));
    const parse = async (name: string) => JSON.parse((await lupa(['bounces', 'parse', field(name), '--json'])).stdout) as Record<string, unknown>;
    expect(await parse('dsn-gmail-522-over-quota.eml')).toMatchObject({ class: 'soft', status: '5.2.2' });
    expect((await parse('dsn-outlook-571-sender-ip-blocklist-s3150.eml')).class).not.toBe('hard');
    expect(await parse('dsn-status-500-x-supplementary-unknown-user.eml')).toMatchObject({ class: 'hard' });
  }, 120_000);

  it('exits 2 naming the file when it cannot be read', async () => {
    const run = await lupa(['bounces', 'parse', '/nonexistent/bounce.eml', '--json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/VALIDATION_FAILED \(file\)/);
  });
});

for (const kind of ['sqlite', 'postgres'] as const) {
  describeOnStore(kind, 'the lupa command as a process', () => {
    let store: TestStore;
    let dir: string;
    const db = (): string[] => ['--db', store.url];

    beforeAll(async () => {
      store = await freshStore(kind);
      dir = mkdtempSync(join(tmpdir(), 'lupa-cli-'));
      writeFileSync(join(dir, 'good.ndjson'), GOOD);
    });
    afterAll(async () => {
      await store.drop();
    });

    it('imports a valid file with exit 0, and a second import changes nothing', async () => {
      const first = await lupa([...db(), 'import', join(dir, 'good.ndjson'), '--json']);
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      expect(JSON.parse(first.stdout)).toMatchObject({ rows: 10, errorCount: 0 });
      const second = await lupa([...db(), 'import', join(dir, 'good.ndjson'), '--json']);
      expect(second.code).toBe(0);
      const audience = await lupa([...db(), 'audience', '--purpose', 'service', '--channel', 'email', '--json']);
      expect(JSON.parse(audience.stdout).evaluated).toBe(3);
    });

    it('decides with the contract JSON shape: soft opt-in for a similar product', async () => {
      const run = await lupa([...db(), 'decide', '--customer', 'C1', '--purpose', 'marketing', '--channel', 'email', '--product', 'DAILY-1', '--at', '2025-06-01T00:00:00Z', '--json']);
      expect(run.code).toBe(0);
      const decision = JSON.parse(run.stdout);
      expect(Object.keys(decision).sort()).toEqual(['allowed', 'basis', 'evidence', 'reasons']);
      expect(decision).toMatchObject({ allowed: true, basis: 'soft_opt_in', reasons: ['SOFT_OPT_IN'], evidence: { order: { id: 'O1' } } });
    });

    it('replays a decision as of a past time: consent before the withdrawal, withdrawn after', async () => {
      const before = await lupa([...db(), 'decide', '--customer', 'C2', '--purpose', 'marketing', '--channel', 'email', '--at', '2024-06-01T00:00:00Z', '--json']);
      expect(JSON.parse(before.stdout)).toMatchObject({ allowed: true, basis: 'consent' });
      const after = await lupa([...db(), 'decide', '--customer', 'C2', '--purpose', 'marketing', '--channel', 'email', '--at', '2025-06-01T00:00:00Z', '--json']);
      expect(JSON.parse(after.stdout)).toMatchObject({ allowed: false, basis: null, reasons: ['CONSENT_WITHDRAWN'] });
    });

    it('counts an audience by basis and blocking reason', async () => {
      const run = await lupa([...db(), 'audience', '--purpose', 'marketing', '--channel', 'email', '--product', 'DAILY-1', '--at', '2025-06-01T00:00:00Z', '--json']);
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({
        evaluated: 3,
        allowed: 1,
        byBasis: { soft_opt_in: 1 },
        blocked: { CONSENT_WITHDRAWN: 1, SUPPRESSED: 1 },
      });
    });

    it('lists the allowed customers, one JSON line each, with their basis', async () => {
      const run = await lupa([...db(), 'audience', '--purpose', 'marketing', '--channel', 'email', '--product', 'DAILY-1', '--at', '2025-06-01T00:00:00Z', '--list']);
      expect(run.code).toBe(0);
      expect(run.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual([{ customerId: 'C1', basis: 'soft_opt_in' }]);
      const swedish = await lupa([...db(), 'audience', '--purpose', 'service', '--channel', 'email', '--where', 'locale=sv', '--list']);
      expect(swedish.stdout.trim().split('\n').map((l) => JSON.parse(l).customerId)).toEqual(['C2']);
    });

    it('selects several postcode areas, the option repeated or as a comma list, for audiences and print files', async () => {
      const listed = async (...areas: string[]): Promise<string[]> => {
        const run = await lupa([...db(), 'audience', '--purpose', 'service', '--channel', 'email', ...areas, '--list']);
        expect(run.code).toBe(0);
        return run.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l).customerId);
      };
      expect(await listed('--postcode-prefix', '00', '--postcode-prefix', '33')).toEqual(['C1']);
      expect(await listed('--postcode-prefix', '00,34')).toEqual([]);
      const file = join(dir, 'mailhouse.csv');
      const exported = await lupa([...db(), 'export', 'post', '--out', file, '--postcode-prefix', '34,33']);
      expect([exported.code, exported.stdout]).toEqual([0, `wrote 1 row to ${file}\n`]);
      expect(readFileSync(file, 'utf8')).toContain('C1,Aino Virtanen,Hämeenkatu 1,33100,Tampere,FI,legitimate_interest');
      const bad = await lupa([...db(), 'audience', '--purpose', 'service', '--channel', 'email', '--postcode-prefix', '33,3x', '--json']);
      expect([bad.code, bad.stdout, bad.stderr]).toEqual([2, '', expect.stringMatching(/VALIDATION_FAILED \(postcode-prefix\)/)]);
    });

    it('rejects an unknown purpose with exit 2 and names the field on stderr', async () => {
      const run = await lupa([...db(), 'decide', '--customer', 'C1', '--purpose', 'spam', '--channel', 'email', '--json']);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/UNKNOWN_PURPOSE \(purpose\)/);
    });

    it('rejects an unknown channel, a malformed date and an unknown customer with their codes', async () => {
      const channel = await lupa([...db(), 'audience', '--purpose', 'marketing', '--channel', 'fax', '--json']);
      expect([channel.code, channel.stderr]).toEqual([2, expect.stringMatching(/UNKNOWN_CHANNEL \(channel\)/)]);
      const date = await lupa([...db(), 'decide', '--customer', 'C1', '--purpose', 'marketing', '--channel', 'email', '--at', '2025-02-30', '--json']);
      expect([date.code, date.stderr]).toEqual([2, expect.stringMatching(/INVALID_DATE \(at\)/)]);
      const customer = await lupa([...db(), 'decide', '--customer', 'C404', '--purpose', 'marketing', '--channel', 'email', '--json']);
      expect([customer.code, customer.stderr]).toEqual([3, expect.stringMatching(/UNKNOWN_CUSTOMER \(customer\)/)]);
    });

    it('reports bad rows by line and field with a non-zero exit, and lands the valid rows', async () => {
      const file = join(dir, 'mixed.ndjson');
      writeFileSync(
        file,
        lines([
          { type: 'customer', id: 'C10', kind: 'person', name: 'Eero Mäki' },
          { type: 'consent', customerId: 'C10', purpose: 'spam', value: 'granted', at: '2025-01-01T00:00:00Z', source: 'web_form' },
          { type: 'consent', customerId: 'C10', purpose: 'marketing', channel: 'sms', value: 'granted', at: 'tomorrow', source: 'web_form' },
        ]),
      );
      const run = await lupa([...db(), 'import', file]);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toMatch(/line 2: purpose/);
      expect(run.stderr).toMatch(/line 3: at/);
      const audience = await lupa([...db(), 'audience', '--purpose', 'service', '--channel', 'web', '--json']);
      expect(JSON.parse(audience.stdout).evaluated).toBe(4);
    });

    it('holds a forged bounce that names a customer: lupa bounces receive prints the contract JSON and decide still allows service mail', async () => {
      writeFileSync(join(dir, 'tuomas.ndjson'), lines([{ type: 'customer', id: 'T1', kind: 'person', name: 'Tuomas Esimerkki', email: 'tuomas.esimerkki@example.fi', locale: 'fi' }]));
      expect((await lupa([...db(), 'import', join(dir, 'tuomas.ndjson'), '--json'])).code).toBe(0);
      const forged = fileURLToPath(new URL('../fixtures/field/dsn-forged-no-verp-names-other-customer.eml', import.meta.url));
      const run = await lupa([...db(), 'bounces', 'receive', forged, '--json']);
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual({ action: 'held', delivery: null, address: null });
      const decision = await lupa([...db(), 'decide', '--customer', 'T1', '--purpose', 'service', '--channel', 'email', '--json']);
      expect(JSON.parse(decision.stdout)).toMatchObject({ allowed: true });
    }, 120_000);
  });
}
