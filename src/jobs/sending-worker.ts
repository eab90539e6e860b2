/**
 * The sending worker (`lupa worker`, and `lupa serve` where configured): until stopped, it launches
 * scheduled campaigns whose time has come and sends one batch of every running campaign with work
 * in turn, so that one large campaign holds up neither the others nor the next due launch. Soft-
 * bounce retries are picked up once due. With nothing to do it sleeps for the poll interval.
 *
 * Several workers on one database share the work safely: a due campaign is launched by one of them
 * (launchDueCampaigns), and deliveries are claimed in batches that no two workers share
 * (sendCampaign). A stop takes effect between batches: the batch in hand is finished and recorded.
 */
import { isDomainError } from '../core/errors.ts';
import { launchDueCampaigns } from '../use-cases/campaign-schedule.ts';
import type { CampaignDeps } from '../use-cases/campaigns.ts';
import { sendCampaign, type CampaignTurns, type SendDeps } from '../use-cases/send-campaign.ts';

/** Where the worker reports; pino's logger fits. Only ids, counts and times are logged: never personal data. */
export interface WorkerLog {
  info(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface WorkerDeps {
  launch: CampaignDeps;
  send: SendDeps;
  log: WorkerLog;
  /** Waits `ms`, or less when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface WorkerOptions {
  workerId: string;
  pollSeconds: number;
  /** Deliveries claimed at a time. */
  batchSize: number;
  /** How long a claim lasts (LUPA_CLAIM_LEASE_SECONDS); default: sendCampaign's, 300 s. */
  leaseSeconds?: number;
  signal: AbortSignal;
}

/** What one round did. */
export interface RoundSummary {
  launched: number;
  batches: number;
  sent: number;
}

/** What a worker keeps between rounds: each campaign's throttle and tracked links, and the last error logged. */
export interface WorkerState extends CampaignTurns {
  /** The last error logged per campaign: a campaign that keeps failing is logged once, not every poll. */
  errors: Map<number, string>;
}

export const newWorkerState = (): WorkerState => ({ throttles: new Map(), links: new Map(), errors: new Map() });

/** Runs rounds until `opts.signal` aborts; resolves once the round in hand is finished. */
export async function runSendingWorker(deps: WorkerDeps, opts: WorkerOptions): Promise<void> {
  const state = newWorkerState();
  const sleep = deps.sleep ?? abortableSleep;
  deps.log.info({ worker: opts.workerId, pollSeconds: opts.pollSeconds }, 'sending worker started');
  while (!opts.signal.aborted) {
    let busy = false;
    try {
      const round = await workRound(deps, opts, state);
      busy = round.launched > 0 || round.batches > 0;
    } catch (err) {
      // The store may be away for a moment (a restart, a failover): try again after the interval.
      deps.log.error({ worker: opts.workerId, error: describeError(err) }, 'worker round failed');
    }
    if (!busy && !opts.signal.aborted) await sleep(opts.pollSeconds * 1000, opts.signal);
  }
  deps.log.info({ worker: opts.workerId }, 'sending worker stopped');
}

/** One round: launch what is due, then one batch of every campaign with work. */
export async function workRound(deps: WorkerDeps, opts: Omit<WorkerOptions, 'pollSeconds'>, state: WorkerState = newWorkerState()): Promise<RoundSummary> {
  const summary: RoundSummary = { launched: 0, batches: 0, sent: 0 };
  const due = await launchDueCampaigns(deps.launch);
  for (const { campaign, deliveries, counts } of due.launched) {
    deps.log.info({ worker: opts.workerId, campaignId: campaign.id, sendAt: campaign.sendAt, asOf: campaign.asOf, deliveries, queued: counts.byState.queued ?? 0 }, 'launched scheduled campaign');
  }
  // Lupa's own reason (a code and a message written for the log): it names no person.
  for (const { campaignId, reason } of due.held) deps.log.error({ worker: opts.workerId, campaignId, reason }, 'scheduled campaign held: its mail would not arrive');
  for (const { campaignId, error } of due.failed) logOnce(deps, opts, state, campaignId, error, 'scheduled launch failed');
  summary.launched = due.launched.length;

  for (const campaignId of await deps.send.deliveries.workable(deps.send.now())) {
    if (opts.signal.aborted) break;
    try {
      const sent = await sendCampaign(deps.send, { campaignId, workerId: opts.workerId, batchSize: opts.batchSize, ...(opts.leaseSeconds === undefined ? {} : { leaseSeconds: opts.leaseSeconds }), maxBatches: 1, turns: state });
      state.errors.delete(campaignId);
      summary.batches += sent.batches;
      summary.sent += sent.sent;
      if (sent.batches > 0) deps.log.info({ worker: opts.workerId, campaignId, sent: sent.sent, skipped: sent.skipped, failed: sent.failed }, 'batch sent');
      // Lupa's own reason (a code and a message written for the log): it names no person.
      if (sent.pausedBecause !== undefined) deps.log.error({ worker: opts.workerId, campaignId, reason: sent.pausedBecause }, 'campaign paused');
    } catch (err) {
      logOnce(deps, opts, state, campaignId, err, 'sending failed');
    }
  }
  return summary;
}

function logOnce(deps: WorkerDeps, opts: { workerId: string }, state: WorkerState, campaignId: number, err: unknown, message: string): void {
  const error = describeError(err);
  if (state.errors.get(campaignId) === error) return;
  state.errors.set(campaignId, error);
  deps.log.error({ worker: opts.workerId, campaignId, error }, message);
}

/**
 * An error as it may be logged. Lupa's own errors carry a code and a message written for the log;
 * another error (a driver's, a relay's) may quote the values it failed on, so only its kind is kept.
 */
export function describeError(err: unknown): string {
  if (isDomainError(err)) return `${err.code}: ${err.message}`;
  if (err instanceof Error) {
    const code = 'code' in err && (typeof err.code === 'string' || typeof err.code === 'number') ? ` (code ${err.code})` : '';
    return `${err.name}${code}`;
  }
  return 'unknown error';
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
