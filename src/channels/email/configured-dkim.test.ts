/**
 * From the settings to the signatures: LUPA_DKIM_* with LUPA_DKIM_ED25519_* make the sender the
 * composition root builds put two DKIM signatures on each message, both verified by mailauth
 * against the records `lupa dkim generate` prints; an unreadable Ed25519 key file stops it at start.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, createEmailSender, type App } from '../../composition-root.ts';
import { loadConfig } from '../../config.ts';
import { publicUrlOf, sendingSetupFrom } from '../../sending-setup.ts';
import { dkimTxtValue, txtStrings } from '../../core/dns-records.ts';
import type { MessageSender } from '../../core/email-message.ts';
import { freshStore, type TestStore } from '../../../test/support/stores.ts';
import { DevInbox } from './dev-inbox.ts';
import { generateDkimKey, writePrivateKey } from './dkim-keys.ts';

const dir = mkdtempSync(join(tmpdir(), 'lupa-configured-dkim-'));
const rsa = generateDkimKey('rsa');
const ed = generateDkimKey('ed25519');
writePrivateKey(join(dir, 'rsa.pem'), rsa.privateKeyPem);
writePrivateKey(join(dir, 'ed.pem'), ed.privateKeyPem);
const published: Record<string, string[]> = {
  'lupa2026._domainkey.uutisvirta.fi': txtStrings(dkimTxtValue('rsa', rsa.publicKey)),
  'ed2026._domainkey.uutisvirta.fi': txtStrings(dkimTxtValue('ed25519', ed.publicKey)),
};

describe('DKIM keys from the settings (composition root)', () => {
  const inbox = new DevInbox();
  let store: TestStore;
  let app: App;
  let env: Record<string, string>;
  const senders: MessageSender[] = [];

  beforeAll(async () => {
    const { port } = await inbox.start('127.0.0.1', 0);
    store = await freshStore('sqlite');
    env = {
      LUPA_DATABASE_URL: store.url,
      LUPA_LOG_LEVEL: 'silent',
      LUPA_SMTP_URL: `smtp://127.0.0.1:${port}`,
      LUPA_DKIM_DOMAIN: 'uutisvirta.fi',
      LUPA_DKIM_SELECTOR: 'lupa2026',
      LUPA_DKIM_KEY_FILE: join(dir, 'rsa.pem'),
    };
    app = await createApp(loadConfig(env));
  });
  afterAll(async () => {
    for (const sender of senders) await sender.close();
    await app.close();
    await store.drop();
    await inbox.stop();
  });

  /** Sends one message with the sender built from `more` on top of the settings; the verdicts of its signatures, top first. */
  const sentWith = async (more: Record<string, string>, subject: string) => {
    const sender = createEmailSender(appWith(more));
    senders.push(sender);
    await sender.send({
      deliveryId: senders.length,
      attempt: 1,
      to: 'aino@example.fi',
      from: { name: 'Uutisvirta', address: 'uutiset@uutisvirta.fi' },
      subject,
      html: '<p>Hei</p>',
      text: 'Hei',
      unsubscribe: { https: 'https://lupa.uutisvirta.fi/u/tok' },
      feedback: { campaignId: 1, purpose: 'marketing', templateId: 'autumn' },
      locale: 'fi',
    });
    const summary = (await inbox.list()).find((m) => m.subject === subject);
    const message = summary === undefined ? null : await inbox.get(summary.id);
    if (message === null) throw new Error(`no message "${subject}" arrived`);
    const result = await dkimVerify(Buffer.from(message.raw), {
      resolver: async (name: string) => {
        const record = published[name];
        if (record === undefined) throw Object.assign(new Error('no such record'), { code: 'ENOTFOUND' });
        return [record];
      },
    });
    return result.results.map((r) => `${r.selector ?? ''} ${r.algo ?? ''} ${r.status.result}`);
  };
  const appWith = (more: Record<string, string>): App => {
    const config = loadConfig({ ...env, ...more });
    return { ...app, config, sending: sendingSetupFrom(config, publicUrlOf(config)) };
  };

  it('signs with the Ed25519 key beside the RSA key, both passing against their printed records', async () => {
    expect(await sentWith({ LUPA_DKIM_ED25519_SELECTOR: 'ed2026', LUPA_DKIM_ED25519_KEY_FILE: join(dir, 'ed.pem') }, 'Kaksi')).toEqual(['ed2026 ed25519-sha256 pass', 'lupa2026 rsa-sha256 pass']);
  });

  it('signs with RSA only when no Ed25519 key is set, or the Ed25519 setting holds an RSA key (lupa doctor blocks that)', async () => {
    expect(await sentWith({}, 'Yksi')).toEqual(['lupa2026 rsa-sha256 pass']);
    expect(await sentWith({ LUPA_DKIM_ED25519_SELECTOR: 'ed2026', LUPA_DKIM_ED25519_KEY_FILE: join(dir, 'rsa.pem') }, 'Väärä avain')).toEqual(['lupa2026 rsa-sha256 pass']);
  });

  it('stops at start, naming LUPA_DKIM_ED25519_KEY_FILE, when the Ed25519 key file cannot be read', async () => {
    const broken = appWith({ LUPA_DKIM_ED25519_SELECTOR: 'ed2026', LUPA_DKIM_ED25519_KEY_FILE: join(dir, 'missing.pem') });
    expect(() => createEmailSender(broken)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', field: 'LUPA_DKIM_ED25519_KEY_FILE' }));
  });
});
