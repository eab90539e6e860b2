/**
 * A campaign's test message: its template rendered as a sample customer would get it, sent to the
 * person asking (their console e-mail) or to the configured seed list (`LUPA_TEST_SEED_ADDRESSES`),
 * never to a customer. It is marked as a test (subject and a banner), carries no unsubscribe headers
 * and links that do nothing, has no delivery row (so it is counted in no result), and its return path
 * is the notices mailbox, so a bounce of it is held and never bound to a customer's delivery.
 */
import { randomBytes } from 'node:crypto';
import { brandNameOf } from '../core/brands.ts';
import type { CampaignStore, TemplateStore } from '../core/campaign.ts';
import type { MessageSender } from '../core/email-message.ts';
import { normaliseEmail } from '../core/addresses.ts';
import { DomainError } from '../core/errors.ts';
import type { CatalogueStore, CustomerStore } from '../core/ports.ts';
import type { CustomerId } from '../core/records.ts';
import { campaignFrom, type SendingSetup } from '../core/sending-readiness.ts';
import { previewCompiled, type SenderIdentity, type TemplateLocale } from '../templates/index.ts';
import { campaignRenderInput, campaignTemplate, productNameOf } from './campaign-message.ts';
import { SAMPLE_CUSTOMER } from './template-editing.ts';

export interface TestSendDeps {
  campaigns: CampaignStore;
  templates: TemplateStore;
  catalogue: CatalogueStore;
  customers: CustomerStore;
  sending: SendingSetup;
  sender: MessageSender;
  /** LUPA_TEST_SEED_ADDRESSES, read. */
  seedAddresses: readonly string[];
  senderIdentity?: SenderIdentity;
}

export interface TestSendInput {
  campaignId: number;
  /** `me`: the console user's own address (`myAddress`); `seed`: the seed list. */
  to: 'me' | 'seed';
  /** The signed-in person's e-mail; null for an API key, which has none. */
  myAddress: string | null;
  /** Whose name fills the message (audited by the caller); absent: a sample name. */
  customerId?: CustomerId;
  locale?: TemplateLocale;
}


const BANNER: Record<TemplateLocale, (id: number) => string> = {
  fi: (id) => `TESTIVIESTI kampanjasta ${id}: ei lähetetty asiakkaille, eikä sen linkit tee mitään.`,
  sv: (id) => `TESTMEDDELANDE för kampanj ${id}: inte skickat till kunder, och dess länkar gör ingenting.`,
  en: (id) => `TEST MESSAGE of campaign ${id}: sent to no customer, and its links do nothing.`,
};

/**
 * Sends the test; answers where it went and the subject as sent. Errors: NOT_FOUND (campaign),
 * VALIDATION_FAILED (`to`: an API key asking for `me`, or no seed list; `channel`: not e-mail),
 * UNKNOWN_CUSTOMER, TEMPLATE_INVALID (the campaign's template, as at launch).
 */
export async function sendTestMessage(deps: TestSendDeps, input: TestSendInput): Promise<{ sentTo: string[]; subject: string }> {
  const campaign = await deps.campaigns.get(input.campaignId);
  if (campaign === null) throw new DomainError('NOT_FOUND', `no campaign ${input.campaignId}`, { field: 'id' });
  if (campaign.channel !== 'email') throw new DomainError('VALIDATION_FAILED', 'a test message can be sent of an e-mail campaign only', { field: 'channel' });
  const recipients = recipientsOf(deps, input);
  let customer: { name: string; locale: string | null } = SAMPLE_CUSTOMER;
  if (input.customerId !== undefined) {
    const found = await deps.customers.getCustomer(input.customerId);
    if (found === null) throw new DomainError('UNKNOWN_CUSTOMER', `no customer with id ${input.customerId}`, { field: 'customer' });
    customer = { name: found.name, locale: found.locale };
  }
  const template = await campaignTemplate(deps, campaign);
  const fill = campaignRenderInput(campaign, await productNameOf(deps, campaign));
  const rendered = previewCompiled(template, customer, {
    ...fill,
    ...(input.locale === undefined ? {} : { locale: input.locale }),
    ...(deps.senderIdentity === undefined ? {} : { sender: deps.senderIdentity }),
  });
  const banner = BANNER[rendered.locale](campaign.id);
  const html = rendered.html.replace(/<body([^>]*)>/i, (open) => `${open}<div style="background:#fff3bf;color:#000;padding:8px;font:14px sans-serif">${banner}</div>`);
  const subject = `[TEST] ${rendered.subject}`;
  const from = campaignFrom(campaign, deps.sending);
  for (const to of recipients) {
    await deps.sender.send({
      deliveryId: 0,
      attempt: 1,
      noticeId: `test.${campaign.id}.${randomBytes(6).toString('hex')}`,
      to,
      from,
      brand: brandNameOf(campaign),
      subject,
      html,
      text: `${banner}\n\n${rendered.text}`,
      unsubscribe: null,
      feedback: { campaignId: campaign.id, purpose: 'test', templateId: template.id },
      locale: rendered.locale,
    });
  }
  return { sentTo: recipients, subject };
}

function recipientsOf(deps: TestSendDeps, input: TestSendInput): string[] {
  if (input.to === 'me') {
    const me = input.myAddress === null ? null : normaliseEmail(input.myAddress);
    if (me === null) throw new DomainError('VALIDATION_FAILED', 'an API key has no e-mail address of its own: send the test to the seed list (to: seed)', { field: 'to' });
    return [me];
  }
  const seeds = deps.seedAddresses.map((a) => normaliseEmail(a)).filter((a): a is string => a !== null);
  if (seeds.length === 0) throw new DomainError('VALIDATION_FAILED', 'there is no seed list: set LUPA_TEST_SEED_ADDRESSES (e-mail addresses separated by commas)', { field: 'to' });
  return seeds;
}

/** LUPA_TEST_SEED_ADDRESSES as a list. */
export function seedAddressesOf(setting: string): string[] {
  return setting.split(',').map((a) => a.trim()).filter((a) => a !== '');
}
