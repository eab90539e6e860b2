/**
 * Use case: why one recipient of a campaign got its delivery, or did not. The delivery row (what the
 * launch decided, and what became of it) beside a replay of `decide` for each purpose the campaign's
 * message was decided for (campaign.purposes, set at launch: message-purposes.ts), as of the
 * campaign's decision time, with the evidence each rests on.
 *
 * The replay reads the records as they are now, up to `asOf`: it agrees with the delivery unless a
 * record dated before `asOf` was added since, the delivery was skipped at the re-check before its
 * hand-off (a later time), or it was skipped as DUPLICATE_ADDRESS (decided over the whole audience,
 * rule 12), which no single customer's decision shows.
 */
import type { CampaignStore } from '../core/campaign.ts';
import { decide, type Decision } from '../core/decide.ts';
import { DomainError } from '../core/errors.ts';
import type { DeliveryRow, ListingStore } from '../core/listings.ts';
import { combineVerdicts, type MessageVerdict } from '../core/message-purposes.ts';
import type { CatalogueStore, DecisionRecordsStore } from '../core/ports.ts';
import type { CustomerId, Instant } from '../core/records.ts';
import type { DecisionSettings } from '../core/settings.ts';
import type { Purpose } from '../core/vocabulary.ts';
import { requireProduct } from './decide-for-customer.ts';
import { requireCampaign } from './listings.ts';

export interface ExplainDeps {
  campaigns: CampaignStore;
  listings: ListingStore;
  decisionRecords: DecisionRecordsStore;
  catalogue: CatalogueStore;
  settings: DecisionSettings;
}

export interface DeliveryExplanation {
  campaignId: number;
  customerId: string;
  delivery: DeliveryRow;
  /** The campaign's decision time, which the replay is made as of. */
  asOf: Instant;
  /** One decision per purpose, the primary first (only the primary is asked about the marketed product). */
  decisions: { purpose: Purpose; decision: Decision }[];
  /** The decisions joined as the launch joins them: allowed only when every purpose is. */
  replayed: MessageVerdict;
}

/** NOT_FOUND (field `campaign`, or `customer` when the campaign has no delivery to that customer). */
export async function explainDelivery(deps: ExplainDeps, input: { campaignId: number; customerId: string }): Promise<DeliveryExplanation> {
  const campaign = await requireCampaign(deps, input.campaignId);
  const customerId = input.customerId as CustomerId;
  const delivery = await deps.listings.delivery(campaign.id, customerId);
  if (delivery === null || campaign.asOf === null) {
    throw new DomainError('NOT_FOUND', `campaign ${campaign.id} has no delivery to customer ${input.customerId}`, { field: 'customer' });
  }
  const [records, product] = await Promise.all([deps.decisionRecords.recordsFor(customerId, campaign.channel), requireProduct(deps.catalogue, campaign.sku)]);
  if (records === null) throw new DomainError('UNKNOWN_CUSTOMER', `no customer with id ${input.customerId}`, { field: 'customer' });
  const asOf = campaign.asOf;
  const [primary = campaign.purpose, ...further] = campaign.purposes ?? [campaign.purpose];
  // As at launch: soft opt-in is the primary purpose's matter, so only it is asked about the product.
  const decisionFor = (purpose: Purpose, withProduct: boolean): Decision =>
    decide({ ...records, purpose, channel: campaign.channel, product: withProduct ? product : null, at: asOf, settings: deps.settings });
  const primaryDecision = decisionFor(primary, true);
  const furtherDecisions = further.map((purpose) => ({ purpose, decision: decisionFor(purpose, false) }));
  const replayed = combineVerdicts(primaryDecision, furtherDecisions.map((d) => ({ purpose: d.purpose, verdict: d.decision })));
  return { campaignId: campaign.id, customerId: input.customerId, delivery, asOf, decisions: [{ purpose: primary, decision: primaryDecision }, ...furtherDecisions], replayed };
}
