/** The settings, read and refused like every other setting. */
import { describe, expect, it } from 'vitest';
import { devInboxEnabled, loadConfig, sendsToDevInbox } from './config.ts';

describe('configuration of the sending workers', () => {
  it('reads channel rates, the poll interval and whether the server sends, with their defaults', () => {
    expect(loadConfig({})).toMatchObject({ LUPA_CHANNEL_RATES: {}, LUPA_WORKER_POLL_SECONDS: 5, LUPA_SERVE_WORKER: 'auto' });
    expect(loadConfig({ LUPA_CHANNEL_RATES: 'email=200,sms=20', LUPA_WORKER_POLL_SECONDS: '2', LUPA_SERVE_WORKER: 'off' })).toMatchObject({
      LUPA_CHANNEL_RATES: { email: 200, sms: 20 },
      LUPA_WORKER_POLL_SECONDS: 2,
      LUPA_SERVE_WORKER: 'off',
    });
  });

  it('refuses to start with an invalid value, naming the variable', () => {
    for (const [name, value] of [['LUPA_CHANNEL_RATES', 'email=fast'], ['LUPA_WORKER_POLL_SECONDS', '0'], ['LUPA_SERVE_WORKER', 'maybe']] as const) {
      expect(() => loadConfig({ [name]: value }), name).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', field: name }));
    }
  });
});

describe('configuration of the sender shown on the pages', () => {
  it('names the sender Lupa without a logo by default, and takes an https logo or a path on this server', () => {
    expect(loadConfig({}).LUPA_SENDER_NAME).toBe('Lupa');
    expect(loadConfig({}).LUPA_SENDER_LOGO_URL).toBeUndefined();
    for (const url of ['https://cdn.example.fi/logo.png', '/static/logo.svg']) {
      expect(loadConfig({ LUPA_SENDER_NAME: 'Sanomat', LUPA_SENDER_LOGO_URL: url })).toMatchObject({ LUPA_SENDER_NAME: 'Sanomat', LUPA_SENDER_LOGO_URL: url });
    }
  });

  it('refuses a logo that is not https or a path here: plain http, another host by //, script and data URLs', () => {
    for (const url of ['http://cdn.example.fi/logo.png', '//evil.example/logo.png', 'javascript:alert(1)', 'data:image/png;base64,AAAA', 'logo.png', '/a b.png']) {
      expect(() => loadConfig({ LUPA_SENDER_LOGO_URL: url }), url).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', field: 'LUPA_SENDER_LOGO_URL' }));
    }
    expect(() => loadConfig({ LUPA_SENDER_NAME: '  ' })).toThrow(expect.objectContaining({ field: 'LUPA_SENDER_NAME' }));
  });

  it('takes one sender address for the default brand, and refuses a second address or a header in it', () => {
    expect(loadConfig({ LUPA_SENDER_ADDRESS: 'uutiset@uutisvirta.fi' }).LUPA_SENDER_ADDRESS).toBe('uutiset@uutisvirta.fi');
    for (const address of ['uutiset@uutisvirta.fi, muu@example.fi', 'uutiset@uutisvirta.fi\r\nBcc: x@example.fi', 'Uutiset <uutiset@uutisvirta.fi>', 'uutisvirta.fi']) {
      expect(() => loadConfig({ LUPA_SENDER_ADDRESS: address }), address).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', field: 'LUPA_SENDER_ADDRESS' }));
    }
  });
});

describe('whether the development inbox runs', () => {
  const enabled = (env: Record<string, string>): boolean => devInboxEnabled(loadConfig(env));
  const postgres = 'postgres://lupa@db.example/lupa';

  it('runs by default only for the embedded SQLite demo', () => {
    expect(enabled({})).toBe(true);
    expect(enabled({ LUPA_DATABASE_URL: 'sqlite:./data/lupa.db' })).toBe(true);
    expect(enabled({ LUPA_DATABASE_URL: postgres })).toBe(false);
  });

  it('runs when LUPA_DEV_INBOX=1 and not when LUPA_DEV_INBOX=0, on either store', () => {
    expect(enabled({ LUPA_DATABASE_URL: postgres, LUPA_DEV_INBOX: '1' })).toBe(true);
    expect(enabled({ LUPA_DEV_INBOX: '0' })).toBe(false);
    expect(() => loadConfig({ LUPA_DEV_INBOX: 'yes' })).toThrow(/LUPA_DEV_INBOX/);
  });

  it('sends to its own inbox when LUPA_DEV_INBOX_PORT is moved and LUPA_SMTP_URL is unset, not to another instance\'s on 2525', () => {
    expect(loadConfig({}).LUPA_SMTP_URL).toBe('smtp://127.0.0.1:2525');
    const second = loadConfig({ LUPA_DEV_INBOX_PORT: '2535' });
    expect(second.LUPA_SMTP_URL).toBe('smtp://127.0.0.1:2535');
    expect(sendsToDevInbox(second)).toBe(true);
    // A relay that is set stays as set.
    expect(loadConfig({ LUPA_DEV_INBOX_PORT: '2535', LUPA_SMTP_URL: 'smtp://relay.example.fi:587' }).LUPA_SMTP_URL).toBe('smtp://relay.example.fi:587');
  });
});

describe('the headers a receiver trusts: unsubscribe mailbox, Feedback-ID sender, the sender’s postal address', () => {
  it('takes an unsubscribe mailbox as a local part or an address at the bounce domain', () => {
    expect(loadConfig({ LUPA_UNSUBSCRIBE_MAILBOX: 'unsubscribe' }).LUPA_UNSUBSCRIBE_MAILBOX).toBe('unsubscribe');
    expect(loadConfig({ LUPA_BOUNCE_DOMAIN: 'b.example.fi', LUPA_UNSUBSCRIBE_MAILBOX: 'Unsubscribe@B.example.fi' }).LUPA_UNSUBSCRIBE_MAILBOX).toBe('Unsubscribe@B.example.fi');
  });

  it('refuses a mailbox the inbound receiver would never get (another domain) or whose local part cannot carry the token', () => {
    for (const value of ['unsubscribe@example.fi', 'un+sub', 'a b', 'x'.repeat(31)]) {
      expect(() => loadConfig({ LUPA_BOUNCE_DOMAIN: 'b.example.fi', LUPA_UNSUBSCRIBE_MAILBOX: value }), value).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', field: 'LUPA_UNSUBSCRIBE_MAILBOX' }));
    }
  });

  it('refuses a Feedback-ID sender id with a colon (the separator) or spaces', () => {
    expect(loadConfig({ LUPA_FEEDBACK_SENDER_ID: 'uutisvirta.fi' }).LUPA_FEEDBACK_SENDER_ID).toBe('uutisvirta.fi');
    for (const value of ['a:b', 'two words', '']) {
      expect(() => loadConfig({ LUPA_FEEDBACK_SENDER_ID: value }), value).toThrow(expect.objectContaining({ field: 'LUPA_FEEDBACK_SENDER_ID' }));
    }
  });

  it('takes the sender’s postal address as one line', () => {
    expect(loadConfig({ LUPA_SENDER_POSTAL_ADDRESS: 'Töölönlahdenkatu 2, 00100 Helsinki' }).LUPA_SENDER_POSTAL_ADDRESS).toBe('Töölönlahdenkatu 2, 00100 Helsinki');
    expect(() => loadConfig({ LUPA_SENDER_POSTAL_ADDRESS: 'Katu 1\nHelsinki' })).toThrow(expect.objectContaining({ field: 'LUPA_SENDER_POSTAL_ADDRESS' }));
  });

  it('reads an empty DKIM setting as unset, so that doctor reports the half setup instead of the start failing', () => {
    const config = loadConfig({ LUPA_DKIM_DOMAIN: 'uutisvirta.fi', LUPA_DKIM_SELECTOR: '', LUPA_DKIM_KEY_FILE: '/etc/lupa/dkim.pem' });
    expect(config.LUPA_DKIM_SELECTOR).toBeUndefined();
    expect(config.LUPA_DKIM_DOMAIN).toBe('uutisvirta.fi');
  });
});
