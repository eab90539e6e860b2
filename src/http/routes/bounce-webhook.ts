/**
 * Bounces and complaints reported by a sending provider as JSON, for relays that do not send DSNs
 * back to the return path. Each event is handled exactly as a received DSN or feedback report.
 */
import { z } from 'zod';
import type { App } from '../../composition-root.ts';
import { handleBounce } from '../../use-cases/bounces.ts';
import { requirePermission, rolesNote } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import type { ZodServer } from '../zod-provider.ts';

const BounceEvent = z.strictObject({
  type: z.enum(['hard', 'soft', 'complaint']).meta({ description: 'permanent failure, temporary failure, or a recipient complaint' }),
  recipient: z.string().min(3).max(320).nullable().optional().meta({ description: 'the address that failed or complained' }),
  returnPath: z.string().max(320).optional().meta({ description: 'the envelope sender the message went out with (names the delivery)' }),
});

const Body = z.strictObject({ events: z.array(BounceEvent).min(1).max(1000) });

const Outcome = z.object({ deliveryId: z.number().nullable(), action: z.enum(['suppressed', 'counted', 'opted_out', 'ignored']), pausedCampaign: z.number().nullable() });

export function bounceWebhookRoutes(server: ZodServer, app: App): void {
  const deps = { ...app.stores, signer: app.signer, now: app.now, softBounceLimit: app.config.LUPA_SOFT_BOUNCE_LIMIT };
  server.post(
    '/v1/webhooks/bounces',
    {
      onRequest: requirePermission(app, 'bounces.report'),
      schema: {
        tags: ['system'],
        summary: 'Report bounces and complaints (provider webhook)',
        description: `Hard bounces suppress the address, soft ones count towards the limit, complaints suppress and opt the customer out of e-mail marketing. ${rolesNote('bounces.report')}`,
        body: Body,
        response: { 200: z.object({ outcomes: z.array(Outcome) }), ...errorResponses(['VALIDATION_FAILED']) },
      },
    },
    async (req) => {
      const outcomes = [];
      for (const event of req.body.events) {
        outcomes.push(await handleBounce(deps, { class: event.type, recipient: event.recipient ?? null, envelopeTo: event.returnPath === undefined ? [] : [event.returnPath] }));
      }
      return { outcomes };
    },
  );
}
