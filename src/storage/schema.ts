/** Row shapes of the tables as Kysely sees them (see migrations/). Booleans are 0/1 on SQLite. */
import type { ColumnType, Generated } from 'kysely';

export interface ProductsTable {
  sku: string;
  name: string;
  brand: string | null;
  category: string;
}

export interface CustomersTable {
  id: string;
  kind: string;
  name: string;
  email: string | null;
  phone: string | null;
  emails: string | string[];
  phones: string | string[];
  street: string | null;
  postal_code: string | null;
  city: string | null;
  country: string | null;
  postal_key: string | null;
  locale: string | null;
  created_at: string;
  updated_at: string;
  /** The name's folded words, a JSON array (core/name-words.ts); what a name search matches. */
  name_words: string;
}

/** One folded word of a customer's name per row (migration 0023), kept by triggers from customers.name_words. */
export interface CustomerNameWordsTable {
  word: string;
  customer_id: string;
}

export interface OrdersTable {
  id: string;
  customer_id: string;
  sku: string;
  started_at: string;
  ended_at: string | null;
  sold_via: string;
  opt_out_offered: number | boolean;
}

export interface LedgerTable {
  seq: Generated<number>;
  customer_id: string;
  kind: string;
  purpose: string;
  channel: string | null;
  value: string;
  at: string;
  recorded_at: string;
  source: string;
  notice_version: string | null;
  notice_locale: string | null;
  evidence_ref: string | null;
  fingerprint: string;
}

export interface SuppressionsTable {
  id: Generated<number>;
  channel: string;
  address: string;
  reason: string;
  at: string;
  valid_until: string | null;
  recorded_at: string;
  source: string;
  fingerprint: string;
  /** Why a person added it (manual entries, migration 0030); null otherwise. */
  note: ColumnType<string | null, string | null | undefined, never>;
}

export interface SuppressionLiftsTable {
  id: Generated<number>;
  suppression_id: number;
  at: string;
  recorded_at: string;
  source: string;
  evidence_ref: string | null;
  /** Why a person lifted it (migration 0030); null for a lift by the person's own consent. */
  note: ColumnType<string | null, string | null | undefined, never>;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  role: string;
  key_hash: string;
  created_at: string;
  revoked_at: string | null;
}

export interface ConsoleUsersTable {
  id: string;
  email: string;
  role: string;
  password_hash: string | null;
  created_at: string;
  disabled_at: string | null;
}

export interface ConsoleSessionsTable {
  token_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  ended_at: string | null;
}

export interface ConsolePasswordTokensTable {
  token_hash: string;
  user_id: string;
  expires_at: string;
  used_at: string | null;
}

export interface SignInFailuresTable {
  email: string;
  count: number;
  last_at: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor: string;
  role: string;
  action: string;
  customer_id: string | null;
  detail: string | Record<string, unknown>;
}

export interface CampaignsTable {
  id: Generated<number>;
  name: string;
  purpose: string;
  channel: string;
  sku: string | null;
  filter: string | Record<string, unknown>;
  template_id: string | null;
  status: string;
  created_at: string;
  launched_at: string | null;
  as_of: string | null;
  from_name: string | null;
  from_address: string | null;
  per_second: number | null;
  send_at: string | null;
  purposes: Generated<string | null>;
  vars: Generated<string | Record<string, unknown>>;
  links: Generated<string | Record<string, unknown>>;
  status_reason: Generated<string | null>;
  brand: Generated<string | null>;
  unaligned_from_reason: Generated<string | null>;
  unaligned_from_by: Generated<string | null>;
  unaligned_from_at: Generated<string | null>;
}

export interface TemplatesTable {
  id: string;
  definition: string | Record<string, unknown>;
  created_at: string;
}

export interface DeliveriesTable {
  id: Generated<number>;
  campaign_id: number;
  customer_id: string;
  state: string;
  basis: string | null;
  reasons: string;
  created_at: string;
  claimed_by: string | null;
  lease_until: string | null;
  attempts: Generated<number>;
  sent_at: string | null;
  message_id: string | null;
  last_error: string | null;
  bounce: string | null;
  soft_bounces: Generated<number>;
  not_before: string | null;
  sent_to: string | null;
}

export interface DeliveryRefusalsTable {
  delivery_id: number;
  campaign_id: number;
  reason: string;
  at: string;
}

export interface HeldReportsTable {
  id: Generated<number>;
  received_at: string;
  size_bytes: number;
  reason: string;
  message: Uint8Array;
  truncated: boolean | number;
}

export interface CampaignLinksTable {
  campaign_id: number;
  idx: number;
  url: string;
}

export interface TrackingEventsTable {
  id: Generated<number>;
  campaign_id: number;
  delivery_id: number | null;
  kind: string;
  link_idx: number | null;
  at: string;
  machine: number | boolean;
  machine_reason: string | null;
}

export interface ChannelRateTable {
  channel: string;
  second: string;
  taken: number;
  granted: number;
}

export interface AppSecretsTable {
  name: string;
  value: string;
  created_at: string;
}

export interface PreferenceLinkRequestsTable {
  customer_id: string;
  requested_at: string;
}

export interface SchemaMigrationsTable {
  version: string;
  applied_at: string;
}

export interface SegmentsTable {
  id: Generated<number>;
  name: string;
  description: string | null;
  rule: string;
  time_dependent: number | boolean;
  created_at: string;
  created_by: string;
  updated_at: string;
  computed_at: string | null;
  member_count: Generated<number>;
}

export interface SegmentMembersTable {
  segment_id: number;
  customer_id: string;
  computed_at: string;
}

export interface SegmentChangesTable {
  seq: Generated<number>;
  customer_id: string;
}

export interface SegmentRefreshBatchTable {
  customer_id: string;
}

export interface OffersTable {
  id: Generated<number>;
  code: string;
  name: string;
  sku: string;
  price_cents: number;
  currency: string;
  period_months: number;
  channels: string;
  valid_from: string;
  valid_until: string | null;
  segment_id: number | null;
  exclude_subscribed: number | boolean;
  min_days_since_last_offer: number;
  relationship: string;
  value_weight: number | null;
  explanation: string | Record<string, string>;
  priority: number;
  created_at: string;
  created_by: string;
  updated_at: string;
}

export interface OfferOutcomesTable {
  seq: Generated<number>;
  offer_id: number;
  customer_id: string;
  channel: string;
  outcome: string;
  at: string;
  recorded_at: string;
  source: string;
  campaign_id: number | null;
}

/** Support tickets (migration 0036, docs/customer-service.md). */
export interface TicketsTable {
  id: Generated<number>;
  customer_id: string | null;
  contact: string | null;
  contact_name: string | null;
  channel: string;
  subject: string;
  status: string;
  priority: string;
  queue: string;
  assignee: string | null;
  tags: string;
  created_at: string;
  updated_at: string;
  first_response_due: string;
  first_responded_at: string | null;
  resolution_due: string;
  solved_at: string | null;
}

export interface TicketMessagesTable {
  id: Generated<number>;
  ticket_id: number;
  author: string;
  author_name: string | null;
  body: string;
  message_id: string | null;
  created_at: string;
}

export interface TicketAttachmentsTable {
  id: Generated<number>;
  message_id: number;
  ticket_id: number;
  file_name: string;
  content_type: string;
  bytes: number;
  stored_as: string;
}

export interface AdAudiencesTable {
  id: Generated<number>;
  name: string;
  platform: string;
  external_id: string;
  filter: string;
  created_at: string;
  created_by: string;
  /** The running sync's claim (migration 0050 / postgres 0048), null when none runs. */
  sync_claim: string | null;
  /** When the claim was made or last renewed. */
  sync_claimed_at: string | null;
}

export interface AdAudienceIdentifiersTable {
  audience_id: number;
  kind: string;
  hash: string;
  sent_at: string;
}

export interface AdAudienceSyncsTable {
  id: Generated<number>;
  audience_id: number;
  started_at: string;
  finished_at: string;
  status: string;
  eligible: number;
  blocked: string;
  added: number;
  removed: number;
  error: string | null;
}

export interface Schema {
  products: ProductsTable;
  customers: CustomersTable;
  customer_name_words: CustomerNameWordsTable;
  orders: OrdersTable;
  ledger: LedgerTable;
  suppressions: SuppressionsTable;
  suppression_lifts: SuppressionLiftsTable;
  api_keys: ApiKeysTable;
  console_users: ConsoleUsersTable;
  console_sessions: ConsoleSessionsTable;
  console_password_tokens: ConsolePasswordTokensTable;
  sign_in_failures: SignInFailuresTable;
  audit_log: AuditLogTable;
  schema_migrations: SchemaMigrationsTable;
  app_secrets: AppSecretsTable;
  campaigns: CampaignsTable;
  deliveries: DeliveriesTable;
  campaign_links: CampaignLinksTable;
  templates: TemplatesTable;
  tracking_events: TrackingEventsTable;
  channel_rate: ChannelRateTable;
  delivery_refusals: DeliveryRefusalsTable;
  held_reports: HeldReportsTable;
  preference_link_requests: PreferenceLinkRequestsTable;
  segments: SegmentsTable;
  segment_members: SegmentMembersTable;
  segment_changes: SegmentChangesTable;
  segment_refresh_batch: SegmentRefreshBatchTable;
  tickets: TicketsTable;
  ticket_messages: TicketMessagesTable;
  ticket_attachments: TicketAttachmentsTable;
  offers: OffersTable;
  offer_outcomes: OfferOutcomesTable;
  ad_audiences: AdAudiencesTable;
  ad_audience_identifiers: AdAudienceIdentifiersTable;
  ad_audience_syncs: AdAudienceSyncsTable;
}
