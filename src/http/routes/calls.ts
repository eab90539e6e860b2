/** Call outcomes recorded by agents; "don't call me" during a call is an opt-out for phone marketing. */
import { z } from 'zod';
import type { App } from '../../composition-root.ts';
import type { CustomerId } from '../../core/records.ts';
import { recordCallOutcome } from '../../use-cases/contact-lists.ts';
import { actorOf, requirePermission, rolesNote } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import type { ZodServer } from '../zod-provider.ts';

export function callRoutes(server: ZodServer, app: App): void {
  server.post(
    '/v1/customers/:id/call-outcomes',
    {
      onRequest: requirePermission(app, 'ledger.append'),
      schema: {
        tags: ['ledger'],
        summary: 'Record the outcome of a call',
        description: `\`do_not_call\` records a phone-marketing opt-out in the ledger at once (source \`call\`). ${rolesNote('ledger.append')}`,
        params: z.strictObject({ id: z.string().min(1).max(100) }),
        body: z.strictObject({ outcome: z.enum(['answered', 'no_answer', 'refused', 'do_not_call']), callId: z.string().min(1).max(100).optional() }),
        response: { 200: z.object({ optedOut: z.boolean() }), ...errorResponses(['VALIDATION_FAILED', 'UNKNOWN_CUSTOMER']) },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      return recordCallOutcome(
        { ...app.stores, now: app.now },
        { customerId: req.params.id as CustomerId, outcome: req.body.outcome, callId: req.body.callId ?? null, actor: { actor: actor.id, role: actor.role } },
      );
    },
  );
}
