/** Zod schemas the routes share: ids, times, the vocabulary, and the records the API returns. */
import { z } from 'zod';
import { DEFAULT_COUNTRY, type Instant } from '../core/records.ts';
import { parsePostcodePrefixes } from '../core/parse-query.ts';
import { parseInstant } from '../core/time.ts';
import { BASES, BLOCKING_REASONS, ALLOWING_REASONS, CHANNELS, CONSENT_VALUES, CUSTOMER_KINDS, OBJECTION_SCOPES, PURPOSES } from '../core/vocabulary.ts';
import { PHRASES_EN, type PhraseCode } from '../core/phrases.ts';

/** Ids go into URL paths, so they are kept to characters that need no escaping. */
export const CustomerIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'must be 1–64 letters, digits or . _ : -')
  .meta({ description: 'Customer id', example: 'C0000001' });

export const CustomerIdParams = z.strictObject({ id: CustomerIdSchema });

/** An ISO-8601 time; a malformed one is INVALID_DATE (not VALIDATION_FAILED) naming the field. */
export const InstantSchema = z
  .string()
  .meta({ description: 'ISO-8601 date-time with a time zone (a date alone means midnight UTC)', example: '2025-03-01T08:00:00Z' })
  .transform((value, ctx): Instant => {
    try {
      return parseInstant(value, 'at');
    } catch {
      ctx.issues.push({
        code: 'custom',
        input: value,
        message: 'must be an ISO-8601 date-time with a time zone, e.g. 2025-03-01T08:00:00Z',
        params: { errorCode: 'INVALID_DATE' },
      });
      return z.NEVER;
    }
  });

/**
 * Postcode areas in a query: the parameter repeated (`postalCodePrefix=33&postalCodePrefix=34`) or a
 * comma list (`33,34`), each 1–5 digits; validated by the same rule as the CLI's `--postcode-prefix`.
 */
export const PostcodePrefixesSchema = z
  .union([z.string(), z.array(z.string())])
  .meta({ description: 'Postcode areas: customers whose postcode starts with any of these digits. Repeat the parameter or give a comma list (33,34,35); 1–5 digits each, at most 100', example: '33,34' })
  .transform((value, ctx): string[] => {
    try {
      return parsePostcodePrefixes(value, 'postalCodePrefix');
    } catch (err) {
      ctx.issues.push({ code: 'custom', input: value, message: err instanceof Error ? err.message.replace(/^postalCodePrefix /, '') : 'is invalid' });
      return z.NEVER;
    }
  });

export const PurposeSchema = z.enum(PURPOSES).meta({ example: 'marketing' });
export const ChannelSchema = z.enum(CHANNELS).meta({ example: 'email' });
export const SkuSchema = z.string().min(1).max(64).meta({ description: 'Product sku', example: 'UV-PRINT-7' });

const text = (max: number) => z.string().trim().min(1).max(max);

export const AddressSchema = z.strictObject({
  street: text(200),
  postalCode: z.string().trim().regex(/^[A-Za-z0-9 -]{2,12}$/, 'must be a postal code, e.g. 00100'),
  city: text(100),
  country: z.string().trim().regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166 two-letter code').default(DEFAULT_COUNTRY),
});

export const LocaleSchema = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag, e.g. fi or sv-FI');

export const ErrorBodySchema = z.object({
  error: z.string().meta({ description: 'Stable error code' }),
  message: z.string(),
  field: z.string().optional().meta({ description: 'The input field the error is about, as a dotted path' }),
  details: z.record(z.string(), z.unknown()).optional(),
});

export const CustomerSchema = z.object({
  id: z.string(),
  kind: z.enum(CUSTOMER_KINDS),
  name: z.string(),
  emails: z.array(z.string()).meta({ description: 'Normalised; the first is where e-mail goes' }),
  phones: z.array(z.string()).meta({ description: 'E.164; the first is where calls and SMS go' }),
  address: z.object({ street: z.string(), postalCode: z.string(), city: z.string(), country: z.string() }).nullable(),
  locale: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const ledgerCommon = {
  seq: z.number().int(),
  customerId: z.string(),
  at: z.string(),
  recordedAt: z.string(),
  source: z.string(),
  noticeVersion: z.string().nullable(),
  noticeLocale: z.string().nullable(),
  evidenceRef: z.string().nullable(),
};

export const LedgerRecordSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('consent'), purpose: z.enum(PURPOSES), channel: z.enum(CHANNELS).nullable(), value: z.enum(CONSENT_VALUES), ...ledgerCommon }),
  z.object({ kind: z.literal('objection'), scope: z.enum(OBJECTION_SCOPES), value: z.enum(['objected', 'withdrawn']), ...ledgerCommon }),
]);

const evidenceRecord = z.object({
  seq: z.number().int(),
  value: z.string(),
  at: z.string(),
  recordedAt: z.string(),
  source: z.string(),
  channel: z.string().nullable().optional(),
  noticeVersion: z.string().nullable(),
  evidenceRef: z.string().nullable().optional().meta({ description: 'The reference or note written with the record; absent for a role without `ledger.read` (marketer)' }),
});

const EvidenceOrderSchema = z.object({
  id: z.string(),
  sku: z.string(),
  category: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  optOutOffered: z.boolean(),
});

export const DecisionSchema = z.object({
  allowed: z.boolean(),
  basis: z.enum(BASES).nullable(),
  reasons: z.array(z.enum([...BLOCKING_REASONS, ...ALLOWING_REASONS])).meta({
    description: 'Every rule that blocks, or the one rule that allows (compliance.md §2)',
  }),
  evidence: z.object({
    asOf: z.string(),
    customerId: z.string(),
    purpose: z.enum(PURPOSES),
    channel: z.enum(CHANNELS),
    product: z.string().nullable(),
    addressRef: z.string().nullable(),
    consent: evidenceRecord.nullable(),
    objection: evidenceRecord.nullable(),
    profilingObjection: evidenceRecord.nullable(),
    suppressions: z.array(z.object({ id: z.number(), reason: z.string(), at: z.string(), validUntil: z.string().nullable(), source: z.string() })),
    order: EvidenceOrderSchema.nullable().optional().meta({
      description: 'For soft opt-in: the order that shows the relationship, when one does; absent for a role without `customers.orders` (marketer)',
    }),
    softOptInWindowStart: z.string().nullable(),
    consideredOrders: z.array(EvidenceOrderSchema.extend({ similar: z.boolean(), live: z.boolean() })).optional().meta({
      description:
        "When a product is marketed: every order started by asOf that the similar-product rule looked at, whether it is in the product's category (similar) and within the soft opt-in window (live); absent for a role without `customers.orders` (marketer)",
    }),
    consideredOrderCount: z.number().int().meta({ description: 'How many orders the similar-product rule looked at (every role sees the count)' }),
    withheld: z.array(z.enum(['evidenceRef', 'orders'])).meta({
      description: "What the caller's role does not see: `evidenceRef` without `ledger.read`, `orders` (order, consideredOrders) without `customers.orders`; empty for admin, agent and dpo",
    }),
  }),
});

/** For a route's OpenAPI description: what of a decision's evidence each role sees (src/http/decision-view.ts). */
export const EVIDENCE_BY_ROLE =
  "What each role sees of the evidence: admin, agent and dpo all of it; a role without `ledger.read` (marketer) the records' kind, purpose, channel, value, time, source and notice version but no `evidenceRef`, " +
  'and without `customers.orders` (marketer) no `order` or `consideredOrders`, only `consideredOrderCount`; `evidence.withheld` names what was left out.';

export const AuditEntrySchema = z.object({
  at: z.string(),
  actor: z.string().meta({ description: 'API key id or console user id' }),
  role: z.string(),
  action: z.string(),
  customerId: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});

/** Keyset paging in a query: `limit` rows after `after`, the `next` of the page before. */
export function pageQuery<Cursor extends z.ZodType>(after: Cursor) {
  return {
    limit: z.coerce.number().int().min(1).max(100).default(20).meta({ description: 'Rows per page, 1–100', example: 20 }),
    after: cursor(after),
  };
}

/** A page's cursor: no example, so that "Try it out" at /docs starts at the first page. */
export function cursor<Cursor extends z.ZodType>(after: Cursor) {
  return after.optional().meta({ description: 'The `next` of the previous page', example: undefined });
}

export const NextSchema = z.string().nullable().meta({ description: 'Pass as `after` for the next page; null on the last page' });

export const CampaignIdParam = z.coerce.number().int().positive().meta({ description: 'Campaign id', example: 1 });

export const OrderSchema = z.object({
  id: z.string(),
  customerId: z.string(),
  sku: z.string(),
  category: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  soldVia: z.string(),
  optOutOffered: z.boolean(),
});

export const DeliverySchema = z.object({
  id: z.number().int(),
  campaignId: z.number().int(),
  customerId: z.string(),
  state: z.enum(['queued', 'skipped', 'claimed', 'sent', 'failed', 'cancelled']),
  basis: z.string().nullable().meta({ description: 'The legal basis of a queued or sent delivery; null when skipped' }),
  reasons: z.array(z.string()).meta({ description: "Reason codes (docs/reasons.md): the allowing one(s), or every blocking one; a further purpose's are qualified, e.g. profiling:OBJECTED" }),
  decidedAt: z.string(),
  sentAt: z.string().nullable(),
  bounce: z.string().nullable().meta({ description: 'hard, soft or complaint: what the latest hand-off came back as' }),
  softBounces: z.number().int(),
});

/** An SMS's size as gateways bill it (src/use-cases/sms-size.ts). */
export const SmsEstimateSchema = z
  .object({
    text: z.string().meta({ description: 'The SMS as sent: the subject line, and for marketing the STOP line' }),
    locale: z.string(),
    encoding: z.enum(['gsm7', 'ucs2']).meta({ description: 'gsm7: 160 characters in one segment, 153 in each of several; ucs2 (any character outside GSM-7): 70, 67' }),
    units: z.number().int().meta({ description: 'Septets (gsm7) or UTF-16 units (ucs2)' }),
    segments: z.number().int(),
    remaining: z.number().int().meta({ description: 'Units still free in the last segment' }),
    maxSegments: z.number().int().meta({ description: 'The most segments a sample recipient takes (a long first name, one outside GSM-7, every language of the template)' }),
    samples: z.array(z.object({ firstName: z.string(), locale: z.string(), encoding: z.enum(['gsm7', 'ucs2']), segments: z.number().int() })),
    warning: z.string().nullable().meta({ description: 'Why some recipients’ messages take more segments than this one; null when none does' }),
  })
  .meta({ description: 'The SMS size: encoding and segments, and whether personalisation can push it over' });

const PhraseCodeSchema = z.enum(Object.keys(PHRASES_EN) as [PhraseCode, ...PhraseCode[]]);
const InnerPhraseSchema = z.object({ code: PhraseCodeSchema, params: z.record(z.string(), z.union([z.string(), z.number()])) });

/**
 * A sentence as a stable code and its parameters (core/phrases.ts), for a client to say in its
 * reader's language; a parameter is a value, a phrase of its own or a list of them.
 */
export const PhraseSchema = z
  .object({ code: PhraseCodeSchema, params: z.record(z.string(), z.union([z.string(), z.number(), InnerPhraseSchema, z.array(InnerPhraseSchema)])) })
  .meta({ description: 'A sentence as a stable code and its parameters (the English text is beside it); see docs/api.md, "Phrases"' });
