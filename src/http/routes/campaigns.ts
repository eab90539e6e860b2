/** A campaign's results over HTTP (counts only: no personal data, so not audited per customer). */
import { z } from 'zod';
import type { App } from '../../composition-root.ts';
import { campaignResults } from '../../use-cases/campaigns.ts';
import { requirePermission, rolesNote } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import type { ZodServer } from '../zod-provider.ts';

const Tracked = z.object({ people: z.number(), machines: z.number(), uniquePeople: z.number() });
const Results = z.object({
  campaignId: z.number(),
  purposes: z.array(z.string()).meta({ description: 'What the message was decided for at launch, the primary purpose first: the template\'s content can add partner_marketing or profiling, and makes a service campaign with promotion marketing (empty before the launch)' }),
  audience: z.number().meta({ description: 'Deliveries: one per audience customer' }),
  skipped: z.record(z.string(), z.number()).meta({ description: 'Deliveries not handed off, by blocking reason (at launch or at the re-check before a hand-off or a retry)' }),
  queued: z.number().meta({ description: 'Waiting to be sent, retries of soft bounces included' }),
  sent: z.number().meta({ description: 'Deliveries handed off at least once (a retry does not count twice)' }),
  failed: z.number(),
  delivered: z.number().meta({ description: 'Sent, and the latest hand-off was neither bounced nor refused (sent − hardBounced − softBounced − senderRefused)' }),
  hardBounced: z.number(),
  softBounced: z.number().meta({ description: 'Sent, and the latest hand-off came back with a temporary failure: retrying, stopped at the re-check, or ended at the limit' }),
  retrying: z.number().meta({ description: 'Of softBounced: waiting for the retry, or being sent again' }),
  complaints: z.number(),
  senderRefused: z.number().meta({ description: 'Sent, and refused for a cause on the sender\'s side (block list, reputation, content, authentication): the recipients are not suppressed; fix the sending setup' }),
  senderRefusals: z.record(z.string(), z.number()).meta({ description: 'senderRefused by reason: blocked, spamdetected, authfailure, …' }),
  unsubscribed: z.number(),
  opens: Tracked,
  clicks: Tracked,
});

export function campaignRoutes(server: ZodServer, app: App): void {
  server.get(
    '/v1/campaigns/:id/results',
    {
      onRequest: requirePermission(app, 'campaigns.read'),
      schema: {
        tags: ['audience'],
        summary: 'A campaign’s results',
        description: `Audience, skipped by reason, sent, delivered, bounces, complaints, unsubscribes, opens and clicks (people and machines apart). ${rolesNote('campaigns.read')}`,
        params: z.strictObject({ id: z.coerce.number().int().positive() }),
        response: { 200: Results, ...errorResponses(['NOT_FOUND']) },
      },
    },
    async (req) => campaignResults(app.stores, { campaignId: req.params.id }),
  );
}
