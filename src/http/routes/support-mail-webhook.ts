/**
 * `POST /v1/webhooks/support-mail`: a customer's mail to the support address as a mail provider's
 * inbound webhook parsed it (JSON), for an installation whose mail does not reach Lupa's SMTP
 * receiver. Filed exactly as a mail received there (docs/customer-service.md): it joins the ticket
 * it answers or opens one. The provider calls with an agent's key.
 */
import { z } from 'zod';
import { messageIds, refersTo } from '../../bounces/support-mail.ts';
import { ticketDeps, type App } from '../../composition-root.ts';
import { receiveSupportMail } from '../../use-cases/tickets/inbound-support-mail.ts';
import { requirePermission, rolesNote } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import type { ZodServer } from '../zod-provider.ts';

const MessageIds = z.string().max(10_000).optional().meta({ description: 'The header as sent: Message-IDs in angle brackets' });

const Body = z
  .strictObject({
    from: z.string().min(3).max(320).meta({ description: "The sender's address (the From header's)" }),
    fromName: z.string().max(200).nullish(),
    subject: z.string().max(1000).default(''),
    text: z.string().max(100_000).meta({ description: 'The text of the message (the provider’s plain-text part)' }),
    messageId: z.string().max(300).nullish(),
    inReplyTo: MessageIds,
    references: MessageIds,
    autoSubmitted: z.boolean().optional().meta({ description: 'An automatic answer (Auto-Submitted, an out-of-office reply)' }),
    attachments: z
      .array(z.object({ fileName: z.string().max(200), contentType: z.string().max(200), contentBase64: z.string() }))
      .max(20)
      .optional(),
  })
  .meta({ example: { from: 'aino.virtanen@example.fi', fromName: 'Aino Virtanen', subject: 'Lehti ei tullut', text: 'Tämän aamun lehti puuttuu.', messageId: '<q1@example.fi>' } });

export function supportMailWebhookRoutes(server: ZodServer, app: App): void {
  const deps = ticketDeps(app);
  server.post(
    '/v1/webhooks/support-mail',
    {
      onRequest: requirePermission(app, 'tickets.write'),
      // A message with its attachments, base64 (a third larger), within the SMTP receiver's own limit.
      bodyLimit: Math.ceil(app.config.LUPA_BOUNCE_MAX_BYTES * 1.4),
      schema: {
        tags: ['tickets'],
        summary: "A customer's mail to the support address (provider webhook)",
        description: `As a mail received at the SMTP receiver: it joins the ticket its In-Reply-To or References name (or its subject's [#ID] from the requester), else opens a ticket. ${rolesNote('tickets.write')}`,
        body: Body,
        response: { 200: z.object({ ticketId: z.number().int().nullable().meta({ description: 'null: a delivery report that answers no ticket (kept nowhere)' }), opened: z.boolean() }), ...errorResponses(['VALIDATION_FAILED']) },
      },
    },
    async (req) => {
      const b = req.body;
      return receiveSupportMail(deps, {
        from: b.from,
        fromName: b.fromName ?? null,
        subject: b.subject.replace(/\s+/g, ' ').trim(),
        messageId: b.messageId == null ? null : (messageIds(b.messageId)[0] ?? null),
        refersTo: refersTo(b.inReplyTo, b.references),
        text: b.text.trim(),
        attachments: (b.attachments ?? []).map((a) => ({ fileName: a.fileName, contentType: a.contentType, data: Buffer.from(a.contentBase64, 'base64') })),
        automatic: b.autoSubmitted === true,
        // A provider's webhook hands over customers' mail; its delivery reports go to the bounce webhook.
        deliveryReport: false,
      });
    },
  );
}
