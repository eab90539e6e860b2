/**
 * How many SMS segments a message of a template takes, shown where a marketer prepares an SMS
 * campaign (the template preview with `channel=sms`, the campaign's status). The text is rendered as
 * the sender renders it (src/channels/sms/sms-text.ts) for one recipient, and again for sample
 * recipients whose first names are what makes personalised texts grow: a long one, and one with a
 * letter outside the GSM 7-bit alphabet, which sends the whole text as UCS-2 (70 units a segment,
 * not 160). A warning says when some recipients' messages take more segments than the one shown.
 */
import { countSegments, type SmsEncoding } from '../channels/sms/segments.ts';
import { smsText } from '../channels/sms/sms-text.ts';
import type { Campaign, TemplateStore } from '../core/campaign.ts';
import { isDomainError } from '../core/errors.ts';
import type { CatalogueStore } from '../core/ports.ts';
import type { TokenSigner } from '../security/signed-tokens.ts';
import { previewCompiled, type CompiledTemplate, type RenderInput } from '../templates/index.ts';
import { campaignRenderInput, campaignTemplate, productNameOf } from './campaign-message.ts';
import { preferencesUrl, unsubscribeUrl } from './unsubscribe.ts';

/** The size of one SMS (3GPP TS 23.038/23.040, as src/channels/sms/segments.ts counts it). */
export interface SmsSize {
  /** The text as sent. */
  text: string;
  locale: string;
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 units (UCS-2). */
  units: number;
  segments: number;
  /** Units still free in the last segment. */
  remaining: number;
}

export interface SmsEstimate extends SmsSize {
  /** The most segments a sample recipient's message takes (every language of the template, every sample name). */
  maxSegments: number;
  /** The sample recipients the estimate rendered, with their message's size. */
  samples: { firstName: string; locale: string; encoding: SmsEncoding; segments: number }[];
  /** Null, or what makes some recipients' messages longer than the one shown, and by how much. */
  warning: string | null;
}

/** First names that make a personalised SMS longer: a long one, and one outside GSM-7 (ř, í are not in it). */
export const SAMPLE_NAMES = ['Aino', 'Anna-Kaisa Esimerkki', 'Jiří Novák'] as const;

type Fill = Omit<RenderInput, 'customer' | 'links' | 'locale'> & { links?: Record<string, string> };

/**
 * The SMS of `template` for `recipient` (its size), and the largest size among the sample names in
 * every language of the template. Missing values render as empty, as in any preview.
 */
export function smsEstimate(template: CompiledTemplate, fill: Fill, recipient: RenderInput['customer'], opts: { locale?: string } = {}): SmsEstimate {
  const sizeOf = (customer: RenderInput['customer'], locale?: string): SmsSize => {
    const rendered = previewCompiled(template, customer, { ...fill, ...(locale === undefined ? {} : { locale }) });
    const text = smsText(template.kind, rendered);
    const { encoding, units, segments, remaining } = countSegments(text);
    return { text, locale: rendered.locale, encoding, units, segments, remaining };
  };
  const shown = sizeOf(recipient, opts.locale);
  const samples = template.locales.flatMap((locale) =>
    SAMPLE_NAMES.map((name) => {
      const size = sizeOf({ name, locale }, locale);
      return { firstName: name.split(' ')[0] ?? name, locale: size.locale, encoding: size.encoding, segments: size.segments };
    }),
  );
  const worst = samples.reduce((max, s) => (s.segments > max.segments ? s : max), { ...shown, firstName: '' });
  return { ...shown, maxSegments: worst.segments, samples, warning: worst.segments > shown.segments ? warningFor(shown, worst) : null };
}

function warningFor(shown: SmsSize, worst: { firstName: string; locale: string; encoding: SmsEncoding; segments: number }): string {
  const why =
    worst.encoding === 'ucs2' && shown.encoding === 'gsm7'
      ? `a name with a letter outside the GSM 7-bit alphabet (such as ${worst.firstName}) sends the whole text as UCS-2, 70 characters a segment instead of 160`
      : `a longer name (such as ${worst.firstName}) or another language of the template makes the text longer`;
  return `personalisation can make this SMS ${worst.segments} segments instead of ${shown.segments}: ${why}; shorten the text to leave room, or leave the name out`;
}

/**
 * An SMS campaign's message size: its template filled with the campaign's product, values and links
 * as the sender fills it, the opt-out links as long as real ones (signed for a sample id); null for a
 * campaign on another channel, or one without a template it can send (launching it says why).
 */
export async function campaignSmsEstimate(
  deps: { templates: TemplateStore; catalogue: CatalogueStore; signer: TokenSigner; publicUrl: string },
  campaign: Campaign,
): Promise<SmsEstimate | null> {
  if (campaign.channel !== 'sms' || campaign.templateId === null) return null;
  let template: CompiledTemplate;
  try {
    template = await campaignTemplate(deps, campaign);
  } catch (err) {
    if (isDomainError(err)) return null;
    throw err;
  }
  const fill = campaignRenderInput(campaign, await productNameOf(deps, campaign));
  const sampleId = 'C0000000';
  const links = { ...fill.links, unsubscribe: unsubscribeUrl(deps.signer, deps.publicUrl, sampleId, 'sms', campaign.id), preferences: preferencesUrl(deps.signer, deps.publicUrl, sampleId) };
  return smsEstimate(template, { ...fill, links }, { name: SAMPLE_NAMES[0], locale: null });
}
