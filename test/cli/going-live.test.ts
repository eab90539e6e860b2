/**
 * Going live, as a person does it, with real processes: `lupa dkim generate` (its record parsed back
 * against the key it wrote), `lupa doctor` (exit codes, text and JSON), and a campaign created with
 * an override for an unaligned sender, launched and shown by `campaign status`.
 */
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp, type App } from '../../src/composition-root.ts';
import { loadConfig } from '../../src/config.ts';
import { lupa, PROCESS_TEST_TIMEOUT_MS } from '../support/processes.ts';
import { saveStockTemplates } from '../support/sending.ts';
import { freshStore, type TestStore } from '../support/stores.ts';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS });

const dir = mkdtempSync(join(tmpdir(), 'lupa-going-live-'));

/** The TXT strings of a zone line, unquoted, in order. */
const txtStrings = (zoneLine: string): string[] => [...zoneLine.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => (m[1] ?? '').replace(/\\(.)/g, '$1'));

describe('lupa dkim generate', () => {
  it('writes a 2048-bit RSA private key readable by its owner only, and a TXT record whose p= is its public key', async () => {
    const out = join(dir, 'lupa2026.pem');
    const run = await lupa(['dkim', 'generate', '--domain', 'Uutisvirta.fi', '--selector', 'lupa2026', '--out', out, '--json']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const printed = JSON.parse(run.stdout) as { record: { name: string; value: string }; zoneLine: string; keyFile: string; bits: number };
    expect(printed).toMatchObject({ keyFile: out, bits: 2048, record: { name: 'lupa2026._domainkey.uutisvirta.fi' } });
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const privateKey = createPrivateKey(readFileSync(out, 'utf8'));
    expect(privateKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    // The zone line as DNS takes it: strings of at most 255 characters that join to the record.
    const strings = txtStrings(printed.zoneLine);
    expect(strings.length).toBeGreaterThan(1);
    expect(strings.every((s) => s.length <= 255)).toBe(true);
    const value = strings.join('');
    expect(value).toBe(printed.record.value);
    expect(printed.zoneLine.startsWith('lupa2026._domainkey.uutisvirta.fi. 3600 IN TXT "v=DKIM1; k=rsa; p=')).toBe(true);
    const p = /(?:^|; )p=([A-Za-z0-9+/=]+)$/.exec(value)?.[1] ?? '';
    const published = createPublicKey({ key: Buffer.from(p, 'base64'), format: 'der', type: 'spki' });
    // What the private key signs, the published key verifies.
    const signature = sign('sha256', Buffer.from('dkim test'), privateKey);
    expect(verify('sha256', Buffer.from('dkim test'), published, signature)).toBe(true);
  });

  it('makes an Ed25519 key whose record carries the bare 32-byte public key (RFC 8463)', async () => {
    const out = join(dir, 'ed.pem');
    const run = await lupa(['dkim', 'generate', '--domain', 'uutisvirta.fi', '--selector', 'ed2026', '--algorithm', 'ed25519', '--out', out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Ed25519 signs beside an RSA key of the same domain, never alone');
    expect(run.stdout).toContain(`export LUPA_DKIM_ED25519_SELECTOR='ed2026'\n  export LUPA_DKIM_ED25519_KEY_FILE='${out}'`);
    const p = /k=ed25519; p=([A-Za-z0-9+/=]+)"/.exec(run.stdout)?.[1] ?? '';
    const raw = Buffer.from(p, 'base64');
    expect(raw).toHaveLength(32);
    // SubjectPublicKeyInfo of Ed25519 is a fixed 12-byte prefix and the raw key (RFC 8410).
    const published = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]), format: 'der', type: 'spki' });
    const privateKey = createPrivateKey(readFileSync(out, 'utf8'));
    expect(verify(null, Buffer.from('dkim test'), published, sign(null, Buffer.from('dkim test'), privateKey))).toBe(true);
  });

  it('runs from any directory, writes the key where it runs by default, and says where and that it is not to be committed', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'lupa-dkim-cwd-'));
    const run = await lupa(['dkim', 'generate', '--domain', 'uutisvirta.fi', '--selector', 'cwd2026'], {}, [], elsewhere);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const file = join(elsewhere, 'cwd2026.uutisvirta.fi.rsa.pem');
    expect(run.stdout).toContain(`private key (rsa, 2048 bits) written to ${file} (mode 0600)`);
    expect(run.stdout).toContain('Never commit it');
    expect(run.stdout).not.toContain('Git working tree');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('warns when the key lands inside a Git working tree, and names a missing directory with the fix', async () => {
    const tree = mkdtempSync(join(tmpdir(), 'lupa-dkim-tree-'));
    mkdirSync(join(tree, '.git'));
    mkdirSync(join(tree, 'config'));
    const inside = await lupa(['dkim', 'generate', '--domain', 'uutisvirta.fi', '--selector', 'tree2026', '--out', 'config/k.pem'], {}, [], tree);
    expect(inside.code).toBe(0);
    expect(inside.stdout).toContain(`warning: ${join(tree, 'config/k.pem')} is inside the Git working tree ${tree}: do not commit it`);
    const json = JSON.parse((await lupa(['dkim', 'generate', '--domain', 'uutisvirta.fi', '--selector', 'tree2027', '--out', 'config/k2.pem', '--json'], {}, [], tree)).stdout) as { gitWorkingTree: string | null };
    expect(json.gitWorkingTree).toBe(tree);
    const missing = await lupa(['dkim', 'generate', '--domain', 'uutisvirta.fi', '--selector', 'x', '--out', join(tree, 'no/such/k.pem')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`the directory ${join(tree, 'no/such')} does not exist: create it first (mkdir -p -m 700 ${join(tree, 'no/such')})`);
  });

  it('never overwrites an existing key file (exit 2, naming --out)', async () => {
    const out = join(dir, 'lupa2026.pem');
    const before = readFileSync(out, 'utf8');
    const run = await lupa(['dkim', 'generate', '--domain', 'uutisvirta.fi', '--selector', 'lupa2026', '--out', out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error VALIDATION_FAILED (out)');
    expect(readFileSync(out, 'utf8')).toBe(before);
  });
});

describe('lupa doctor and a campaign going live, as processes', () => {
  let store: TestStore;
  let app: App;
  let env: Record<string, string>;

  beforeAll(async () => {
    store = await freshStore('sqlite');
    app = await createApp(loadConfig({ LUPA_DATABASE_URL: store.url, LUPA_LOG_LEVEL: 'silent' }));
    await saveStockTemplates(app);
    const key = join(dir, 'doctor.pem');
    expect((await lupa(['dkim', 'generate', '--domain', 'uutisvirta.fi', '--selector', 'lupa2026', '--out', key])).code).toBe(0);
    env = {
      LUPA_DATABASE_URL: store.url,
      LUPA_SMTP_URL: 'smtp://relay.uutisvirta.fi:587',
      LUPA_PUBLIC_URL: 'https://lupa.uutisvirta.fi',
      LUPA_BOUNCE_DOMAIN: 'bounces.uutisvirta.fi',
      LUPA_SENDER_ADDRESS: 'uutiset@uutisvirta.fi',
      LUPA_DKIM_DOMAIN: 'uutisvirta.fi',
      LUPA_DKIM_SELECTOR: 'lupa2026',
      LUPA_DKIM_KEY_FILE: key,
    };
  });
  afterAll(async () => {
    await app.close();
    await store.drop();
  });

  it('exits 0 for a complete setup and prints the records ready to paste', async () => {
    const run = await lupa(['doctor'], env);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('lupa2026._domainkey.uutisvirta.fi. 3600 IN TXT "v=DKIM1; k=rsa; p=');
    expect(run.stdout).toContain('_dmarc.uutisvirta.fi. 3600 IN TXT "v=DMARC1; p=none; rua=mailto:dmarc-reports@uutisvirta.fi; adkim=r; aspf=r"');
    expect(run.stdout).toContain('bounces.uutisvirta.fi. 3600 IN MX 10 lupa.uutisvirta.fi.');
    expect(run.stdout).toMatch(/nothing blocks sending/);
  });

  it('reports an Ed25519 key generated for signing beside the RSA key, and prints its record', async () => {
    const edFile = join(dir, 'doctor-ed.pem');
    const generated = JSON.parse((await lupa(['dkim', 'generate', '--domain', 'uutisvirta.fi', '--selector', 'ed2026', '--algorithm', 'ed25519', '--out', edFile, '--json'])).stdout) as { env: Record<string, string>; zoneLine: string };
    expect(generated.env).toEqual({ LUPA_DKIM_ED25519_SELECTOR: 'ed2026', LUPA_DKIM_ED25519_KEY_FILE: edFile });
    const run = await lupa(['doctor'], { ...env, ...generated.env });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/ok\s+dkim_ed25519:default\s+brand default also signs as d=uutisvirta\.fi s=ed2026, ed25519-sha256/);
    expect(run.stdout).toContain(generated.zoneLine);
    expect(generated.zoneLine).toMatch(/^ed2026\._domainkey\.uutisvirta\.fi\. 3600 IN TXT "v=DKIM1; k=ed25519; p=[A-Za-z0-9+/]{43}="$/);
    // Half of it blocks, as half an RSA setup does.
    const half = await lupa(['doctor'], { ...env, LUPA_DKIM_ED25519_SELECTOR: 'ed2026' });
    expect(half.code).toBe(1);
    expect(half.stdout).toMatch(/BLOCKING\s+dkim_ed25519:default\s+the Ed25519 DKIM key is half configured/);
  });

  it('exits 1 when an item blocks, naming it in the text and in --json', async () => {
    const { LUPA_DKIM_KEY_FILE: _key, ...half } = env;
    const text = await lupa(['doctor'], half);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/BLOCKING\s+dkim:default\s+DKIM is half configured/);
    const json = await lupa(['doctor', '--json'], half);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as { blocking: boolean; items: { id: string; status: string }[] };
    expect(report.blocking).toBe(true);
    expect(report.items.filter((i) => i.status === 'blocking').map((i) => i.id)).toEqual(['dkim:default']);
  });

  it('refuses the launch of an unaligned sender with exit 6 and what to fix; with --allow-unaligned-from it launches, and status shows who and why', async () => {
    const create = (extra: string[]) => lupa(['campaign', 'create', '--name', 'Kumppani', '--purpose', 'marketing', '--channel', 'email', '--template', 'autumn', '--from-address', 'tarjous@kumppani.fi', '--json', ...extra], env);
    const plain = JSON.parse((await create([])).stdout) as { id: number };
    const refused = await lupa(['campaign', 'launch', String(plain.id)], env);
    expect(refused.code).toBe(6);
    expect(refused.stderr).toMatch(/^error LAUNCH_NOT_DELIVERABLE \(from:tarjous@kumppani\.fi\): .*does not align with DKIM d=uutisvirta\.fi.*fix: send from an address at uutisvirta\.fi/);

    const allowed = JSON.parse((await create(['--allow-unaligned-from', 'the relay signs for kumppani.fi'])).stdout) as { id: number };
    expect((await lupa(['campaign', 'launch', String(allowed.id)], env)).code).toBe(0);
    const status = JSON.parse((await lupa(['campaign', 'status', String(allowed.id)], env)).stdout) as { campaign: { status: string; unalignedFrom: { reason: string; by: string; at: string } } };
    expect(status.campaign).toMatchObject({ status: 'running', unalignedFrom: { reason: 'the relay signs for kumppani.fi', by: expect.stringMatching(/^cli:/) } });
    expect(Number.isNaN(Date.parse(status.campaign.unalignedFrom.at))).toBe(false);
  });
});
