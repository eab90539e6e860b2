/**
 * The platform clients against the local stand-ins: Meta batches of at most 10,000 rows in one
 * session per kind and direction, numbered in order with the last flagged; rate-limit answers
 * waited out with back-off; and the stand-ins themselves refuse what the platforms would.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HashedIdentifier } from '../../core/ad-audiences/ports.ts';
import { startGoogleStandIn, startMetaStandIn, type StandIn } from '../../../test/support/ad-platform-stand-ins.ts';
import { GoogleCustomerMatch } from './google-customer-match.ts';
import { MetaCustomAudiences } from './meta-custom-audiences.ts';

const hash = (i: number): string => createHash('sha256').update(`person${i}@example.fi`).digest('hex');
const emails = (from: number, n: number): HashedIdentifier[] => Array.from({ length: n }, (_, i) => ({ kind: 'email', hash: hash(from + i) }));

let meta: StandIn;
beforeAll(async () => {
  meta = await startMetaStandIn('t');
});
afterAll(() => meta.close());

describe('Meta custom audiences', () => {
  it('sends 25,000 rows in three batches of one session, and removals in their own', async () => {
    const client = new MetaCustomAudiences({ apiUrl: meta.url, accessToken: 't', retry: { attempts: 3, baseDelayMs: 1 } });
    await client.upload('111', { add: [...emails(0, 25_000), { kind: 'phone', hash: hash(-1) }], remove: [] });
    expect(meta.requests['POST users']).toBe(4);
    expect(meta.largestBatch).toBe(10_000);
    expect(meta.members('111').size).toBe(25_001);
    await client.upload('111', { add: [], remove: emails(0, 5) });
    expect(meta.requests['DELETE users']).toBe(1);
    expect(meta.members('111').size).toBe(24_996);
    expect(meta.violations).toEqual([]);
  });

  it('waits out rate-limit answers with back-off, and gives up after the attempts', async () => {
    const client = new MetaCustomAudiences({ apiUrl: meta.url, accessToken: 't', retry: { attempts: 3, baseDelayMs: 1 } });
    meta.rateLimitNext(2);
    await client.upload('222', { add: emails(0, 3), remove: [] });
    expect(meta.members('222').size).toBe(3);
    meta.rateLimitNext(3);
    await expect(client.upload('222', { add: emails(10, 1), remove: [] })).rejects.toMatchObject({ code: 'AD_PLATFORM_UNAVAILABLE', message: expect.stringContaining('80003') });
  });

  it('the stand-in refuses 10,001 rows, a hash that is not SHA-256 hex, and a wrong session', async () => {
    const post = (body: unknown) =>
      fetch(`${meta.url}/333/users`, { method: 'POST', headers: { authorization: 'Bearer t', 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const session = { session_id: 7, batch_seq: 1, last_batch_flag: true, estimated_num_total: 10_001 };
    const before = meta.violations.length;
    expect((await post({ session, payload: { schema: 'EMAIL_SHA256', data: emails(0, 10_001).map((e) => e.hash) } })).status).toBe(400);
    expect((await post({ session, payload: { schema: 'EMAIL_SHA256', data: ['anna@example.fi'] } })).status).toBe(400);
    expect((await post({ session: { ...session, batch_seq: 2 }, payload: { schema: 'EMAIL_SHA256', data: [hash(1)] } })).status).toBe(400);
    expect((await post({ payload: { schema: 'EMAIL_SHA256', data: [hash(1)] } })).status).toBe(400);
    expect((await post({ session, payload: { schema: 'EMAIL_SHA256', data: [hash(1).toUpperCase()] } })).status).toBe(400);
    expect(meta.violations.length - before).toBe(5);
  });
});

describe('Google customer match', () => {
  it('runs a job per direction and polls it to success; the stand-in refuses an operation without consent', async () => {
    const google = await startGoogleStandIn({ customerId: '1234567890', developerToken: 'd', accessToken: 'a' });
    try {
      const client = new GoogleCustomerMatch({ apiUrl: google.url, developerToken: 'd', accessToken: 'a', customerId: '1234567890', pollMs: 1 });
      await client.upload('42', { add: [...emails(0, 12_000), { kind: 'phone', hash: hash(-1) }], remove: [] });
      expect(google.members('42').size).toBe(12_001);
      expect(google.requests).toMatchObject({ create: 1, addOperations: 2, run: 1 });
      await client.upload('42', { add: emails(20_000, 1), remove: emails(0, 2) });
      expect(google.members('42').size).toBe(12_000);
      expect(google.requests).toMatchObject({ create: 3, run: 3 });
      expect(google.violations).toEqual([]);

      const headers = { authorization: 'Bearer a', 'developer-token': 'd', 'content-type': 'application/json' };
      const created = (await (
        await fetch(`${google.url}/customers/1234567890/offlineUserDataJobs:create`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ job: { type: 'CUSTOMER_MATCH_USER_LIST', customerMatchUserListMetadata: { userList: 'customers/1234567890/userLists/42' } } }),
        })
      ).json()) as { resourceName: string };
      const add = await fetch(`${google.url}/${created.resourceName}:addOperations`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ operations: [{ create: { userIdentifiers: [{ hashedEmail: hash(1) }] } }] }),
      });
      expect(add.status).toBe(400);
      expect(google.violations).toEqual(['consent missing']);
    } finally {
      await google.close();
    }
  });
});
