/**
 * Inbound SMS from the gateway (Twilio's webhook format: form-encoded `From`, `Body`, `MessageSid`,
 * signed with `X-Twilio-Signature`). A STOP reply becomes an opt-out at once. Unsigned or wrongly
 * signed requests are refused; without a configured auth token the route does not exist.
 */
import type { App } from '../../composition-root.ts';
import { validWebhookSignature } from '../../channels/sms/twilio-sms-gateway.ts';
import { DomainError } from '../../core/errors.ts';
import { handleSmsReply } from '../../use-cases/sms-replies.ts';
import { formFields } from '../form-body.ts';
import type { ZodServer } from '../zod-provider.ts';

/**
 * The largest webhook body taken. Twilio posts some twenty short fields, up to ten media URLs and
 * the message: at most 1,600 characters, 19,200 bytes when every one is a four-byte character
 * percent-encoded. A larger body is refused before it is read (413).
 */
export const SMS_WEBHOOK_BODY_LIMIT = 32 * 1024;

export function smsWebhookRoutes(server: ZodServer, app: App): void {
  const token = app.config.LUPA_SMS_AUTH_TOKEN;
  if (token === undefined) return;
  // The gateway posts a form: read as text in this route's own context (the API elsewhere takes JSON only).
  void server.register(async (webhook) => {
    webhook.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    smsReplyRoute(webhook, app, token);
  });
}

function smsReplyRoute(server: ZodServer, app: App, token: string): void {
  const url = `${app.publicUrl}/v1/webhooks/sms`;
  server.post<{ Body: unknown }>('/v1/webhooks/sms', { schema: { hide: true }, bodyLimit: SMS_WEBHOOK_BODY_LIMIT }, async (req, reply) => {
    const params = Object.fromEntries(formFields(typeof req.body === 'string' ? req.body : ''));
    const signature = req.headers['x-twilio-signature'];
    if (!validWebhookSignature(token, url, params, typeof signature === 'string' ? signature : undefined)) {
      throw new DomainError('FORBIDDEN', 'the request is not signed by the SMS gateway');
    }
    await handleSmsReply({ ...app.stores, now: app.now }, { from: params.From ?? '', body: params.Body ?? '', providerId: params.MessageSid ?? null });
    // An empty TwiML answer: no automatic reply.
    return reply.type('text/xml').send('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
  });
}
