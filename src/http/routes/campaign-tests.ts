/**
 * `POST /v1/campaigns/{id}/test-send`: a campaign's message as a test, to the person asking or the
 * seed list (src/use-cases/test-send.ts): marked as a test, counted nowhere, never to a customer.
 */
import { z } from 'zod';
import type { App } from '../../composition-root.ts';
import { senderIdentity } from '../../config.ts';
import type { MessageSender } from '../../core/email-message.ts';
import type { CustomerId } from '../../core/records.ts';
import { seedAddressesOf, sendTestMessage } from '../../use-cases/test-send.ts';
import { auditCustomers } from '../audit.ts';
import { actorOf, requirePermission, rolesNote, sessionOf } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import { CampaignIdParam, CustomerIdSchema } from '../schemas.ts';
import type { ZodServer } from '../zod-provider.ts';

/** `mailer`: the e-mail sender, made when first needed. */
export function campaignTestRoutes(server: ZodServer, app: App, mailer: () => MessageSender): void {
  server.post(
    '/v1/campaigns/:id/test-send',
    {
      onRequest: requirePermission(app, 'campaigns.write'),
      schema: {
        tags: ['campaigns'],
        summary: "Send a test of a campaign's message",
        description:
          "The campaign's template filled as `customer` (or a sample name) would get it, in `locale` or theirs, sent to yourself (`to: me`, the " +
          'signed-in console user; an API key has no address) or to the seed list (`to: seed`, LUPA_TEST_SEED_ADDRESSES). Marked as a test in the ' +
          `subject and at the top, no unsubscribe headers, links that do nothing; no delivery is written, so no result counts it. ${rolesNote('campaigns.write')}`,
        params: z.strictObject({ id: CampaignIdParam }),
        body: z.strictObject({
          to: z.enum(['me', 'seed']).meta({ example: 'seed' }),
          customer: CustomerIdSchema.optional().meta({ description: "Whose name fills the message (audited as a read of that customer's data)", example: 'C0000002' }),
          locale: z.enum(['fi', 'sv', 'en']).optional(),
        }),
        response: {
          200: z.object({ sentTo: z.array(z.string()), subject: z.string() }),
          ...errorResponses(['VALIDATION_FAILED', 'NOT_FOUND', 'UNKNOWN_CUSTOMER', 'TEMPLATE_INVALID']),
        },
      },
    },
    async (req) => {
      const session = await sessionOf(app, req);
      const result = await sendTestMessage(
        {
          ...app.stores,
          sending: app.sending,
          sender: mailer(),
          seedAddresses: seedAddressesOf(app.config.LUPA_TEST_SEED_ADDRESSES),
          senderIdentity: senderIdentity(app.config),
        },
        {
          campaignId: req.params.id,
          to: req.body.to,
          // A key's request is never the browser's session (auth.ts): only a signed-in person has an address here.
          myAddress: req.headers.authorization === undefined && req.headers['x-api-key'] === undefined ? (session?.user.email ?? null) : null,
          ...(req.body.customer === undefined ? {} : { customerId: req.body.customer as CustomerId }),
          ...(req.body.locale === undefined ? {} : { locale: req.body.locale }),
        },
      );
      if (req.body.customer !== undefined) await auditCustomers(app, req, 'campaign.test_send', [req.body.customer], { campaign: req.params.id });
      req.log.info({ campaign: req.params.id, recipients: result.sentTo.length, by: actorOf(req).id }, 'campaign test message sent');
      return result;
    },
  );
}
