/** A recording SMTP sink for the process tests: every message's recipients and Message-ID, answered when the test says. */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SunkMessage {
  /** The envelope's recipients, joined by commas. */
  to: string;
  /** The Message-ID header as written, `<…>`; empty when there was none. */
  messageId: string;
}

/**
 * Starts a sink on a free port of 127.0.0.1. `onMessage` gets each message once it has arrived
 * whole, and `answer`, which sends the relay's 250: a message not answered yet is in flight for its
 * sender. A client that goes away mid-message (a killed worker) is no error of the sink.
 */
export async function startSmtpSink(onMessage: (message: SunkMessage, answer: () => void) => void): Promise<{ port: number; stop(): Promise<void> }> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const head = Buffer.concat(chunks).toString('utf8').split('\r\n\r\n')[0] ?? '';
        const to = session.envelope.rcptTo.map((r) => r.address).join(',');
        onMessage({ to, messageId: /^message-id:\s*(\S+)/im.exec(head)?.[1] ?? '' }, () => callback());
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
