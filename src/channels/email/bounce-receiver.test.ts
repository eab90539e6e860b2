/** The bounce port's bounds: a message too large is refused at the socket, without the handler or memory seeing it. */
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BounceReceiver } from './bounce-receiver.ts';

const received: number[] = [];
const receiver = new BounceReceiver(
  'b.lupa.test',
  async (raw) => {
    received.push(raw.length);
  },
  { maxBytes: 64 * 1024, socketTimeoutMs: 30_000 },
);
let port = 0;

beforeAll(async () => {
  port = await receiver.start('127.0.0.1', 0);
});
afterAll(() => receiver.stop());

it('refuses a message over the size limit with 552 and takes one under it', async () => {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true });
  try {
    const big = `Subject: big\r\n\r\n${'x'.repeat(200 * 1024)}`;
    // The client does not check SIZE itself (as many senders do not): the server refuses while reading.
    await expect(transport.sendMail({ envelope: { from: '', to: ['r-1@b.lupa.test'] }, raw: big })).rejects.toThrow(/552/);
    await transport.sendMail({ envelope: { from: '', to: ['r-1@b.lupa.test'] }, raw: 'Subject: small\r\n\r\nhello' });
  } finally {
    transport.close();
  }
  expect(received).toHaveLength(1);
  expect(received[0]).toBeLessThan(1024);
});
