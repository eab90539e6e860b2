/**
 * Inbound SMTP for what comes back to the return paths: accepts mail only for the bounce domain,
 * hands each message with its envelope recipients to the handler, and answers after the handler
 * has recorded it (so a message the handler could not take is retried by the sending system).
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export type BounceHandler = (raw: Buffer, envelopeTo: string[]) => Promise<void>;

export class BounceReceiver {
  private server: SMTPServer | null = null;

  constructor(
    private readonly bounceDomain: string,
    private readonly handle: BounceHandler,
  ) {}

  async start(host: string, port: number): Promise<number> {
    const domain = `@${this.bounceDomain.toLowerCase()}`;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      size: 10 * 1024 * 1024,
      logger: false,
      onRcptTo: (address, _session, callback) => {
        if (address.address.toLowerCase().endsWith(domain)) callback();
        else callback(Object.assign(new Error('no such user here'), { responseCode: 550 }));
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          this.handle(Buffer.concat(chunks), session.envelope.rcptTo.map((r) => r.address)).then(
            () => callback(),
            () => callback(Object.assign(new Error('try again later'), { responseCode: 451 })),
          );
        });
      },
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    return (server.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server !== null) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
