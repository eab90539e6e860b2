/**
 * SMS through an HTTP gateway speaking Twilio's documented Messages API: `POST
 * {base}/2010-04-01/Accounts/{AccountSid}/Messages.json`, form-encoded `To`, `From`, `Body` (and
 * `StatusCallback`), HTTP Basic auth with the account SID and auth token; the answer is JSON with
 * the message `sid` and `status`. The provider cannot be reached from here, so the tests run it
 * against a local stand-in server that speaks the same format.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { countSegments, type SmsSegments } from './segments.ts';

export interface SmsGatewaySettings {
  /** e.g. `https://api.twilio.com`; a stand-in server's URL in tests. */
  baseUrl: string;
  accountSid: string;
  authToken: string;
  /** Sender number or alphanumeric sender id. */
  from: string;
  statusCallbackUrl?: string;
}

export interface SmsMessage {
  to: string;
  body: string;
}

export interface SmsSendResult {
  providerId: string;
  status: string;
  segments: SmsSegments;
}

export class SmsGatewayError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly providerCode: string | null,
  ) {
    super(`SMS gateway refused the message (HTTP ${httpStatus}${providerCode === null ? '' : `, code ${providerCode}`})`);
  }
}

export class TwilioSmsGateway {
  constructor(private readonly settings: SmsGatewaySettings) {}

  async send(message: SmsMessage): Promise<SmsSendResult> {
    const { baseUrl, accountSid, authToken, from, statusCallbackUrl } = this.settings;
    const form = new URLSearchParams({ To: message.to, From: from, Body: message.body });
    if (statusCallbackUrl !== undefined) form.set('StatusCallback', statusCallbackUrl);
    const res = await fetch(`${baseUrl.replace(/\/$/, '')}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: form,
    });
    const json = (await res.json().catch(() => ({}))) as { sid?: string; status?: string; code?: number | string };
    // The error body may quote the number: keep only the status and the provider's code.
    if (!res.ok || typeof json.sid !== 'string') throw new SmsGatewayError(res.status, json.code === undefined ? null : String(json.code));
    return { providerId: json.sid, status: json.status ?? 'queued', segments: countSegments(message.body) };
  }
}

/**
 * Checks `X-Twilio-Signature` on a webhook: base64 HMAC-SHA1, keyed with the auth token, over the
 * full URL followed by every POST parameter name and value, sorted by name.
 */
export function validWebhookSignature(authToken: string, url: string, params: Record<string, string>, signature: string | undefined): boolean {
  if (signature === undefined) return false;
  const data = url + Object.keys(params).sort().map((k) => `${k}${params[k] ?? ''}`).join('');
  const expected = createHmac('sha1', authToken).update(data, 'utf8').digest();
  const given = Buffer.from(signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
