/**
 * The new-campaign form's working copy and how it becomes `POST /v1/campaigns`'s body: values and
 * links are written one `NAME=VALUE` a line, postcode prefixes separated by commas or spaces.
 */
import type { Channel, Purpose } from '../../../src/core/vocabulary.ts';

export interface CampaignDraft {
  name: string;
  purpose: Purpose;
  channel: Channel;
  template: string;
  product: string;
  postcodes: string;
  locale: string;
  orderedSku: string;
  /** Campaign ids whose recipients are left out, separated by commas or spaces. */
  exclude: string;
  /** A segment's id, or '' for no segment. */
  segment: string;
  perSecond: number | null;
  vars: string;
  links: string;
}

export function emptyCampaignDraft(): CampaignDraft {
  return { name: '', purpose: 'marketing', channel: 'email', template: '', product: '', postcodes: '', locale: '', orderedSku: '', exclude: '', segment: '', perSecond: null, vars: '', links: '' };
}

interface CampaignLike {
  purpose: Purpose;
  channel: Channel;
  sku: string | null;
  templateId: string | null;
  filter: { attribute?: { name: string; value: string }; orderedSku?: string; postalCodePrefixes?: readonly string[]; excludeRecipientsOf?: readonly number[]; segment?: number };
  perSecond: number | null;
  vars: Record<string, string | number | boolean>;
  links: Record<string, string>;
}

/** An earlier campaign as a new draft named `name`. */
export function draftOfCampaign(c: CampaignLike, name: string): CampaignDraft {
  return {
    name,
    purpose: c.purpose,
    channel: c.channel,
    template: c.templateId ?? '',
    product: c.sku ?? '',
    postcodes: (c.filter.postalCodePrefixes ?? []).join(', '),
    locale: c.filter.attribute?.name === 'locale' ? c.filter.attribute.value : '',
    orderedSku: c.filter.orderedSku ?? '',
    exclude: (c.filter.excludeRecipientsOf ?? []).join(', '),
    segment: c.filter.segment === undefined ? '' : String(c.filter.segment),
    perSecond: c.perSecond,
    vars: Object.entries(c.vars).map(([k, v]) => `${k}=${String(v)}`).join('\n'),
    links: Object.entries(c.links).map(([k, v]) => `${k}=${v}`).join('\n'),
  };
}

/** `NAME=VALUE` lines as an object; blank lines are skipped, a line without `=` is kept as an empty value so the server names it. */
export function pairsOf(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    const at = trimmed.indexOf('=');
    out[(at < 0 ? trimmed : trimmed.slice(0, at)).trim()] = at < 0 ? '' : trimmed.slice(at + 1).trim();
  }
  return out;
}

/** The request body: only what was filled in. */
export function requestOf(d: CampaignDraft): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  const prefixes = d.postcodes.split(/[\s,]+/).filter((p) => p !== '');
  if (prefixes.length > 0) filter['postalCodePrefixes'] = prefixes;
  if (d.locale !== '') filter['attribute'] = { name: 'locale', value: d.locale };
  if (d.orderedSku !== '') filter['orderedSku'] = d.orderedSku;
  const exclude = d.exclude.split(/[\s,]+/).filter((v) => v !== '').map(Number);
  if (exclude.length > 0) filter['excludeRecipientsOf'] = exclude;
  if (d.segment !== '') filter['segment'] = Number(d.segment);
  const vars = pairsOf(d.vars);
  const links = pairsOf(d.links);
  return {
    name: d.name.trim(),
    purpose: d.purpose,
    channel: d.channel,
    ...(d.template === '' ? {} : { template: d.template }),
    ...(d.product === '' ? {} : { product: d.product }),
    ...(Object.keys(filter).length === 0 ? {} : { filter }),
    ...(d.perSecond === null ? {} : { perSecond: d.perSecond }),
    ...(Object.keys(vars).length === 0 ? {} : { vars }),
    ...(Object.keys(links).length === 0 ? {} : { links }),
  };
}
