/**
 * Who may do what through an API key. Roles and the permission table are pure data so the table can
 * be read (and documented) as it stands; `can` is the only rule. The key store port lives here too,
 * in the core's words: it sees only hashes, never a key.
 */
import type { Instant } from './records.ts';
import { isOneOf } from './vocabulary.ts';

export const ROLES = ['admin', 'marketer', 'agent', 'dpo', 'analyst'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Least privilege: a marketer sees counts and decisions (also a campaign's recipients: who was
 * skipped and why, one recipient's decision), never a customer record, and runs campaigns (create,
 * schedule, launch, pause, resume, cancel); an analyst sees counts,
 * campaigns, templates and the catalogue only, never anything about one person; the DPO reads everything (to answer access requests and audits) and may record
 * consents and objections a person sends to the DPO directly, and works the suppression list
 * (manual entries, lifts with a note), but edits no customer record.
 */
export const PERMISSIONS = {
  'customers.read': ['admin', 'agent', 'dpo'],
  'customers.write': ['admin', 'agent'],
  'customers.search': ['admin', 'agent', 'dpo'],
  'ledger.read': ['admin', 'agent', 'dpo'],
  'ledger.append': ['admin', 'agent', 'dpo'],
  decide: ['admin', 'marketer', 'agent', 'dpo'],
  audience: ['admin', 'marketer', 'analyst', 'dpo'],
  'audit.read': ['admin', 'dpo'],
  'api_keys.manage': ['admin'],
  'inbox.read': ['admin', 'marketer', 'dpo'],
  'bounces.report': ['admin'],
  'customers.orders': ['admin', 'agent', 'dpo'],
  'customers.messages': ['admin', 'agent', 'dpo'],
  // The customer's history (one timeline of everything held about them): read by those who read
  // the customer's records, never by a marketer or an analyst; each page audited.
  'customers.history': ['admin', 'agent', 'dpo'],
  'products.read': ['admin', 'marketer', 'agent', 'dpo', 'analyst'],
  'campaigns.read': ['admin', 'marketer', 'analyst', 'dpo'],
  'campaigns.write': ['admin', 'marketer'],
  'campaigns.recipients': ['admin', 'marketer', 'dpo'],
  // Call lists and print files carry names, phones and addresses for telesales and the mail house:
  // the one place a marketer gets them; every customer listed is audited.
  'contact_lists.export': ['admin', 'marketer'],
  'templates.read': ['admin', 'marketer', 'analyst', 'dpo'],
  'templates.preview': ['admin', 'marketer'],
  'templates.write': ['admin', 'marketer'],
  'campaigns.unaligned_from': ['admin', 'marketer'],
  'readiness.read': ['admin'],
  'users.manage': ['admin'],
  'config.read': ['admin'],
  // Segments are counts and rules, no customer record: the analyst builds them too. Who is in one is
  // read only through a customer's own view (customers.read) or a campaign's recipients.
  'segments.read': ['admin', 'marketer', 'analyst', 'dpo'],
  'segments.write': ['admin', 'marketer', 'analyst'],
  // Offering a segment to advertisers [S28] is a commercial act: the marketer's, not the analyst's.
  'advertiser_segments.manage': ['admin', 'marketer'],
  // Purchase predictions (profiling, rule 7): models and their measured quality; no route hands out
  // scores with names in bulk.
  'predictions.read': ['admin', 'marketer', 'analyst'],
  'predictions.manage': ['admin', 'marketer', 'analyst'],
  // The suppression list: an agent looks an address up (why does this customer get no mail?);
  // the DPO and an administrator add manual entries and lift them, with a note, audited.
  'suppressions.read': ['admin', 'agent', 'dpo'],
  'suppressions.manage': ['admin', 'dpo'],
  // Interests (profiling, rule 7): the topics are no one's data, every role reads them (the segment
  // builder offers them); one customer's interests are read and recorded as their other records are.
  'interests.topics': ['admin', 'marketer', 'agent', 'dpo', 'analyst'],
  'interests.read': ['admin', 'agent', 'dpo'],
  'interests.record': ['admin', 'agent'],
  'interests.manage': ['admin'],
  'interests.refresh': ['admin', 'marketer', 'analyst'],
  // Call records (docs/calls-and-recordings.md): agents record and read calls (the telephony system
  // uses an agent key); recordings are played only by those who serve the customer and the DPO,
  // every playback audited. A marketer has no access to calls or recordings.
  'calls.read': ['admin', 'agent', 'dpo'],
  'calls.write': ['admin', 'agent'],
  'recordings.attach': ['admin', 'agent'],
  'recordings.play': ['admin', 'agent', 'dpo'],
  // Telesales (docs/calls-and-recordings.md#telesales-and-written-acceptance): agents work call lists
  // on the screen and make phone sales; the DPO reads sales and their evidence (audited). A marketer
  // downloads call lists but reaches no sale, call or recording.
  'call_lists.work': ['admin', 'agent'],
  'phone_sales.read': ['admin', 'agent', 'dpo'],
  'phone_sales.write': ['admin', 'agent'],
  // Support tickets (docs/customer-service.md): agents work them; the DPO reads them (audited);
  // a marketer never sees one.
  'tickets.read': ['admin', 'agent', 'dpo'],
  'tickets.write': ['admin', 'agent'],
  // Feedback [S25] (rule 11): results in aggregate for the analyst and the DPO; the comments are
  // personal data, read by the DPO (audited); an agent sees the feedback on a ticket it may read.
  'feedback.results': ['admin', 'analyst', 'dpo'],
  'feedback.comments': ['admin', 'dpo'],
  'feedback.send': ['admin', 'analyst'],
  // Offers (docs/segments-and-predictions.md#offers): the catalogue with acceptance rates is no one
  // person's data; one customer's ranked offers are, read by the sites' keys, agents and telesales
  // (audited), and their outcomes are recorded by the same callers.
  'offers.read': ['admin', 'marketer', 'agent', 'dpo', 'analyst'],
  'offers.write': ['admin', 'marketer'],
  'offers.customer': ['admin', 'marketer', 'agent'],
  // Ad audiences (rule 8): the marketer binds selections to platform audiences and syncs them; the
  // analyst and the DPO read sizes, syncs and exclusions. Nobody gets the identifiers, in clear or hashed.
  'ad_audiences.read': ['admin', 'marketer', 'analyst', 'dpo'],
  'ad_audiences.manage': ['admin', 'marketer'],
  // Sign-in tokens for the browser SDK's identify (docs/sites-and-ads.md): the site's back end
  // vouches that a visitor signed in as a customer; the same keys that rank offers for the sites.
  'sites.identify': ['admin', 'marketer', 'agent'],
  // Remarketing lists of site visitors [S20] (rule 9): the marketer defines and refreshes them; the
  // analyst and the DPO read their sizes. Nobody lists who is on one: only the visitor's own browser
  // asks which lists it is on.
  'remarketing.read': ['admin', 'marketer', 'analyst', 'dpo'],
  'remarketing.manage': ['admin', 'marketer'],
  // Own-product ads on the sites [S8, S14]: the marketer writes them; the analyst and the DPO read
  // them and their reports (counts per ad, placement and day: no visitor is named).
  'site_ads.read': ['admin', 'marketer', 'analyst', 'dpo'],
  'site_ads.manage': ['admin', 'marketer'],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof PERMISSIONS;

export const ACTIONS = Object.keys(PERMISSIONS).filter((a): a is Action => a in PERMISSIONS);

export function can(role: Role, action: Action): boolean {
  const allowed: readonly Role[] = PERMISSIONS[action];
  return allowed.includes(role);
}

export function isRole(value: unknown): value is Role {
  return isOneOf(ROLES, value);
}

/** The caller behind a request, as the audit log names it. */
export interface Actor {
  id: string;
  name: string;
  role: Role;
}

/** A stored key: only the SHA-256 of the key is kept, so a copy of the table opens nothing. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  role: Role;
  keyHash: string;
  createdAt: Instant;
  revokedAt: Instant | null;
}

export interface ApiKeyStore {
  insert(key: ApiKeyRecord): Promise<void>;
  findByHash(keyHash: string): Promise<ApiKeyRecord | null>;
  /** Marks the key revoked (keeping the first revocation time). False when no key has this id. */
  revoke(id: string, at: Instant): Promise<boolean>;
  list(): Promise<ApiKeyRecord[]>;
}
