/**
 * The words of compliance.md §1: purposes, channels, legal bases and the public reason codes.
 * These strings are a public contract (API, CLI, stored rows): add, never rename.
 */

export const PURPOSES = [
  'service',
  'marketing',
  'partner_marketing',
  'profiling',
  'ad_audience',
  'site_ads',
  'call_recording',
  'research',
] as const;
export type Purpose = (typeof PURPOSES)[number];

export const CHANNELS = ['email', 'sms', 'phone', 'post', 'web'] as const;
export type Channel = (typeof CHANNELS)[number];

export const BASES = ['contract', 'consent', 'soft_opt_in', 'legitimate_interest'] as const;
export type Basis = (typeof BASES)[number];

/** Codes that block a decision (compliance.md §2). */
export const BLOCKING_REASONS = [
  'OBJECTED',
  'PROFILING_OBJECTED',
  'CONSENT_WITHDRAWN',
  'NO_LEGAL_BASIS',
  'NOT_SIMILAR_PRODUCT',
  'RELATIONSHIP_ENDED',
  'OPT_OUT_NOT_OFFERED',
  'SUPPRESSED',
  'ROBINSON',
  'NO_ADDRESS',
] as const;
export type BlockingReason = (typeof BLOCKING_REASONS)[number];

/** Codes that name the rule which allowed a decision. */
export const ALLOWING_REASONS = [
  'SERVICE_MESSAGE',
  'CONSENT_GRANTED',
  'SOFT_OPT_IN',
  'BUSINESS_CUSTOMER',
  'OPT_OUT_REGIME',
  'LEGITIMATE_INTEREST',
] as const;
export type AllowingReason = (typeof ALLOWING_REASONS)[number];

export type ReasonCode = BlockingReason | AllowingReason;

/**
 * Codes only a campaign launch writes on a delivery (compliance.md §2 rule 12): another customer
 * of the campaign with the same address gets the one marketing message for it.
 */
export const LAUNCH_REASONS = ['DUPLICATE_ADDRESS'] as const;
export type LaunchReason = (typeof LAUNCH_REASONS)[number];

export const CUSTOMER_KINDS = ['person', 'business'] as const;
export type CustomerKind = (typeof CUSTOMER_KINDS)[number];

export const CONSENT_VALUES = ['granted', 'withdrawn'] as const;
export type ConsentValue = (typeof CONSENT_VALUES)[number];

export const OBJECTION_SCOPES = ['direct_marketing', 'profiling'] as const;
export type ObjectionScope = (typeof OBJECTION_SCOPES)[number];

/**
 * Why an address is suppressed. `manual`: added by a person (the DPO) with a note, e.g. a customer
 * asked by letter never to be sent marketing at the address; it blocks what an unsubscribe blocks.
 */
export const SUPPRESSION_REASONS = ['hard_bounce', 'complaint', 'unsubscribe', 'robinson', 'manual'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/**
 * Suppressions that stop marketing uses only (rule SUPPRESSED): a complaint, an unsubscribe, a
 * manual entry. A hard bounce stops everything; a Robinson entry is rule 5's. The audience SQL
 * (suppressionBitsAggregateSql) names the same reasons.
 */
export const MARKETING_SUPPRESSION_REASONS: readonly SuppressionReason[] = ['complaint', 'unsubscribe', 'manual'];

/** Suppressions a person (the DPO) may lift, always with a note: not an unsubscribe (the person's own consent lifts it) nor a register entry. */
export const LIFTABLE_BY_HAND: readonly SuppressionReason[] = ['manual', 'hard_bounce', 'complaint'];

export const SALES_CHANNELS = ['web', 'telesales', 'field_sale', 'event', 'service'] as const;
export type SalesChannel = (typeof SALES_CHANNELS)[number];

/** Direct-marketing uses: what an objection under GDPR Art. 21(2) stops (rule 2). */
export const DIRECT_MARKETING_PURPOSES: readonly Purpose[] = [
  'marketing',
  'partner_marketing',
  'profiling',
  'ad_audience',
];

/** Uses that a complaint, an unsubscribe, a manual suppression or a Robinson entry stops (rules 5 and SUPPRESSED). */
export const MARKETING_MESSAGE_PURPOSES: readonly Purpose[] = ['marketing', 'partner_marketing'];

/** Purposes that may rest on consent alone (rules 6, 8, 9). */
export const CONSENT_ONLY_PURPOSES: readonly Purpose[] = ['partner_marketing', 'ad_audience', 'site_ads'];

/** Purposes that need a deliverable address on the channel; the rest work on the customer record. */
export function needsAddress(purpose: Purpose, channel: Channel): boolean {
  if (channel === 'web') return false;
  return purpose !== 'profiling' && purpose !== 'site_ads';
}

export function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}
