/** The configuration view: secrets never shown, passwords in URLs masked, defaults told apart. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { configView, MASK, maskUrlSecrets } from './config-view.ts';

describe('configView', () => {
  const config = loadConfig({
    LUPA_SECRET: 'a-very-secret-signing-key-123',
    LUPA_SMS_AUTH_TOKEN: 'twilio-token-xyz',
    LUPA_DATABASE_URL: 'postgres://lupa:db-pass-42@db.internal:5432/lupa?sslmode=require',
    LUPA_SMTP_URL: 'smtps://apikey:relay-pass-7@smtp.relay.example:465',
    LUPA_PORT: '9090',
  });
  const view = configView(config);
  const text = JSON.stringify(view);

  it('never contains a secret value', () => {
    for (const secret of ['a-very-secret-signing-key-123', 'twilio-token-xyz', 'db-pass-42', 'relay-pass-7']) expect(text).not.toContain(secret);
    expect(view.find((e) => e.name === 'LUPA_SECRET')).toEqual({ name: 'LUPA_SECRET', value: null, source: 'set', secret: true });
  });

  it('keeps the rest of a URL readable', () => {
    expect(view.find((e) => e.name === 'LUPA_DATABASE_URL')?.value).toBe(`postgres://lupa:${MASK}@db.internal:5432/lupa?sslmode=require`);
    expect(view.find((e) => e.name === 'LUPA_SMTP_URL')?.value).toBe(`smtps://apikey:${MASK}@smtp.relay.example:465`);
  });

  it('tells a default from a set value, sorted by name', () => {
    expect(view.find((e) => e.name === 'LUPA_PORT')).toMatchObject({ value: '9090', source: 'set' });
    expect(view.find((e) => e.name === 'LUPA_HOST')).toMatchObject({ value: '127.0.0.1', source: 'default' });
    expect(view.map((e) => e.name)).toEqual([...view.map((e) => e.name)].sort());
  });

  it('counts a default that follows another setting as the default', () => {
    const moved = configView(loadConfig({ LUPA_DEV_INBOX_PORT: '2600' }));
    expect(moved.find((e) => e.name === 'LUPA_DEV_INBOX_PORT')).toMatchObject({ value: '2600', source: 'set' });
    expect(moved.find((e) => e.name === 'LUPA_SMTP_URL')).toMatchObject({ value: 'smtp://127.0.0.1:2600', source: 'default' });
  });

  it('masks password-like query parameters and leaves plain text alone', () => {
    expect(maskUrlSecrets('postgres://db/lupa?user=lupa&password=hunter22')).not.toContain('hunter22');
    expect(maskUrlSecrets('sqlite:./data/lupa.db')).toBe('sqlite:./data/lupa.db');
    expect(maskUrlSecrets('https://api.twilio.com')).toBe('https://api.twilio.com');
    expect(maskUrlSecrets('smtp://u:p@ss@host')).not.toContain('p@ss');
  });
});
