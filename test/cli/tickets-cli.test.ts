/**
 * `lupa tickets` as documented, on mail received at the inbound SMTP receiver: the contract's
 * `list --json` prints one JSON object per line with id, customerId, status and subject; `show`
 * prints the thread; `reply` sends by e-mail through LUPA_SMTP_URL (a recording inbox here) and
 * `--note` does not; `close` closes; an unknown status exits 2.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { DevInbox } from '../../src/channels/email/dev-inbox.ts';
import { createApp, startBounceReceiver } from '../../src/composition-root.ts';
import { loadConfig } from '../../src/config.ts';
import { lupa, PROCESS_TEST_TIMEOUT_MS } from '../support/processes.ts';
import { describeEachStoreUrl } from '../support/stores.ts';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS });

describeEachStoreUrl('lupa tickets', (store) => {
  const dir = mkdtempSync(join(tmpdir(), 'lupa-tickets-'));
  const inbox = new DevInbox(100);
  let env: Record<string, string> = {};
  const run = (args: string[]) => lupa(['--db', store().url, ...args], env);

  beforeAll(async () => {
    const inboxPort = (await inbox.start('127.0.0.1', 0)).port;
    env = { LUPA_SMTP_URL: `smtp://127.0.0.1:${inboxPort}`, LUPA_TICKET_FILES_DIR: join(dir, 'files') };
    const app = await createApp(loadConfig({ LUPA_DATABASE_URL: store().url, LUPA_LOG_LEVEL: 'silent', ...env }));
    const started = await startBounceReceiver(app, { port: 0 });
    if (started === null) throw new Error('receiver did not start');
    const mailer = nodemailer.createTransport({ host: '127.0.0.1', port: started.port, ignoreTLS: true });
    for (const [i, subject] of ['Lasku väärin', 'Lehti ei tullut'].entries()) {
      await mailer.sendMail({ envelope: { from: `lukija${i}@example.fi`, to: ['support@lupa.localhost'] }, raw: `From: lukija${i}@example.fi\r\nTo: support@lupa.localhost\r\nSubject: ${subject}\r\nMessage-ID: <m${i}@example.fi>\r\n\r\nHei!\r\n` });
    }
    mailer.close();
    await started.receiver.stop();
    await app.close();
  });
  afterAll(() => inbox.stop());

  it('lists tickets as one JSON object per line, newest first', async () => {
    const listed = await run(['tickets', 'list', '--json']);
    expect(listed.code).toBe(0);
    const lines = listed.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((t) => [t.subject, t.status, t.customerId])).toEqual([
      ['Lehti ei tullut', 'new', null],
      ['Lasku väärin', 'new', null],
    ]);
    expect(lines[0]).toHaveProperty('id');
    const none = await run(['tickets', 'list', '--status', 'closed', '--json']);
    expect([none.code, none.stdout]).toEqual([0, '']);
    expect((await run(['tickets', 'list', '--status', 'done'])).code).toBe(2);
  });

  it('replies by e-mail, adds a note, shows the thread and closes', async () => {
    const text = join(dir, 'reply.txt');
    writeFileSync(text, 'Lähetämme uuden lehden.');
    expect((await run(['tickets', 'reply', '2', '--body', text])).code).toBe(0);
    const [sent] = await inbox.list();
    expect(sent).toMatchObject({ to: 'lukija1@example.fi', subject: 'Re: Lehti ei tullut [#2]' });
    expect((await run(['tickets', 'reply', '2', '--body', text, '--note'])).code).toBe(0);
    expect(await inbox.list()).toHaveLength(1);
    const shown = await run(['tickets', 'show', '2']);
    expect(shown.stdout).toContain('--- agent');
    expect(shown.stdout).toContain('--- note');
    expect((await run(['tickets', 'close', '2'])).code).toBe(0);
    expect(JSON.parse((await run(['tickets', 'list', '--status', 'closed', '--json'])).stdout)).toMatchObject({ id: 2, status: 'closed' });
  });
});
