/**
 * Google Ads customer match through an offline user data job (REST): create the job for the user
 * list, add operations (`create` or `remove` of `userIdentifiers` with `hashedEmail` or
 * `hashedPhoneNumber`), run it, and poll its status through GoogleAdsService search until it
 * succeeds or fails. Removals and additions go in separate jobs. The EU user-consent fields
 * (`adUserData`, `adPersonalization`) are set from the ledger: only people with consent for
 * `ad_audience` are ever added (compliance.md §2 rule 8), so an added person's consent is GRANTED.
 */
import type { AdPlatformClient, HashedIdentifier } from '../../core/ad-audiences/ports.ts';
import { DomainError } from '../../core/errors.ts';
import { batches, DEFAULT_RETRY, platformJson, type RetryPolicy } from './platform-http.ts';

/** Operations per addOperations request (Google allows more; this keeps each request small). */
export const GOOGLE_MAX_OPERATIONS = 10_000;

export interface GoogleSettings {
  /** The Google Ads API with its version, e.g. https://googleads.googleapis.com/v26 */
  apiUrl: string;
  developerToken: string;
  accessToken: string;
  /** The advertiser's customer id, digits only. */
  customerId: string;
  /** A manager account's id, when access goes through one. */
  loginCustomerId?: string;
  retry?: RetryPolicy;
  /** Between status polls. */
  pollMs?: number;
  /** Polls before giving up. */
  maxPolls?: number;
}

/** Consent as recorded for everyone added: `ad_audience` granted in the ledger. */
const GRANTED = { adUserData: 'GRANTED', adPersonalization: 'GRANTED' } as const;

export class GoogleCustomerMatch implements AdPlatformClient {
  readonly platform = 'google' as const;

  constructor(private readonly settings: GoogleSettings) {}

  async upload(externalId: string, change: { add: readonly HashedIdentifier[]; remove: readonly HashedIdentifier[] }): Promise<void> {
    if (change.remove.length > 0) await this.job(externalId, 'remove', change.remove);
    if (change.add.length > 0) await this.job(externalId, 'create', change.add);
  }

  private async job(userListId: string, op: 'create' | 'remove', identifiers: readonly HashedIdentifier[]): Promise<void> {
    const { customerId } = this.settings;
    const userList = `customers/${customerId}/userLists/${userListId}`;
    const created = (await this.call('POST', `customers/${customerId}/offlineUserDataJobs:create`, {
      job: {
        type: 'CUSTOMER_MATCH_USER_LIST',
        customerMatchUserListMetadata: { userList, ...(op === 'create' ? { consent: GRANTED } : {}) },
      },
    })) as { resourceName?: unknown };
    if (typeof created?.resourceName !== 'string') throw new DomainError('AD_PLATFORM_UNAVAILABLE', 'Google answered without the job resource name');
    const job = created.resourceName;
    for (const slice of batches(identifiers, GOOGLE_MAX_OPERATIONS)) {
      await this.call('POST', `${job}:addOperations`, {
        enablePartialFailure: false,
        operations: slice.map((i) => ({
          [op]: {
            userIdentifiers: [i.kind === 'email' ? { hashedEmail: i.hash } : { hashedPhoneNumber: i.hash }],
            ...(op === 'create' ? { consent: GRANTED } : {}),
          },
        })),
      });
    }
    await this.call('POST', `${job}:run`, {});
    await this.waitFor(job);
  }

  private async waitFor(job: string): Promise<void> {
    const { customerId } = this.settings;
    const query = `SELECT offline_user_data_job.resource_name, offline_user_data_job.status FROM offline_user_data_job WHERE offline_user_data_job.resource_name = '${job}'`;
    for (let poll = 0; poll < (this.settings.maxPolls ?? 120); poll += 1) {
      const answer = (await this.call('POST', `customers/${customerId}/googleAds:search`, { query })) as {
        results?: { offlineUserDataJob?: { status?: string; failureReason?: string } }[];
      };
      const status = answer?.results?.[0]?.offlineUserDataJob?.status;
      if (status === 'SUCCESS') return;
      if (status === 'FAILED') throw new DomainError('AD_PLATFORM_UNAVAILABLE', `Google's job failed (${answer.results?.[0]?.offlineUserDataJob?.failureReason ?? 'no reason given'})`);
      await new Promise((resolve) => setTimeout(resolve, this.settings.pollMs ?? 5000));
    }
    throw new DomainError('AD_PLATFORM_UNAVAILABLE', 'Google\'s job did not finish in time; the next sync sends the difference again');
  }

  private call(method: 'POST', path: string, body: unknown): Promise<unknown> {
    const s = this.settings;
    return platformJson(
      'Google Ads',
      {
        method,
        url: `${s.apiUrl.replace(/\/$/, '')}/${path}`,
        headers: {
          authorization: `Bearer ${s.accessToken}`,
          'developer-token': s.developerToken,
          ...(s.loginCustomerId === undefined ? {} : { 'login-customer-id': s.loginCustomerId }),
        },
        body,
      },
      // RESOURCE_EXHAUSTED (429) is the quota answer; 503 UNAVAILABLE is worth another try too.
      (status) => status === 429 || status === 503,
      s.retry ?? DEFAULT_RETRY,
    );
  }
}
