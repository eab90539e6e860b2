/** The administrator's reads about the installation itself (no customer data). */
import { z } from 'zod';
import type { App } from '../../composition-root.ts';
import { readinessReport } from '../../use-cases/sending-readiness.ts';
import { requirePermission, rolesNote } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import { PhraseSchema } from '../schemas.ts';
import type { ZodServer } from '../zod-provider.ts';

const Item = z.object({
  id: z.string().meta({ description: 'Stable: sending, public_url, return_path, bounce_receiver, dkim:BRAND, dkim_ed25519:BRAND, from:ADDRESS, brand:NAME' }),
  status: z.enum(['ok', 'warning', 'blocking']),
  summary: z.string(),
  fix: z.string().optional(),
  says: z
    .object({ summary: z.array(PhraseSchema).meta({ description: 'The summary and the notes added to it, in order' }), fix: PhraseSchema.optional() })
    .meta({ description: '`summary` and `fix` as phrases, for a client to show in its reader\'s language' }),
});

const Report = z.object({
  development: z.boolean().meta({ description: 'Mail goes to the development inbox: nothing is refused, and what would block real sending is a warning' }),
  relay: z.string().meta({ description: 'Where mail goes (LUPA_SMTP_URL without credentials)' }),
  blocking: z.boolean().meta({ description: 'An item is blocking: marketing e-mail campaigns are refused (LAUNCH_NOT_DELIVERABLE)' }),
  items: z.array(Item),
  records: z.array(z.object({ name: z.string(), type: z.enum(['TXT', 'MX']), value: z.string(), purpose: z.string() })).meta({ description: 'The DNS records to publish; a TXT value over 255 characters goes into the zone as several strings' }),
  notChecked: z.array(z.string()).meta({ description: 'What the report cannot see from here' }),
});

export function adminRoutes(server: ZodServer, app: App): void {
  server.get(
    '/v1/admin/readiness',
    {
      onRequest: requirePermission(app, 'readiness.read'),
      schema: {
        tags: ['system'],
        summary: 'Sending readiness',
        description: `What \`lupa doctor\` reports: whether mail sent with this configuration can arrive (public URL, DKIM per brand, each sender domain's DMARC alignment, the return path), item by item with the fix, and the DNS records to publish (docs/going-live.md). ${rolesNote('readiness.read')}`,
        response: { 200: Report, ...errorResponses([]) },
      },
    },
    () => readinessReport({ campaigns: app.stores.campaigns, sending: app.sending }),
  );
}
