/**
 * Use cases: give a draft a start time, and launch the drafts whose time has come. A scheduled
 * launch is the same launch as a manual one: the audience is decided as of the moment it runs.
 */
import type { Campaign } from '../core/campaign.ts';
import { requireFutureStart } from '../core/campaign-schedule.ts';
import { DomainError, isDomainError } from '../core/errors.ts';
import type { Instant } from '../core/records.ts';
import { launchCampaign, type CampaignDeps, type LaunchResult } from './campaigns.ts';

/** Sets (or, with `at: null`, clears) a draft's start time. */
export async function scheduleCampaign(deps: Pick<CampaignDeps, 'campaigns' | 'now'>, input: { campaignId: number; at: Instant | null }): Promise<Campaign> {
  const campaign = await deps.campaigns.get(input.campaignId);
  if (campaign === null) throw new DomainError('NOT_FOUND', `no campaign ${input.campaignId}`, { field: 'campaign' });
  if (input.at !== null) {
    requireFutureStart(input.at, deps.now(), 'at');
    requireTemplateToSchedule(campaign.templateId);
  }
  // A launch may move the draft on between the read and the write: the store only changes a draft.
  if (campaign.status !== 'draft' || !(await deps.campaigns.schedule(campaign.id, input.at))) {
    const status = (await deps.campaigns.get(campaign.id))?.status ?? campaign.status;
    throw new DomainError('CAMPAIGN_STATE', `campaign ${campaign.id} is ${status}; only a draft can be scheduled`, { field: 'campaign' });
  }
  return (await deps.campaigns.get(campaign.id)) ?? campaign;
}

export interface DueLaunches {
  launched: LaunchResult[];
  /** Due campaigns another worker launched first (or that were unscheduled, rescheduled or cancelled meanwhile). */
  taken: number[];
  /** Due campaigns that may not start (their mail would not arrive): paused with the reason (`LAUNCH_NOT_DELIVERABLE: …`), nothing written. */
  held: { campaignId: number; reason: string }[];
  /** Launches that failed; they are tried again on the next call. */
  failed: { campaignId: number; error: unknown }[];
}

/**
 * Launches every draft whose start time has come. Several workers may run this at once: each due
 * campaign is launched by one of them, and the others see CAMPAIGN_STATE for it and move on. A due
 * campaign whose mail would not arrive does not start: it is paused with the reason (`held`).
 */
export async function launchDueCampaigns(deps: CampaignDeps, opts: { limit?: number } = {}): Promise<DueLaunches> {
  const due = await deps.campaigns.dueForLaunch(deps.now(), opts.limit ?? 20);
  const result: DueLaunches = { launched: [], taken: [], held: [], failed: [] };
  for (const campaignId of due) {
    try {
      result.launched.push(await launchCampaign(deps, { campaignId, onlyIfDue: true }));
    } catch (err) {
      // One campaign that cannot launch (its store call failed) does not hold back the others.
      if (isDomainError(err) && err.code === 'CAMPAIGN_STATE') result.taken.push(campaignId);
      else if (isDomainError(err) && err.code === 'LAUNCH_NOT_DELIVERABLE') {
        // Held rather than retried every round: a person has to fix the setup (or the campaign) first.
        const reason = `${err.code}: ${err.message}`;
        if (await deps.campaigns.holdScheduled(campaignId, reason)) result.held.push({ campaignId, reason });
        else result.taken.push(campaignId);
      } else result.failed.push({ campaignId, error: err });
    }
  }
  return result;
}

/** A campaign that a worker is to launch by itself must have something to send: refused now, not at its start time. */
export function requireTemplateToSchedule(templateId: string | null): void {
  if (templateId === null) throw new DomainError('TEMPLATE_INVALID', 'a scheduled campaign needs a template (--template ID): nothing could be sent at its start time', { field: 'template' });
}
