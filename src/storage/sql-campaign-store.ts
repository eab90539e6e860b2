/** Campaigns over Kysely, for both dialects. Deliveries are written set-based by the audience stores. */
import type { Kysely } from 'kysely';
import type { Campaign, CampaignStatus, CampaignVars, CampaignStore, DeliveryCounts, DeliveryState, NewCampaign, SenderInUse } from '../core/campaign.ts';
import type { UnalignedFromOverride } from '../core/sending-readiness.ts';
import type { AudienceFilter } from '../core/ports.ts';
import type { Instant, Sku } from '../core/records.ts';
import type { Channel, Purpose } from '../core/vocabulary.ts';
import type { CampaignsTable, Schema } from './schema.ts';

export type CampaignRow = Omit<CampaignsTable, 'id' | 'purposes' | 'vars' | 'links' | 'status_reason' | 'brand' | 'unaligned_from_reason' | 'unaligned_from_by' | 'unaligned_from_at'> & {
  id: number;
  purposes: string | null;
  vars: string | Record<string, unknown>;
  links: string | Record<string, unknown>;
  status_reason: string | null;
  brand: string | null;
  unaligned_from_reason: string | null;
  unaligned_from_by: string | null;
  unaligned_from_at: string | null;
};

export function campaignFromRow(row: CampaignRow): Campaign {
  return {
    id: row.id,
    name: row.name,
    purpose: row.purpose as Purpose,
    channel: row.channel as Channel,
    sku: row.sku as Sku | null,
    filter: filterFromJson(typeof row.filter === 'string' ? JSON.parse(row.filter) : row.filter),
    templateId: row.template_id,
    from: row.from_name === null || row.from_address === null ? null : { name: row.from_name, address: row.from_address },
    brand: row.brand,
    unalignedFrom:
      row.unaligned_from_reason === null || row.unaligned_from_by === null || row.unaligned_from_at === null
        ? null
        : { reason: row.unaligned_from_reason, by: row.unaligned_from_by, at: row.unaligned_from_at },
    perSecond: row.per_second,
    sendAt: row.send_at as Instant | null,
    vars: jsonObject(row.vars) as CampaignVars,
    links: jsonObject(row.links) as Record<string, string>,
    status: row.status as CampaignStatus,
    statusReason: row.status_reason,
    createdAt: row.created_at as Instant,
    launchedAt: row.launched_at as Instant | null,
    asOf: row.as_of as Instant | null,
    purposes: row.purposes === null ? null : (row.purposes.split(',') as Purpose[]),
  };
}

function jsonObject(stored: string | Record<string, unknown>): Record<string, unknown> {
  return typeof stored === 'string' ? (JSON.parse(stored) as Record<string, unknown>) : stored;
}

/** A filter as stored; campaigns created when a filter had one postcode area name it `postalCodePrefix`. */
function filterFromJson(stored: unknown): AudienceFilter {
  const { postalCodePrefix, ...filter } = stored as AudienceFilter & { postalCodePrefix?: string };
  return postalCodePrefix === undefined ? filter : { ...filter, postalCodePrefixes: [postalCodePrefix] };
}

export class SqlCampaignStore implements CampaignStore {
  constructor(private readonly db: Kysely<Schema>) {}

  async create(input: NewCampaign, at: Instant): Promise<Campaign> {
    const row = await this.db
      .insertInto('campaigns')
      .values({
        name: input.name,
        purpose: input.purpose,
        channel: input.channel,
        sku: input.sku,
        filter: JSON.stringify(input.filter),
        template_id: input.templateId,
        status: 'draft',
        created_at: at,
        launched_at: null,
        as_of: null,
        from_name: input.from?.name ?? null,
        from_address: input.from?.address ?? null,
        per_second: input.perSecond ?? null,
        send_at: input.sendAt ?? null,
        vars: JSON.stringify(input.vars ?? {}),
        links: JSON.stringify(input.links ?? {}),
        brand: input.brand ?? null,
        unaligned_from_reason: input.unalignedFrom?.reason ?? null,
        unaligned_from_by: input.unalignedFrom?.by ?? null,
        unaligned_from_at: input.unalignedFrom?.at ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return campaignFromRow(row);
  }

  async get(id: number): Promise<Campaign | null> {
    const row = await this.db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? null : campaignFromRow(row);
  }

  async markLaunched(id: number, at: Instant, asOf: Instant, purposes: readonly Purpose[]): Promise<boolean> {
    const result = await this.db
      .updateTable('campaigns')
      .set({ status: 'running', launched_at: at, as_of: asOf, purposes: purposes.join(',') })
      .where('id', '=', id)
      .where('status', '=', 'draft')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async schedule(id: number, sendAt: Instant | null): Promise<boolean> {
    const result = await this.db.updateTable('campaigns').set({ send_at: sendAt }).where('id', '=', id).where('status', '=', 'draft').executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async dueForLaunch(now: Instant, limit: number): Promise<number[]> {
    // The same predicate as the partial index campaigns_due, so the index answers it.
    const rows = await this.db
      .selectFrom('campaigns')
      .select('id')
      .where('status', '=', 'draft')
      .where('send_at', 'is not', null)
      .where('send_at', '<=', now)
      .orderBy('send_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => Number(r.id));
  }

  async holdScheduled(id: number, reason: string): Promise<boolean> {
    const result = await this.db
      .updateTable('campaigns')
      .set({ status: 'paused', status_reason: reason })
      .where('id', '=', id)
      .where('status', '=', 'draft')
      .where('send_at', 'is not', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async releaseHeld(id: number): Promise<boolean> {
    const result = await this.db
      .updateTable('campaigns')
      .set({ status: 'draft', status_reason: null })
      .where('id', '=', id)
      .where('status', '=', 'paused')
      .where('launched_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async allowUnalignedFrom(id: number, override: UnalignedFromOverride): Promise<boolean> {
    const result = await this.db
      .updateTable('campaigns')
      .set({ unaligned_from_reason: override.reason, unaligned_from_by: override.by, unaligned_from_at: override.at })
      .where('id', '=', id)
      .where('status', 'in', ['draft', 'paused'])
      .where('launched_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async sendingWithTemplate(templateId: string): Promise<{ id: number; name: string }[]> {
    const rows = await this.db.selectFrom('campaigns').select(['id', 'name']).where('template_id', '=', templateId).where('status', 'in', ['running', 'paused']).orderBy('id').execute();
    return rows.map((r) => ({ id: Number(r.id), name: r.name }));
  }

  async sendersInUse(): Promise<SenderInUse[]> {
    const rows = await this.db
      .selectFrom('campaigns')
      .select((eb) => [
        'brand',
        'from_address',
        eb.fn.countAll<number>().as('campaigns'),
        eb.fn.sum<number>(eb.case().when('unaligned_from_reason', 'is', null).then(1).else(0).end()).as('without_override'),
        eb.fn.min<number | null>(eb.case().when('unaligned_from_reason', 'is', null).then(eb.ref('id')).end()).as('example_id'),
      ])
      .where('channel', '=', 'email')
      .where('status', 'in', ['draft', 'running', 'paused'])
      .groupBy(['brand', 'from_address'])
      .orderBy('brand')
      .orderBy('from_address')
      .execute();
    return rows.map((r) => ({ brand: r.brand, fromAddress: r.from_address, campaigns: Number(r.campaigns), withoutOverride: Number(r.without_override), exampleId: r.example_id === null ? null : Number(r.example_id) }));
  }

  async decidedAt(id: number): Promise<Instant | null> {
    // A launch writes all its deliveries in one statement with one created_at: its decision time.
    const row = await this.db
      .selectFrom('deliveries')
      .select((eb) => eb.fn.min<string | null>('created_at').as('at'))
      .where('campaign_id', '=', id)
      .executeTakeFirst();
    return (row?.at ?? null) as Instant | null;
  }

  async deliveryCounts(id: number): Promise<DeliveryCounts> {
    const rows = await this.db
      .selectFrom('deliveries')
      .select(['state', 'reasons', (eb) => eb.fn.countAll<number>().as('n')])
      .where('campaign_id', '=', id)
      .groupBy(['state', 'reasons'])
      .execute();
    const counts: DeliveryCounts = { byState: {}, skippedBy: {} };
    for (const row of rows) {
      const n = Number(row.n);
      const state = row.state as DeliveryState;
      counts.byState[state] = (counts.byState[state] ?? 0) + n;
      if (state === 'skipped') for (const reason of row.reasons.split(',')) counts.skippedBy[reason] = (counts.skippedBy[reason] ?? 0) + n;
    }
    return counts;
  }
}
