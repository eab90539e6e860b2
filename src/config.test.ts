/** The sending workers' settings, read and refused like every other setting. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

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
