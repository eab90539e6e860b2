/**
 * The sending readiness report (what `lupa doctor` prints) against each misconfiguration a tester
 * found, and against a complete setup; a marketing launch refused for each blocking item, allowed
 * with a recorded override; a scheduled campaign held with the reason; service mail not held back.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import type { Instant } from '../core/records.ts';
import type { SendingSetup } from '../core/sending-readiness.ts';
import { toInstant } from '../core/time.ts';
import { generateDkimKey, writePrivateKey } from '../channels/email/dkim-keys.ts';
import { publicUrlOf, sendingSetupFrom } from '../sending-setup.ts';
import { NEWSLETTER, SERVICE_NOTICE, saveStockTemplates } from '../../test/support/sending.ts';
import { describeEachStore } from '../../test/support/stores.ts';
import { launchDueCampaigns } from './campaign-schedule.ts';
import { allowUnalignedFrom, createCampaign, launchCampaign, setCampaignStatus, type CampaignDeps, type CreateCampaignInput } from './campaigns.ts';
import { sendCampaign } from './send-campaign.ts';
import { readinessReport } from './sending-readiness.ts';

const dir = mkdtempSync(join(tmpdir(), 'lupa-readiness-'));
const keyFile = join(dir, 'lupa2026.pem');
const kotipostiKey = join(dir, 'kp1.pem');
const shortKey = join(dir, 'short.pem');
const edKeyFile = join(dir, 'ed2026.pem');
const edKey = generateDkimKey('ed25519');
writePrivateKey(keyFile, generateDkimKey('rsa').privateKeyPem);
writePrivateKey(edKeyFile, edKey.privateKeyPem);
writePrivateKey(kotipostiKey, generateDkimKey('rsa').privateKeyPem);
writeFileSync(shortKey, generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
const brandsFile = join(dir, 'brands.json');
writeFileSync(
  brandsFile,
  JSON.stringify({ brands: [{ name: 'kotiposti', fromName: 'Kotiposti', fromAddress: 'toimitus@kotiposti.fi', dkim: { domain: 'kotiposti.fi', selector: 'kp1', keyFile: kotipostiKey } }] }),
);

/** A setup with everything a real sender needs: https public URL, DKIM for the sender's domain, a real bounce domain, a relay that is not the development inbox. */
const COMPLETE = {
  LUPA_SMTP_URL: 'smtp://relay.uutisvirta.fi:587',
  LUPA_PUBLIC_URL: 'https://lupa.uutisvirta.fi',
  LUPA_BOUNCE_DOMAIN: 'bounces.uutisvirta.fi',
  LUPA_SENDER_ADDRESS: 'uutiset@uutisvirta.fi',
  LUPA_DKIM_DOMAIN: 'uutisvirta.fi',
  LUPA_DKIM_SELECTOR: 'lupa2026',
  LUPA_DKIM_KEY_FILE: keyFile,
  LUPA_BRANDS_FILE: brandsFile,
};

function setupOf(env: Record<string, string | undefined>): SendingSetup {
  const config = loadConfig(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as Record<string, string>);
  return sendingSetupFrom(config, publicUrlOf(config));
}

/** The suite's clock: it moves only when a test moves it. */
let clock = Date.parse('2026-11-02T09:00:00.000Z');
const now = (): Instant => toInstant(clock);

const offer = (name: string, more: Partial<CreateCampaignInput> = {}): CreateCampaignInput => ({ name, purpose: 'marketing', channel: 'email', sku: null, filter: {}, templateId: NEWSLETTER.id, ...more });

describeEachStore('sending readiness', (ctx) => {
  const deps = (sending: SendingSetup): CampaignDeps => ({ ...ctx.app.stores, settings: ctx.app.settings, sending, now });
  const report = (env: Record<string, string | undefined>) => readinessReport({ campaigns: ctx.app.stores.campaigns, sending: setupOf(env) });
  const item = async (env: Record<string, string | undefined>, id: string) => (await report(env)).items.find((i) => i.id === id);

  beforeAll(async () => {
    await saveStockTemplates(ctx.app);
  });

  describe('the report (lupa doctor)', () => {
    it('finds nothing blocking in a complete setup, and prints the DNS records to publish', async () => {
      const r = await report(COMPLETE);
      expect(r.development).toBe(false);
      expect(r.items.filter((i) => i.status !== 'ok')).toEqual([]);
      expect(r.blocking).toBe(false);
      expect(r.items.find((i) => i.id === 'dkim:default')?.summary).toContain('d=uutisvirta.fi s=lupa2026, rsa-sha256, 2048-bit key');
      const records = r.records.map((rec) => `${rec.name} ${rec.type} ${rec.value.startsWith('v=DKIM1') ? rec.value.slice(0, 30) : rec.value}`);
      expect(records).toEqual([
        'lupa2026._domainkey.uutisvirta.fi TXT v=DKIM1; k=rsa; p=MIIBIjANBgkq',
        'kp1._domainkey.kotiposti.fi TXT v=DKIM1; k=rsa; p=MIIBIjANBgkq',
        'bounces.uutisvirta.fi TXT v=spf1 a:relay.uutisvirta.fi ~all',
        'bounces.uutisvirta.fi MX 10 lupa.uutisvirta.fi.',
        '_dmarc.uutisvirta.fi TXT v=DMARC1; p=none; rua=mailto:dmarc-reports@uutisvirta.fi; adkim=r; aspf=r',
        '_dmarc.kotiposti.fi TXT v=DMARC1; p=none; rua=mailto:dmarc-reports@kotiposti.fi; adkim=r; aspf=r',
      ]);
    });

    it('blocks a public URL left unset: unsubscribe links to http://127.0.0.1', async () => {
      const found = await item({ ...COMPLETE, LUPA_PUBLIC_URL: undefined }, 'public_url');
      expect(found).toMatchObject({ status: 'blocking', summary: expect.stringContaining('http:'), fix: expect.stringContaining('LUPA_PUBLIC_URL') });
    });

    it('blocks an https public URL that points at a loopback or private address', async () => {
      for (const url of ['https://127.0.0.1:8443', 'https://localhost', 'https://192.168.1.10']) {
        expect(await item({ ...COMPLETE, LUPA_PUBLIC_URL: url }, 'public_url')).toMatchObject({ status: 'blocking', summary: expect.stringContaining('no mailbox provider') });
      }
    });

    it('blocks DKIM half configured, naming what is set and what is missing', async () => {
      const found = await item({ ...COMPLETE, LUPA_DKIM_KEY_FILE: undefined }, 'dkim:default');
      expect(found).toMatchObject({ status: 'blocking', summary: expect.stringContaining('LUPA_DKIM_KEY_FILE missing') });
      expect(found?.summary).toContain('LUPA_DKIM_DOMAIN, LUPA_DKIM_SELECTOR set');
    });

    it('reports an Ed25519 key signed beside the RSA one, and prints its record (k=ed25519, the bare 32-byte key)', async () => {
      const ed = { LUPA_DKIM_ED25519_SELECTOR: 'ed2026', LUPA_DKIM_ED25519_KEY_FILE: edKeyFile };
      const r = await report({ ...COMPLETE, ...ed });
      expect(r.blocking).toBe(false);
      expect(r.items.find((i) => i.id === 'dkim_ed25519:default')).toMatchObject({ status: 'ok', summary: expect.stringContaining('d=uutisvirta.fi s=ed2026, ed25519-sha256') });
      const record = r.records.find((rec) => rec.name === 'ed2026._domainkey.uutisvirta.fi');
      expect(record?.value).toBe(`v=DKIM1; k=ed25519; p=${edKey.publicKey}`);
      expect(Buffer.from(edKey.publicKey, 'base64')).toHaveLength(32);
      // The RSA key's record is still there: Ed25519 signs beside it, never instead.
      expect(r.records.some((rec) => rec.name === 'lupa2026._domainkey.uutisvirta.fi' && rec.value.startsWith('v=DKIM1; k=rsa;'))).toBe(true);
      // No Ed25519 setting: no item.
      expect((await report(COMPLETE)).items.some((i) => i.id.startsWith('dkim_ed25519:'))).toBe(false);
    });

    it('blocks half an Ed25519 setup, a key of the wrong type, the RSA selector reused, and an Ed25519 key without RSA', async () => {
      expect(await item({ ...COMPLETE, LUPA_DKIM_ED25519_SELECTOR: 'ed2026' }, 'dkim_ed25519:default')).toMatchObject({ status: 'blocking', summary: expect.stringContaining('LUPA_DKIM_ED25519_KEY_FILE missing') });
      expect(await item({ ...COMPLETE, LUPA_DKIM_ED25519_SELECTOR: 'ed2026', LUPA_DKIM_ED25519_KEY_FILE: keyFile }, 'dkim_ed25519:default')).toMatchObject({ status: 'blocking', summary: expect.stringContaining('the key is rsa, not Ed25519') });
      expect(await item({ ...COMPLETE, LUPA_DKIM_ED25519_SELECTOR: 'lupa2026', LUPA_DKIM_ED25519_KEY_FILE: edKeyFile }, 'dkim_ed25519:default')).toMatchObject({ status: 'blocking', summary: expect.stringContaining("the RSA key's selector") });
      const alone = { ...COMPLETE, LUPA_DKIM_DOMAIN: undefined, LUPA_DKIM_SELECTOR: undefined, LUPA_DKIM_KEY_FILE: undefined, LUPA_DKIM_ED25519_SELECTOR: 'ed2026', LUPA_DKIM_ED25519_KEY_FILE: edKeyFile };
      expect(await item(alone, 'dkim:default')).toMatchObject({ status: 'blocking', summary: expect.stringContaining('without an RSA key'), fix: expect.stringContaining('LUPA_DKIM_KEY_FILE') });
      // The Ed25519 key given where the RSA key goes.
      expect(await item({ ...COMPLETE, LUPA_DKIM_KEY_FILE: edKeyFile }, 'dkim:default')).toMatchObject({ status: 'blocking', summary: expect.stringContaining('the key is ed25519; this key must be RSA'), fix: expect.stringContaining('LUPA_DKIM_ED25519_KEY_FILE') });
    });

    it('warns of a 1024-bit DKIM key (RFC 8301 asks for 2048) and blocks a key file that cannot be read', async () => {
      expect(await item({ ...COMPLETE, LUPA_DKIM_KEY_FILE: shortKey }, 'dkim:default')).toMatchObject({ status: 'warning', summary: expect.stringContaining('1024-bit') });
      expect(await item({ ...COMPLETE, LUPA_DKIM_KEY_FILE: join(dir, 'missing.pem') }, 'dkim:default')).toMatchObject({ status: 'blocking', summary: expect.stringContaining('ENOENT') });
    });

    it('blocks a sender domain that does not align with the DKIM d= domain, for the brand and for a campaign not finished', async () => {
      const brand = await item({ ...COMPLETE, LUPA_SENDER_ADDRESS: 'noreply@lupa.example.net' }, 'from:noreply@lupa.example.net');
      expect(brand).toMatchObject({ status: 'blocking', summary: expect.stringContaining('does not align with DKIM d=uutisvirta.fi') });
      const campaign = await createCampaign(deps(setupOf(COMPLETE)), offer('Väärä lähettäjä', { from: { name: 'Muu', address: 'tarjous@muu-lehti.fi' } }));
      const found = await item(COMPLETE, 'from:tarjous@muu-lehti.fi');
      expect(found).toMatchObject({ status: 'blocking', summary: expect.stringContaining(`e.g. campaign ${campaign.id}`) });
      await setCampaignStatus(ctx.app.stores, { campaignId: campaign.id, status: 'cancelled' });
      expect(await item(COMPLETE, 'from:tarjous@muu-lehti.fi')).toBeUndefined();
    });

    it('aligns a subdomain with its organisational domain (relaxed), by the Public Suffix List', async () => {
      expect(await item({ ...COMPLETE, LUPA_SENDER_ADDRESS: 'uutiset@news.uutisvirta.fi' }, 'from:uutiset@news.uutisvirta.fi')).toMatchObject({ status: 'ok' });
      // Two names under one public suffix of two labels (co.uk) are different organisations.
      expect(await item({ ...COMPLETE, LUPA_SENDER_ADDRESS: 'news@other.co.uk', LUPA_DKIM_DOMAIN: 'uutisvirta.co.uk' }, 'from:news@other.co.uk')).toMatchObject({ status: 'blocking' });
    });

    it('blocks a return path under a reserved name (the default bounces.lupa.localhost)', async () => {
      expect(await item({ ...COMPLETE, LUPA_BOUNCE_DOMAIN: undefined }, 'return_path')).toMatchObject({ status: 'blocking', summary: expect.stringContaining('bounces.lupa.localhost') });
    });

    it('shows what would block as warnings when mail goes to the development inbox, and blocks nothing', async () => {
      const r = await report({});
      expect(r.development).toBe(true);
      expect(r.blocking).toBe(false);
      expect(r.items.find((i) => i.id === 'public_url')).toMatchObject({ status: 'warning', summary: expect.stringContaining('blocks sending through a real relay') });
    });

    it('counts a relay on this machine that is not the development inbox as real sending', () => {
      expect(setupOf({ LUPA_SMTP_URL: 'smtp://127.0.0.1:25' }).development).toBe(false);
      expect(setupOf({ LUPA_SMTP_URL: 'smtp://127.0.0.1:2525', LUPA_DEV_INBOX: '0' }).development).toBe(false);
      expect(setupOf({ LUPA_SMTP_URL: 'smtp://localhost:2600', LUPA_DEV_INBOX_PORT: '2600' }).development).toBe(true);
    });
  });

  describe('the launch of a marketing e-mail campaign', () => {
    const refusedFor = async (env: Record<string, string | undefined>, campaign: Partial<CreateCampaignInput>, itemId: string): Promise<void> => {
      const sending = setupOf(env);
      const created = await createCampaign(deps(sending), offer(`Tarjous ${itemId}`, campaign));
      const launch = launchCampaign(deps(sending), { campaignId: created.id });
      await expect(launch).rejects.toMatchObject({ code: 'LAUNCH_NOT_DELIVERABLE', field: itemId });
      // Nothing written: still a draft, no deliveries.
      expect((await ctx.app.stores.campaigns.get(created.id))?.status).toBe('draft');
      expect((await ctx.app.stores.campaigns.deliveryCounts(created.id)).byState).toEqual({});
      await setCampaignStatus(ctx.app.stores, { campaignId: created.id, status: 'cancelled' });
    };

    it('is refused while unsubscribe links would be http://', () => refusedFor({ ...COMPLETE, LUPA_PUBLIC_URL: 'http://lupa.uutisvirta.fi' }, {}, 'public_url'));
    it('is refused while unsubscribe links would point at a loopback address', () => refusedFor({ ...COMPLETE, LUPA_PUBLIC_URL: 'https://127.0.0.1' }, {}, 'public_url'));
    it('is refused while DKIM is half configured', () => refusedFor({ ...COMPLETE, LUPA_DKIM_SELECTOR: undefined }, {}, 'dkim:default'));
    it('is refused while its Ed25519 key is half configured', () => refusedFor({ ...COMPLETE, LUPA_DKIM_ED25519_KEY_FILE: edKeyFile }, {}, 'dkim_ed25519:default'));
    it('is refused while its From domain does not align with the DKIM domain', () => refusedFor(COMPLETE, { from: { name: 'Muu', address: 'tarjous@muu-lehti.fi' } }, 'from:tarjous@muu-lehti.fi'));
    it('is refused when sent as the default sender on the default domain (noreply@lupa.localhost)', () => refusedFor({ ...COMPLETE, LUPA_SENDER_ADDRESS: undefined }, {}, 'from:noreply@lupa.localhost'));

    it('goes ahead from an unaligned domain with a recorded override, who and when kept on the campaign', async () => {
      const sending = setupOf(COMPLETE);
      const created = await createCampaign(deps(sending), offer('Kumppanin lähettäjä', { from: { name: 'Muu', address: 'tarjous@muu-lehti.fi' }, allowUnalignedFrom: { reason: 'the relay signs for muu-lehti.fi', by: 'cli:marketta' } }));
      expect(created.unalignedFrom).toEqual({ reason: 'the relay signs for muu-lehti.fi', by: 'cli:marketta', at: now() });
      const launched = await launchCampaign(deps(sending), { campaignId: created.id });
      expect(launched.campaign).toMatchObject({ status: 'running', unalignedFrom: { by: 'cli:marketta' } });
      // Given later, over the API's use case, to a draft: the same record.
      const later = await createCampaign(deps(sending), offer('Toinen', { from: { name: 'Muu', address: 'tarjous@muu-lehti.fi' } }));
      await expect(launchCampaign(deps(sending), { campaignId: later.id })).rejects.toMatchObject({ code: 'LAUNCH_NOT_DELIVERABLE' });
      await allowUnalignedFrom({ campaigns: ctx.app.stores.campaigns, now }, { campaignId: later.id, reason: 'relay signs', by: 'key:k1 (console)' });
      expect((await launchCampaign(deps(sending), { campaignId: later.id })).campaign.unalignedFrom).toMatchObject({ reason: 'relay signs', by: 'key:k1 (console)' });
      // The override is for alignment only: an http unsubscribe link is still refused.
      const http = setupOf({ ...COMPLETE, LUPA_PUBLIC_URL: 'http://lupa.uutisvirta.fi' });
      const third = await createCampaign(deps(http), offer('Kolmas', { from: { name: 'Muu', address: 'tarjous@muu-lehti.fi' }, allowUnalignedFrom: { reason: 'relay signs', by: 'cli:x' } }));
      await expect(launchCampaign(deps(http), { campaignId: third.id })).rejects.toMatchObject({ code: 'LAUNCH_NOT_DELIVERABLE', field: 'public_url' });
    });

    it('sends as its brand: the brand\'s From aligns with the brand\'s own key', async () => {
      const sending = setupOf(COMPLETE);
      const created = await createCampaign(deps(sending), offer('Kotiposti syksy', { brand: 'kotiposti' }));
      expect((await launchCampaign(deps(sending), { campaignId: created.id })).campaign).toMatchObject({ status: 'running', brand: 'kotiposti' });
      await expect(createCampaign(deps(sending), offer('Tuntematon', { brand: 'iltalehti' }))).rejects.toMatchObject({ code: 'VALIDATION_FAILED', field: 'brand' });
    });

    it('does not hold back a service message, nor anything sent to the development inbox', async () => {
      const http = setupOf({ ...COMPLETE, LUPA_PUBLIC_URL: undefined });
      const notice = await createCampaign(deps(http), { name: 'Jakeluhäiriö', purpose: 'service', channel: 'email', sku: null, filter: {}, templateId: SERVICE_NOTICE.id });
      expect((await launchCampaign(deps(http), { campaignId: notice.id })).campaign.status).toBe('running');
      const dev = setupOf({});
      const demo = await createCampaign(deps(dev), offer('Demo'));
      expect((await launchCampaign(deps(dev), { campaignId: demo.id })).campaign.status).toBe('running');
    });
  });

  describe('a running campaign', () => {
    it('pauses before its next batch when the setup no longer lets its mail arrive (restarted with a real relay), sending nothing', async () => {
      const dev = setupOf({});
      const created = await createCampaign(deps(dev), offer('Ennen muutosta'));
      await launchCampaign(deps(dev), { campaignId: created.id });
      const sending = setupOf({ ...COMPLETE, LUPA_PUBLIC_URL: undefined });
      const sender = { send: () => Promise.reject(new Error('nothing may be handed off')), close: async () => undefined };
      const summary = await sendCampaign({ ...ctx.app.stores, sender, signer: ctx.app.signer, publicUrl: sending.publicUrl, settings: ctx.app.settings, sending, trackingMode: 'consent', now }, { campaignId: created.id, workerId: 'w' });
      expect(summary).toMatchObject({ sent: 0, failed: 0, stoppedBecause: 'paused', pausedBecause: expect.stringMatching(/^LAUNCH_NOT_DELIVERABLE: .*public_url/) });
      expect((await ctx.app.stores.campaigns.get(created.id))?.statusReason).toMatch(/^LAUNCH_NOT_DELIVERABLE: /);
    });
  });

  describe('a scheduled campaign', () => {
    it('does not start when its mail would not arrive: paused with the reason; resumed, it is a draft due again', async () => {
      const sending = setupOf({ ...COMPLETE, LUPA_DKIM_DOMAIN: undefined });
      const created = await createCampaign(deps(sending), offer('Aamun tarjous', { sendAt: toInstant(clock + 60 * 60_000) }));
      clock += 2 * 60 * 60_000;
      const due = await launchDueCampaigns(deps(sending));
      expect(due.launched).toEqual([]);
      expect(due.held).toEqual([{ campaignId: created.id, reason: expect.stringMatching(/^LAUNCH_NOT_DELIVERABLE: .*dkim:default: DKIM is half configured/) }]);
      const held = await ctx.app.stores.campaigns.get(created.id);
      expect(held).toMatchObject({ status: 'paused', launchedAt: null, statusReason: expect.stringContaining('LUPA_DKIM_DOMAIN missing') });
      expect((await ctx.app.stores.campaigns.deliveryCounts(created.id)).byState).toEqual({});
      // Not retried every round: the next round finds nothing due.
      expect((await launchDueCampaigns(deps(sending))).held).toEqual([]);
      // Fixed and resumed: a draft again, due now, and the next round launches it.
      expect(await setCampaignStatus(ctx.app.stores, { campaignId: created.id, status: 'running' })).toBe('draft');
      expect(await ctx.app.stores.campaigns.get(created.id)).toMatchObject({ status: 'draft', statusReason: null });
      const next = await launchDueCampaigns(deps(setupOf(COMPLETE)));
      expect(next.launched.map((l) => l.campaign.id)).toEqual([created.id]);
    });
  });
});
