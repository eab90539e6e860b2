/**
 * The app: the store opened, its schema brought up to date, and the stores wired over it. It loads
 * no channel, template or web library, so a command that only reads (`lupa decide`, `lupa audience`)
 * starts without them; the composition root (src/composition-root.ts) wires those on top.
 */
import type { AdvertiserSegmentStore } from './core/advertiser-segments.ts';
import { SqlAdvertiserSegmentStore } from './storage/advertiser-segments/sql-advertiser-segment-store.ts';
import type { SiteAdStore } from './core/site-ads/site-ads.ts';
import { SqlSiteAdStore } from './storage/site-ads/sql-site-ad-store.ts';
import type { ApiKeyStore } from './core/access.ts';
import type { ConsoleUserStore } from './core/console-users.ts';
import type { BounceReportStore } from './core/bounce-reports.ts';
import type { CampaignLinkStore, CampaignStore, ChannelRateStore, DeliveryStore, TemplateStore, TrackingStore } from './core/campaign.ts';
import type { ListingStore } from './core/listings.ts';
import type { RegisterReadStore } from './core/register-reads.ts';
import type { PredictionStore } from './core/predictions/model.ts';
import type { TrafficSettings } from './core/machine-traffic.ts';
import type { PreferenceLinkStore } from './core/preference-links.ts';
import type { AuditLog, AudienceStore, DecisionRecordsStore, CatalogueStore, CustomerStore, LedgerStore, SuppressionStore } from './core/ports.ts';
import type { Instant } from './core/records.ts';
import type { DecisionSettings } from './core/settings.ts';
import type { RecentCampaignStore } from './core/recent-campaigns.ts';
import { SqlSegmentStore } from './storage/segments/sql-segment-store.ts';
import { SqlInterestStore } from './storage/interests/sql-interest-store.ts';
import type { InterestStore } from './core/interests/interests.ts';
import type { AdAudienceStore } from './core/ad-audiences/ports.ts';
import { SqlAdAudienceStore } from './storage/ad-audiences/sql-ad-audience-store.ts';
import type { SiteEventStore } from './core/site-events/site-events.ts';
import { SqlSiteEventStore } from './storage/site-events/sql-site-event-store.ts';
import type { RemarketingStore } from './core/remarketing.ts';
import { SqlRemarketingStore } from './storage/remarketing/sql-remarketing-store.ts';
import type { SegmentStore } from './core/segments/ports.ts';
import type { CallStore } from './core/calls/ports.ts';
import { SqlCallStore } from './storage/calls/sql-call-store.ts';
import type { PhoneSaleStore } from './core/calls/ports.ts';
import { SqlPhoneSaleStore } from './storage/calls/sql-phone-sale-store.ts';
import type { TicketStore } from './core/tickets/ticket.ts';
import { SqlTicketStore } from './storage/tickets/sql-ticket-store.ts';
import type { FeedbackStore } from './core/feedback/feedback.ts';
import { SqlFeedbackStore } from './storage/feedback/sql-feedback-store.ts';
import { SqlRecentCampaignStore } from './storage/sql-recent-campaign-store.ts';
import type { OfferRankingReads } from './core/offers/ports.ts';
import { CachedOfferStore } from './storage/offers/cached-offer-store.ts';
import { SqlOfferStore } from './storage/offers/sql-offer-store.ts';
import type { TimelineStore } from './core/timeline.ts';
import { SqlTimelineStore } from './storage/timeline/sql-timeline-store.ts';
import type { SessionDeps } from './use-cases/console-sessions.ts';
import { toInstant } from './core/time.ts';
import type { Config } from './config.ts';
import type { SendingSetup } from './core/sending-readiness.ts';
import { publicUrlOf, sendingSetupFrom } from './sending-setup.ts';
import { TokenSigner } from './security/signed-tokens.ts';
import { CachedApiKeyStore } from './storage/cached-api-key-store.ts';
import { openDatabase, type Database } from './storage/database.ts';
import { GroupCommitAuditLog } from './storage/group-commit-audit-log.ts';
import { migrate } from './storage/migrate.ts';
import { PostgresAudienceStore } from './storage/postgres-audience-store.ts';
import { SqlApiKeyStore } from './storage/sql-api-key-store.ts';
import { SqlAuditLog } from './storage/sql-audit-log.ts';
import { SqlConsoleUserStore } from './storage/sql-console-user-store.ts';
import { SqlBounceReportStore } from './storage/sql-bounce-report-store.ts';
import { SqlCampaignStore } from './storage/sql-campaign-store.ts';
import { SqlCatalogueStore } from './storage/sql-catalogue-store.ts';
import { SqlChannelRateStore } from './storage/sql-channel-rate-store.ts';
import { SqlCustomerStore } from './storage/sql-customer-store.ts';
import { CachedDecisionRecords } from './storage/decision-records-cache.ts';
import { PostgresCachedDecisionRecords } from './storage/postgres-decision-records-cache.ts';
import { PostgresDecisionRecords, SqliteDecisionRecords } from './storage/sql-decision-records.ts';
import { SqlDeliveryStore, SqlTemplateStore } from './storage/sql-delivery-store.ts';
import { SqlListingStore } from './storage/sql-listing-store.ts';
import { SqlPreferenceLinkStore } from './storage/sql-preference-link-store.ts';
import { SqlLedgerStore } from './storage/sql-ledger-store.ts';
import { SqlRegisterReads } from './storage/sql-register-reads.ts';
import { SqlPredictionStore } from './storage/predictions/sql-prediction-store.ts';
import { SqlSecretStore } from './storage/sql-secret-store.ts';
import { SqlSuppressionStore } from './storage/sql-suppression-store.ts';
import type { SuppressionListStore } from './core/suppression-list.ts';
import { BufferedTrackingStore, postgresTrackingWriter, SqlCampaignLinkStore, sqliteTrackingWriter } from './storage/sql-tracking-store.ts';
import { SqliteAudienceStore } from './storage/sqlite-audience-store.ts';

export interface Stores {
  customers: CustomerStore;
  catalogue: CatalogueStore;
  ledger: LedgerStore;
  suppressions: SuppressionStore & SuppressionListStore;
  audit: AuditLog;
  audience: AudienceStore;
  decisionRecords: DecisionRecordsStore;
  campaigns: CampaignStore;
  tracking: TrackingStore;
  deliveries: DeliveryStore;
  templates: TemplateStore;
  links: CampaignLinkStore;
  apiKeys: ApiKeyStore;
  consoleUsers: ConsoleUserStore;
  channelRates: ChannelRateStore;
  bounceReports: BounceReportStore;
  listings: ListingStore;
  registerReads: RegisterReadStore;
  preferenceLinks: PreferenceLinkStore;
  /** Earlier campaigns that sent the same offer to the same people (the warning before it goes twice). */
  recentCampaigns: RecentCampaignStore;
  /** Segments and their members (docs/segments-and-predictions.md). */
  segments: SegmentStore;
  /** Purchase predictions: features, models and scores (profiling only where allowed). */
  predictions: PredictionStore;
  /** Interest topics, stated interests and inferred ones (profiling only where allowed). */
  interests: InterestStore;
  /** Call records and recordings' metadata (docs/calls-and-recordings.md). */
  calls: CallStore;
  /** Phone sales waiting for written acceptance, and those that bound (docs/decisions/0025). */
  phoneSales: PhoneSaleStore;
  /** Support tickets and their messages (docs/customer-service.md). */
  tickets: TicketStore;
  /** CSAT and NPS requests with their answers, and NPS surveys (docs/customer-service.md#feedback). */
  feedback: FeedbackStore;
  /** The offer catalogue, outcomes and what a next-best-offer ranking reads (docs/segments-and-predictions.md#offers). */
  offers: OfferRankingReads;
  /** Ad audiences and the hashed identifiers last sent to each (docs/sites-and-ads.md). */
  adAudiences: AdAudienceStore;
  /** Segments offered to advertisers for ads on the sites (docs/sites-and-ads.md). */
  advertiserSegments: AdvertiserSegmentStore;
  /** The customer's history across every source (src/storage/timeline/registry.ts). */
  timeline: TimelineStore;
  /** Events from the sites: per visitor with site_ads consent, counted without (docs/sites-and-ads.md). */
  siteEvents: SiteEventStore;
  /** Remarketing lists of site visitors with site_ads consent, and their members (docs/sites-and-ads.md). */
  remarketing: RemarketingStore;
  /** Own-product ads on the sites and their counts (docs/sites-and-ads.md). */
  siteAds: SiteAdStore;
}

export interface App {
  config: Config;
  /** Signs the tokens in links and return paths that leave Lupa. */
  signer: TokenSigner;
  /** Where people reach Lupa: unsubscribe and preference links start here. */
  publicUrl: string;
  /** Brands, where mail goes and what the readiness checks read (src/sending-setup.ts). */
  sending: SendingSetup;
  /**
   * This installation's random part of every Message-ID (16 hex digits): made once per store and
   * kept in it, so that two installations never make the same Message-ID.
   */
  installationId: string;
  database: Database;
  stores: Stores;
  settings: DecisionSettings;
  /** When a tracking hit counts as a machine's. */
  traffic: TrafficSettings;
  now: () => Instant;
  close(): Promise<void>;
}

/** The last millisecond's instant: a request asks the clock several times, mostly within one millisecond. */
let lastClock = { ms: Number.NaN, at: '' as Instant };

/** Now as an instant (ms precision). Formatting a Date was ~1.5 % of a cached `decide`'s CPU, so one millisecond's text is reused. */
export const systemClock = (): Instant => {
  const ms = Date.now();
  if (ms !== lastClock.ms) lastClock = { ms, at: toInstant(ms) };
  return lastClock.at;
};

/** Applies pending migrations and closes the store again; returns the migrations applied. */
export async function migrateDatabase(config: Config): Promise<string[]> {
  const database = openDatabase(config.LUPA_DATABASE_URL);
  try {
    return await migrate(database);
  } finally {
    await database.close();
  }
}

/** Opens the store, brings its schema up to date and wires the stores. */
export async function createApp(config: Config, now: () => Instant = systemClock): Promise<App> {
  const publicUrl = publicUrlOf(config);
  // Before the store is opened: a brands file that is wrong stops the start with nothing left open.
  const sending = sendingSetupFrom(config, publicUrl);
  const database = openDatabase(config.LUPA_DATABASE_URL);
  await migrate(database);
  const db = database.db;
  const audit = new GroupCommitAuditLog(new SqlAuditLog(database));
  const siteEvents = new SqlSiteEventStore(database);
  const decisionRecords =
    database.dialect === 'sqlite'
      ? new CachedDecisionRecords(new SqliteDecisionRecords(database.sqlite), database.sqlite, config.LUPA_DECISION_CACHE_CUSTOMERS)
      : new PostgresCachedDecisionRecords(new PostgresDecisionRecords(database.pool), database.pool, config.LUPA_DECISION_CACHE_CUSTOMERS);
  // Losing the cache's listening connection slows decisions down (never stales them): said on stderr.
  if (decisionRecords instanceof PostgresCachedDecisionRecords && config.LUPA_LOG_LEVEL !== 'silent') {
    decisionRecords.onConnectionChange = (line) => void process.stderr.write(`${line}\n`);
  }
  const stores: Stores = {
    customers: new SqlCustomerStore(db),
    catalogue: new SqlCatalogueStore(db),
    ledger: new SqlLedgerStore(db, now),
    suppressions: new SqlSuppressionStore(db, now, database.dialect),
    audit,
    audience: database.dialect === 'sqlite' ? new SqliteAudienceStore(database.sqlite) : new PostgresAudienceStore(database.pool),
    campaigns: new SqlCampaignStore(db),
    deliveries: new SqlDeliveryStore(db, database.dialect),
    bounceReports: new SqlBounceReportStore(db, database.dialect),
    templates: new SqlTemplateStore(db),
    tracking: new BufferedTrackingStore(
      db,
      database.dialect === 'sqlite' ? sqliteTrackingWriter(database.sqlite) : postgresTrackingWriter(database.pool),
    ),
    links: new SqlCampaignLinkStore(db),
    decisionRecords,
    apiKeys: new CachedApiKeyStore(new SqlApiKeyStore(db), config.LUPA_KEY_CACHE_SECONDS, now),
    consoleUsers: new SqlConsoleUserStore(db),
    channelRates: new SqlChannelRateStore(db, database.dialect),
    listings: new SqlListingStore(db),
    // Entries still waiting for their group commit are written before the log is read.
    registerReads: new SqlRegisterReads(db, () => audit.readable()),
    preferenceLinks: new SqlPreferenceLinkStore(db),
    recentCampaigns: new SqlRecentCampaignStore(db),
    segments: new SqlSegmentStore(db, database.dialect),
    predictions: new SqlPredictionStore(database),
    interests: new SqlInterestStore(db, database.dialect),
    calls: new SqlCallStore(db, now),
    phoneSales: new SqlPhoneSaleStore(db),
    tickets: new SqlTicketStore(db),
    feedback: new SqlFeedbackStore(db, database.dialect),
    offers: new CachedOfferStore(new SqlOfferStore(database)),
    adAudiences: new SqlAdAudienceStore(db, database.dialect),
    advertiserSegments: new SqlAdvertiserSegmentStore(database),
    timeline: new SqlTimelineStore(db, database.dialect),
    siteEvents,
    remarketing: new SqlRemarketingStore(db, database.dialect),
    siteAds: new SqlSiteAdStore(db),
  };
  const secrets = new SqlSecretStore(db, now);
  const secret = config.LUPA_SECRET ?? (await secrets.getOrCreate('token-key'));
  return {
    config,
    signer: new TokenSigner(secret),
    installationId: Buffer.from(await secrets.getOrCreate('installation-id'), 'base64url').subarray(0, 8).toString('hex'),
    publicUrl,
    sending,
    database,
    stores,
    settings: { softOptInMonths: config.LUPA_SOFT_OPT_IN_MONTHS, phoneRobinsonYears: config.LUPA_PHONE_ROBINSON_YEARS },
    traffic: { minSecondsAfterSend: config.LUPA_MACHINE_HIT_SECONDS },
    now,
    // Buffered tracking hits and site events waiting for their commit are written before the store
    // closes: a clean shutdown loses none. Audit entries are folded out of their journal.
    close: async () => {
      await stores.tracking.flush();
      await siteEvents.close();
      await audit.close();
      if (decisionRecords instanceof PostgresCachedDecisionRecords) await decisionRecords.close();
      await database.close();
    },
  };
}

/** What the console-user and sign-in use cases need, from the app's store and configuration. */
export function consoleDeps(app: Pick<App, 'stores' | 'now' | 'config'>): SessionDeps {
  return {
    users: app.stores.consoleUsers,
    now: app.now,
    scryptCost: { logN: app.config.LUPA_PASSWORD_SCRYPT_LOG_N, r: 8, p: 1 },
    sessionHours: app.config.LUPA_SESSION_HOURS,
  };
}
