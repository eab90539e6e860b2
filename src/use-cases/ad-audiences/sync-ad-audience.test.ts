/**
 * Syncing ad audiences against the local stand-ins of Meta and Google on both stores: only people
 * rule 8 allows are uploaded, an objector never; a withdrawal between two syncs removes the person
 * at the next; the second sync sends only the difference; a failed sync leaves the last success,
 * so the next one sends the difference again. The stand-ins refuse anything off their format.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MetaCustomAudiences } from '../../channels/ads/meta-custom-audiences.ts';
import { GoogleCustomerMatch } from '../../channels/ads/google-customer-match.ts';
import type { App } from '../../composition-root.ts';
import type { NewLedgerRecord } from '../../core/ports.ts';
import type { Customer, CustomerId, Instant } from '../../core/records.ts';
import { startGoogleStandIn, startMetaStandIn, type StandIn } from '../../../test/support/ad-platform-stand-ins.ts';
import { describeEachStore } from '../../../test/support/stores.ts';
import { createAdAudience, previewAdAudience } from './ad-audiences.ts';
import { hashIdentifiers } from './hashed-identifiers.ts';
import { syncAdAudience, syncAllAdAudiences, type SyncDeps } from './sync-ad-audience.ts';

let clock = '2026-03-01T00:00:00.000Z' as Instant;
const now = (): Instant => clock;
const RETRY = { attempts: 4, baseDelayMs: 1 };

async function person(app: App, id: string, email: string, phone: string | null): Promise<CustomerId> {
  const c: Customer = {
    id: id as CustomerId,
    kind: 'person',
    name: id,
    emails: [email],
    phones: phone === null ? [] : [phone],
    address: null,
    locale: 'fi',
    createdAt: clock,
    updatedAt: clock,
  };
  await app.stores.customers.insertCustomer(c);
  return c.id;
}

const common = { source: 'test', noticeVersion: null, noticeLocale: null, evidenceRef: null };
const consent = (customerId: CustomerId, value: 'granted' | 'withdrawn', at: Instant): NewLedgerRecord => ({ kind: 'consent', customerId, purpose: 'ad_audience', channel: null, value, at, ...common });
const objection = (customerId: CustomerId, scope: 'direct_marketing' | 'profiling', at: Instant): NewLedgerRecord => ({ kind: 'objection', customerId, scope, value: 'objected', at, ...common });

function memberKeys(platform: 'meta' | 'google', email: string, phone?: string): string[] {
  const h = hashIdentifiers(platform, { email, ...(phone === undefined ? {} : { phone }), country: 'FI' });
  return [`email:${h.email}`, ...(h.phone === null ? [] : [`phone:${h.phone}`])];
}

let meta: StandIn;
let google: StandIn & { consents: unknown[] };
beforeAll(async () => {
  meta = await startMetaStandIn('meta-token');
  google = await startGoogleStandIn({ customerId: '1234567890', developerToken: 'dev', accessToken: 'google-token' });
});
afterAll(async () => {
  await meta.close();
  await google.close();
});

describeEachStore(
  'ad audience sync',
  (ctx) => {
    const deps = (): SyncDeps => ({
      ...ctx.app.stores,
      settings: ctx.app.settings,
      now,
      platforms: {
        meta: new MetaCustomAudiences({ apiUrl: meta.url, accessToken: 'meta-token', retry: RETRY }),
        google: new GoogleCustomerMatch({ apiUrl: google.url, developerToken: 'dev', accessToken: 'google-token', customerId: '1234567890', retry: RETRY, pollMs: 1 }),
      },
    });

    it('uploads only who rule 8 allows, removes a withdrawal at the next sync, and never an objector', async () => {
      const app = ctx.app;
      clock = '2026-03-01T00:00:00.000Z' as Instant;
      const anna = await person(app, 'AD1', 'anna.virtanen@gmail.com', '+358401234567');
      const bert = await person(app, 'AD2', 'bert@example.fi', null);
      const cecilia = await person(app, 'AD3', 'cecilia@example.fi', '+358501112223');
      await person(app, 'AD4', 'dora@example.fi', null); // no consent at all
      await app.stores.ledger.append([
        consent(anna, 'granted', clock),
        consent(bert, 'granted', clock),
        consent(cecilia, 'granted', clock),
        objection(cecilia, 'direct_marketing', clock),
      ]);
      const id = String(Date.now() % 1_000_000);
      const audience = await createAdAudience(deps(), { name: `meta-${ctx.store.kind}`, platform: 'meta', externalId: id, filter: {} }, 'test');
      const preview = await previewAdAudience(deps(), {});
      expect(preview.eligible).toBe(2);
      expect(preview.blocked).toMatchObject({ OBJECTED: 1, NO_LEGAL_BASIS: 1 });

      const first = await syncAdAudience(deps(), audience.id);
      expect(first).toMatchObject({ status: 'succeeded', eligible: 2, added: 3, removed: 0 });
      expect([...meta.members(id)].sort()).toEqual([...memberKeys('meta', 'anna.virtanen@gmail.com', '+358401234567'), ...memberKeys('meta', 'bert@example.fi')].sort());
      for (const key of memberKeys('meta', 'cecilia@example.fi', '+358501112223')) expect(meta.members(id).has(key)).toBe(false);

      // Nothing changed: nothing is sent.
      clock = '2026-03-01T01:00:00.000Z' as Instant;
      const requestsBefore = { ...meta.requests };
      expect(await syncAdAudience(deps(), audience.id)).toMatchObject({ added: 0, removed: 0 });
      expect(meta.requests).toEqual(requestsBefore);

      // Anna withdraws; the next sync removes her e-mail and phone and nothing else.
      clock = '2026-03-01T02:00:00.000Z' as Instant;
      await app.stores.ledger.append([consent(anna, 'withdrawn', clock)]);
      const third = await syncAdAudience(deps(), audience.id);
      expect(third).toMatchObject({ eligible: 1, added: 0, removed: 2, blocked: { CONSENT_WITHDRAWN: 1, OBJECTED: 1, NO_LEGAL_BASIS: 1 } });
      expect([...meta.members(id)]).toEqual(memberKeys('meta', 'bert@example.fi'));
      // An objection to profiling stops the upload too (rule 2).
      clock = '2026-03-01T03:00:00.000Z' as Instant;
      await app.stores.ledger.append([objection(bert, 'profiling', clock)]);
      expect(await syncAdAudience(deps(), audience.id)).toMatchObject({ eligible: 0, removed: 1 });
      expect(meta.members(id).size).toBe(0);
      expect(meta.violations).toEqual([]);
      const state = await app.stores.adAudiences.get(audience.id);
      expect(state).toMatchObject({ identifiers: 0, lastSync: { removed: 1 } });
    });

    it('leaves the last successful state when the platform refuses, and sends the difference again', async () => {
      const app = ctx.app;
      clock = '2026-04-01T00:00:00.000Z' as Instant;
      const eva = await person(app, 'AD5', 'e.v.a@googlemail.com', '+358401110000');
      await app.stores.ledger.append([consent(eva, 'granted', clock)]);
      const id = String((Date.now() % 1_000_000) + 1);
      const audience = await createAdAudience(deps(), { name: `google-${ctx.store.kind}`, platform: 'google', externalId: id, filter: {} }, 'test');
      // A rate limit that outlasts the retries fails the sync.
      google.rateLimitNext(RETRY.attempts);
      await expect(syncAdAudience(deps(), audience.id)).rejects.toMatchObject({ code: 'AD_PLATFORM_UNAVAILABLE' });
      const failed = await app.stores.adAudiences.syncs(audience.id, 5);
      expect(failed[0]).toMatchObject({ status: 'failed', error: 'AD_PLATFORM_UNAVAILABLE' });
      expect((await app.stores.adAudiences.get(audience.id))?.identifiers).toBe(0);

      // A shorter one is waited out; the next sync sends everything the failed one did not.
      google.rateLimitNext(RETRY.attempts - 1);
      const ok = await syncAdAudience(deps(), audience.id);
      expect(ok).toMatchObject({ status: 'succeeded', eligible: 1, added: 2 });
      expect([...google.members(id)].sort()).toEqual(memberKeys('google', 'eva@googlemail.com', '+358401110000').sort());
      expect(google.consents.at(-1)).toEqual({ adUserData: 'GRANTED', adPersonalization: 'GRANTED' });
      expect(google.violations).toEqual([]);

      // An objection to direct marketing: removed at the next sync.
      clock = '2026-04-02T00:00:00.000Z' as Instant;
      await app.stores.ledger.append([objection(eva, 'direct_marketing', clock)]);
      expect(await syncAdAudience(deps(), audience.id)).toMatchObject({ removed: 2 });
      expect(google.members(id).size).toBe(0);
      expect(google.violations).toEqual([]);
    });

    it('syncs every audience in turn: one failing does not stop the rest, a platform without settings is skipped', async () => {
      clock = '2026-05-01T00:00:00.000Z' as Instant;
      const failing = { platform: 'meta' as const, upload: () => Promise.reject(new Error('refused')) };
      const errors: number[] = [];
      const base = deps();
      const done = await syncAllAdAudiences({ ...base, platforms: { meta: failing } }, (id) => errors.push(id));
      // Both earlier audiences exist: the Meta one fails (recorded), the Google one has no client here.
      expect(done).toEqual([]);
      expect(errors).toHaveLength(1);
      const again = await syncAllAdAudiences(base, (id) => errors.push(id));
      expect(again.map((s) => s.status)).toEqual(['succeeded', 'succeeded']);
      expect(errors).toHaveLength(1);
    });

    it('runs one sync of an audience at a time: syncs at once get AD_SYNC_RUNNING, and the change is sent and recorded once', async () => {
      const app = ctx.app;
      clock = '2026-07-01T00:00:00.000Z' as Instant;
      const olli = await person(app, 'CS1', 'olli@example.fi', '+358401110031');
      await app.stores.ledger.append([consent(olli, 'granted', clock)]);
      const id = String((Date.now() + 11) % 1_000_000);
      const audience = await createAdAudience(deps(), { name: `concurrent-${ctx.store.kind}`, platform: 'meta', externalId: id, filter: {} }, 'test');
      const base = deps();
      const real = base.platforms.meta;
      let uploads = 0;
      // An upload that takes a while, as a real one does: the other syncs start while it runs.
      const slow = { platform: 'meta' as const, upload: async (externalId: string, change: Parameters<NonNullable<typeof real>['upload']>[1]) => {
        uploads += 1;
        await new Promise((resolve) => setTimeout(resolve, 100));
        await real?.upload(externalId, change);
      } };
      const slowDeps = { ...base, platforms: { meta: slow } };
      const results = await Promise.allSettled([syncAdAudience(slowDeps, audience.id), syncAdAudience(slowDeps, audience.id), syncAdAudience(slowDeps, audience.id)]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results.filter((x) => x.status === 'rejected')) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'AD_SYNC_RUNNING' });
      expect(uploads).toBe(1);
      // The history has the change once; the refused syncs recorded nothing.
      expect((await app.stores.adAudiences.syncs(audience.id, 10)).map((s) => [s.status, s.added, s.removed])).toEqual([['succeeded', 2, 0]]);
      expect(meta.members(id).size).toBe(2);

      // The claim was given back: the next sync runs.
      clock = '2026-07-01T01:00:00.000Z' as Instant;
      expect(await syncAdAudience(deps(), audience.id)).toMatchObject({ status: 'succeeded', added: 0, removed: 0 });
      // Another process's claim, made just now, holds (also four and a half minutes on); one not renewed within the stale limit was a crash's and is taken over.
      expect(await app.stores.adAudiences.claimSync(audience.id, 'other-process', '2026-07-01T01:00:00.000Z' as Instant, '2026-07-01T00:00:00.000Z' as Instant)).toBe(true);
      await expect(syncAdAudience(deps(), audience.id)).rejects.toMatchObject({ code: 'AD_SYNC_RUNNING' });
      clock = '2026-07-01T01:04:30.000Z' as Instant;
      await expect(syncAdAudience(deps(), audience.id)).rejects.toMatchObject({ code: 'AD_SYNC_RUNNING' });
      clock = '2026-07-01T01:05:01.000Z' as Instant;
      expect(await syncAdAudience(deps(), audience.id)).toMatchObject({ status: 'succeeded' });
      expect((await app.stores.adAudiences.syncs(audience.id, 10)).filter((s) => s.status === 'failed')).toEqual([]);
      // The crashed process's claim is gone: its late release changes nothing.
      await app.stores.adAudiences.releaseSync(audience.id, 'other-process');
      expect(await app.stores.adAudiences.renewSyncClaim(audience.id, 'other-process', clock)).toBe(false);
    });

    it("never sends an identifier another customer holding it refuses, and sends one that nobody holding it refuses", async () => {
      const app = ctx.app;
      clock = '2026-06-01T00:00:00.000Z' as Instant;
      // Two records of one mailbox: one owner consents, the other objects (later).
      const first = await person(app, 'SH1', 'matti.virtanen@example.fi', '+358401110001');
      const second = await person(app, 'SH2', 'matti.virtanen@example.fi', '+358401110002');
      // Two records of another: one consents, the other never answered (no refusal).
      const third = await person(app, 'SH3', 'liisa@example.fi', null);
      await person(app, 'SH4', 'liisa@example.fi', null);
      await app.stores.ledger.append([consent(first, 'granted', clock), consent(second, 'granted', clock), consent(third, 'granted', clock)]);
      const id = String((Date.now() + 7) % 1_000_000);
      const audience = await createAdAudience(deps(), { name: `shared-${ctx.store.kind}`, platform: 'meta', externalId: id, filter: {} }, 'test');
      const [matti, firstPhone] = memberKeys('meta', 'matti.virtanen@example.fi', '+358401110001');
      const [, secondPhone] = memberKeys('meta', 'matti.virtanen@example.fi', '+358401110002');
      const [liisa] = memberKeys('meta', 'liisa@example.fi');
      await syncAdAudience(deps(), audience.id);
      for (const key of [matti, firstPhone, secondPhone, liisa]) expect(meta.members(id).has(key ?? '')).toBe(true);

      clock = '2026-06-01T01:00:00.000Z' as Instant;
      await app.stores.ledger.append([objection(second, 'direct_marketing', clock)]);
      await syncAdAudience(deps(), audience.id);
      // The shared address is removed with the objector's own phone; the consenting owner's phone stays.
      expect(meta.members(id).has(matti ?? '')).toBe(false);
      expect(meta.members(id).has(secondPhone ?? '')).toBe(false);
      expect(meta.members(id).has(firstPhone ?? '')).toBe(true);
      expect(meta.members(id).has(liisa ?? '')).toBe(true);
      expect(meta.violations).toEqual([]);
    });
  },
  { now },
);
