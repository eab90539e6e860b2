/**
 * Use cases: the sending readiness report (`lupa doctor`, the start-up banner, `GET
 * /v1/admin/readiness`) and the check that refuses a marketing e-mail campaign whose mail would not
 * arrive (at launch, at a scheduled start, and before each batch). The items and their rules are in
 * core/sending-readiness.ts; this gathers what they look at: the brands, their keys, the sender
 * addresses in use, and the DNS records to publish.
 */
import { brandNameOf, senderOf, type Brand } from '../core/brands.ts';
import type { Campaign, CampaignStore } from '../core/campaign.ts';
import { bounceMxRecord, dkimRecord, dmarcRecord, spfRecord, type DkimAlgorithm, type DnsRecord } from '../core/dns-records.ts';
import { DomainError } from '../core/errors.ts';
import { domainOf, notPublicDomain, organisationalDomain } from '../core/mail-domains.ts';
import {
  asDevelopment,
  bounceReceiverItem,
  dkimItem,
  ed25519Item,
  fromItem,
  item,
  publicUrlItem,
  returnPathItem,
  unknownBrandItem,
  withNote,
  type ReadinessItem,
  type SendingSetup,
} from '../core/sending-readiness.ts';
import { phrase, type InnerPhrase } from '../core/phrases.ts';
import type { Purpose } from '../core/vocabulary.ts';

export interface ReadinessReport {
  /** Mail goes to the development inbox: nothing is refused, and what would block real sending is a warning. */
  development: boolean;
  /** The relay mail goes to, without credentials. */
  relay: string;
  /** True when an item is blocking: a marketing launch would be refused (and `lupa doctor` exits 1). */
  blocking: boolean;
  items: ReadinessItem[];
  /** The DNS records to publish, whole (`zoneLine` splits long TXT values). */
  records: DnsRecord[];
  /** What the report cannot see from here, to check by hand (docs/going-live.md). */
  notChecked: string[];
}

const NOT_CHECKED = [
  'whether the DNS records above are published: look them up (dig TXT SELECTOR._domainkey.DOMAIN) after publishing',
  'reverse DNS (PTR) of the address the relay sends from: it must name a host that resolves back to that address',
  'whether the relay keeps the return path: the Return-Path of a message you receive must be b-…@ the bounce domain',
  'the complaint rate at Google Postmaster Tools and Yahoo\'s complaint feedback loop (keep it under 0.3 %)',
];

/** The whole report: every brand, every sender address in use by an unfinished e-mail campaign, the records to publish. */
export async function readinessReport(deps: { campaigns: CampaignStore; sending: SendingSetup }): Promise<ReadinessReport> {
  const setup = deps.sending;
  const items: ReadinessItem[] = [
    item('sending', 'ok', phrase(setup.development ? 'sending_development' : 'sending_real', { relay: setup.relay })),
    publicUrlItem(setup.publicUrl),
    returnPathItem(setup.bounceDomain),
    bounceReceiverItem(setup.bounceReceiver.port, setup.bounceDomain),
  ];
  for (const brand of setup.brands.values()) items.push(...dkimItems(setup, brand));
  items.push(...(await senderItems(deps.campaigns, setup)));
  const shown = setup.development ? items.map(asDevelopment) : items;
  return {
    development: setup.development,
    relay: setup.relay,
    blocking: shown.some((i) => i.status === 'blocking'),
    items: shown,
    records: dnsRecords(setup, shown),
    notChecked: NOT_CHECKED,
  };
}

/** A brand's DKIM item, and its Ed25519 key's when it has one. */
function dkimItems(setup: SendingSetup, brand: Brand): ReadinessItem[] {
  const ed = ed25519Item(brand, setup.ed25519Key(brand));
  return ed === null ? [dkimItem(brand, setup.dkimKey(brand))] : [dkimItem(brand, setup.dkimKey(brand)), ed];
}

/** One item per sender address: each brand's own, and each one an unfinished campaign names. */
async function senderItems(campaigns: CampaignStore, setup: SendingSetup): Promise<ReadinessItem[]> {
  const uses = new Map<string, { brand: Brand; address: string; usedBy: InnerPhrase[]; anyWithoutOverride: boolean }>();
  const note = (brand: Brand, address: string, usedBy: InnerPhrase, withoutOverride: boolean): void => {
    const key = `${brand.name} ${address.toLowerCase()}`;
    const entry = uses.get(key) ?? { brand, address, usedBy: [], anyWithoutOverride: false };
    entry.usedBy.push(usedBy);
    entry.anyWithoutOverride ||= withoutOverride;
    uses.set(key, entry);
  };
  for (const brand of setup.brands.values()) note(brand, brand.fromAddress, { code: 'used_by_brand', params: { brand: brand.name } }, true);
  const items: ReadinessItem[] = [];
  for (const use of await campaigns.sendersInUse()) {
    const brand = setup.brands.get(use.brand ?? 'default');
    if (brand === undefined) {
      if (use.brand !== null) items.push(unknownBrandItem(use.brand, [...setup.brands.keys()]));
      continue;
    }
    const one = use.campaigns === 1;
    const usedBy: InnerPhrase =
      use.exampleId === null
        ? { code: one ? 'used_by_one_campaign_override' : 'used_by_campaigns_override', params: { count: use.campaigns } }
        : { code: one ? 'used_by_one_campaign' : 'used_by_campaigns', params: { count: use.campaigns, id: use.exampleId } };
    note(brand, use.fromAddress ?? brand.fromAddress, usedBy, use.withoutOverride > 0);
  }
  for (const { brand, address, usedBy, anyWithoutOverride } of uses.values()) {
    const found = fromItem(address, brand, setup.bounceDomain, usedBy);
    // Every campaign using it has a recorded override: it will be sent, so it is not blocking.
    items.push(!anyWithoutOverride && found.status === 'blocking' ? withNote(found, phrase('note_all_overridden'), 'warning') : found);
  }
  return items;
}

/** The records to publish: each signing brand's DKIM key, SPF and MX for the return path, DMARC for each sender's organisational domain. */
function dnsRecords(setup: SendingSetup, items: readonly ReadinessItem[]): DnsRecord[] {
  const records: DnsRecord[] = [];
  for (const brand of setup.brands.values()) {
    if (brand.dkim.state !== 'on') continue;
    const key = setup.dkimKey(brand);
    if (key !== null && key.ok && (key.algorithm === 'rsa' || key.algorithm === 'ed25519')) {
      records.push(dkimRecord(brand.dkim.domain, brand.dkim.selector, key.algorithm as DkimAlgorithm, key.publicKey));
    }
    // The Ed25519 key's record only for an Ed25519 key under a selector of its own: never a second record at the RSA key's name.
    const ed = brand.dkim.ed25519;
    const edKey = setup.ed25519Key(brand);
    if (ed.state === 'on' && ed.selector.toLowerCase() !== brand.dkim.selector.toLowerCase() && edKey !== null && edKey.ok && edKey.algorithm === 'ed25519') {
      records.push(dkimRecord(brand.dkim.domain, ed.selector, 'ed25519', edKey.publicKey));
    }
  }
  if (notPublicDomain(setup.bounceDomain) === null) {
    records.push(spfRecord(setup.bounceDomain, relayHost(setup.relay)));
    records.push(bounceMxRecord(setup.bounceDomain, setup.bounceReceiver.mxHost));
  }
  const senderDomains = items.filter((i) => i.id.startsWith('from:')).map((i) => domainOf(i.id.slice('from:'.length)));
  const dmarcDomains = new Set(senderDomains.filter((d) => notPublicDomain(d) === null).map((d) => organisationalDomain(d) ?? d));
  for (const domain of dmarcDomains) records.push(dmarcRecord(domain));
  return records;
}

function relayHost(relay: string): string {
  try {
    return new URL(relay).hostname;
  } catch {
    return relay;
  }
}

/**
 * What stops this campaign's mail from arriving: the blocking items for its brand, sender and
 * links. Empty for sending to the development inbox, for other channels, and for service messages
 * (a notice a customer needs is not held back; the report shows the setup's problems).
 */
export function deliverabilityRefusals(setup: SendingSetup, campaign: Pick<Campaign, 'channel' | 'brand' | 'from' | 'unalignedFrom'>, primaryPurpose: Purpose): ReadinessItem[] {
  if (setup.development || campaign.channel !== 'email' || primaryPurpose === 'service') return [];
  const name = brandNameOf(campaign);
  const brand = setup.brands.get(name);
  if (brand === undefined) return [unknownBrandItem(name, [...setup.brands.keys()])];
  const sender = senderOf(campaign, brand);
  const items = [
    publicUrlItem(setup.publicUrl),
    ...dkimItems(setup, brand),
    fromItem(sender.address, brand, setup.bounceDomain, [campaign.from === null ? { code: 'used_by_brand', params: { brand: brand.name } } : { code: 'used_by_this_campaign', params: {} }], campaign.unalignedFrom),
    returnPathItem(setup.bounceDomain),
  ];
  return items.filter((i) => i.status === 'blocking');
}

/**
 * Refuses (LAUNCH_NOT_DELIVERABLE) a campaign whose mail would not arrive, naming each blocking
 * item and its fix; `field` is the first item's id, `details.items` all of them.
 */
export function requireDeliverable(setup: SendingSetup, campaign: Pick<Campaign, 'id' | 'channel' | 'brand' | 'from' | 'unalignedFrom'>, primaryPurpose: Purpose): void {
  const refusals = deliverabilityRefusals(setup, campaign, primaryPurpose);
  if (refusals.length === 0) return;
  throw notDeliverable(campaign.id, refusals);
}

export function notDeliverable(campaignId: number, refusals: readonly ReadinessItem[]): DomainError {
  const text = refusals.map((i) => `${i.id}: ${i.summary}${i.fix === undefined ? '' : `; fix: ${i.fix}`}`).join(' | ');
  return new DomainError('LAUNCH_NOT_DELIVERABLE', `campaign ${campaignId} would send mail that does not arrive (lupa doctor shows all): ${text}`, {
    field: refusals[0]?.id ?? 'sending',
    details: { items: refusals },
  });
}
