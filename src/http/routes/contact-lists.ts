/**
 * Call lists and print files over HTTP, as `lupa export calls|post` writes them: only the customers
 * the ledger allows for phone or post marketing (rule 5), streamed as CSV through the one CSV writer.
 * They are personal data for the telesales team or the mail house: a marketer may download them
 * (the one place a marketer gets names and addresses), and every customer listed is audited as read
 * under the person or key that asked.
 */
import { PassThrough } from 'node:stream';
import { z } from 'zod';
import type { App } from '../../composition-root.ts';
import type { Sku } from '../../core/records.ts';
import { writeCsv } from '../../export/csv-writer.ts';
import { callList, printList } from '../../use-cases/contact-lists.ts';
import { actorOf, requirePermission, rolesNote } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import type { ZodServer } from '../zod-provider.ts';
import { filterOf, oneAttribute, SelectionFields } from './audience.ts';

const ListQuery = z
  .strictObject({ ...SelectionFields, excel: z.enum(['true', 'false']).optional().meta({ description: 'For Excel in a Finnish locale: a byte-order mark and `;` (default: LUPA_CSV_EXCEL)' }) })
  .superRefine(oneAttribute);

export function contactListRoutes(server: ZodServer, app: App): void {
  const lists = {
    calls: { list: callList, summary: 'A call list for telesales', what: 'phone marketing allowed (opt-outs, objections and the Robinson register applied), with whether a call is allowed now (quiet hours)' },
    post: { list: printList, summary: 'A print file for a mail house', what: 'post marketing allowed (opt-outs, objections and Posti-Robinson applied)' },
  } as const;
  for (const [name, { list, summary, what }] of Object.entries(lists)) {
    server.get(
      `/v1/exports/${name}.csv`,
      {
        onRequest: requirePermission(app, 'contact_lists.export'),
        schema: {
          tags: ['campaigns'],
          summary,
          description: `The customers of the selection with ${what}, as CSV (formula cells neutralised), as \`lupa export ${name}\` writes it. Every customer listed is audited as read. ${rolesNote('contact_lists.export')}`,
          querystring: ListQuery,
          produces: ['text/csv'],
          response: { 200: z.string().meta({ description: 'text/csv' }), ...errorResponses(['VALIDATION_FAILED', 'UNKNOWN_PRODUCT', 'INVALID_DATE']) },
        },
      },
      async (req, reply) => {
        const { excel, product, at, ...selection } = req.query;
        const actor = actorOf(req);
        const input = { sku: product === undefined ? null : (product as Sku), at: at ?? app.now(), filter: filterOf(selection), actor: { actor: actor.id, role: actor.role } };
        const rows = list({ ...app.stores, settings: app.settings }, input)[Symbol.asyncIterator]();
        // The first row is read before answering: an unknown product is refused as JSON, not as a broken CSV.
        const first = await rows.next();
        const out = new PassThrough();
        async function* all(): AsyncIterable<Record<string, string | number | boolean | null>> {
          if (first.done !== true) yield first.value as unknown as Record<string, string | number | boolean | null>;
          for (let next = await rows.next(); next.done !== true; next = await rows.next()) yield next.value as unknown as Record<string, string | number | boolean | null>;
        }
        writeCsv(out, all(), { excel: excel === undefined ? app.config.LUPA_CSV_EXCEL : excel === 'true' }).catch((err: unknown) => {
          req.log.error({ kind: err instanceof Error ? err.name : 'unknown' }, 'contact list export failed');
          out.destroy(err instanceof Error ? err : new Error('contact list export failed'));
        });
        return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name === 'calls' ? 'call-list' : 'print-file'}.csv"`).send(out as unknown as string); // a stream is sent as it is
      },
    );
  }
}
