/**
 * Bounces and complaints reported by a sending provider as JSON, for relays that do not send DSNs
 * back to the return path. Each event is handled exactly as a received DSN or feedback report.
 */
import { z } from 'zod';
import { bounceDeps, type App } from '../../composition-root.ts';
import { handleBounce } from '../../use-cases/bounces.ts';
import { requirePermission, rolesNote } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import type { ZodServer } from '../zod-provider.ts';

const BounceEvent = z.strictObject({
  type: z.enum(['hard', 'soft', 'complaint']).meta({ description: 'permanent failure, temporary failure, or a recipient complaint' }),
  recipient: z.string().min(3).max(320).nullable().optional().meta({ description: 'the address that failed or complained; informational only: the delivery named by returnPath is acted on, with its own address' }),
  returnPath: z.string().max(320).optional().meta({ description: 'the envelope sender the message went out with (names the delivery); an event without a valid one changes nothing' }),
});

const Body = z.strictObject({ events: z.array(BounceEvent).min(1).max(1000) });

const Outcome = z.object({
  deliveryId: z.number().nullable(),
  action: z.enum(['suppressed', 'counted', 'opted_out', 'refused', 'ignored']).meta({ description: '`counted`: a soft bounce below the limit; `refused`: a refusal caused by the sender, counted for the campaign; `ignored`: nothing to do, also an event bound to no delivery, or a soft bounce already counted for that hand-off' }),
  pausedCampaign: z.number().nullable(),
  retryAt: z.string().nullable().meta({ description: 'When a soft-bounced delivery is sent again (back-off); null when it is not' }),
  address: z.string().nullable().meta({ description: 'The delivery’s own address that was acted on; null when none was' }),
});

export function bounceWebhookRoutes(server: ZodServer, app: App): void {
  const deps = bounceDeps(app);
  server.post(
    '/v1/webhooks/bounces',
    {
      onRequest: requirePermission(app, 'bounces.report'),
      schema: {
        tags: ['system'],
        summary: 'Report bounces and complaints (provider webhook)',
        description: `Hard bounces suppress the address; a soft one sends the delivery again after a back-off and suppresses at the limit; complaints suppress and opt the customer out of e-mail marketing. ${rolesNote('bounces.report')}`,
        body: Body,
        response: { 200: z.object({ outcomes: z.array(Outcome) }), ...errorResponses(['VALIDATION_FAILED']) },
      },
    },
    async (req) => {
      const outcomes = [];
      for (const event of req.body.events) {
        outcomes.push(await handleBounce(deps, { class: event.type, envelopeTo: event.returnPath === undefined ? [] : [event.returnPath] }));
      }
      return { outcomes };
    },
  );
}
