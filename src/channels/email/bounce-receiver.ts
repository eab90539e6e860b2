/**
 * Inbound SMTP for what comes back to the return paths: accepts mail only for the bounce domain
 * (and the support address, which the handler routes to tickets),
 * hands each message with its envelope recipients to the handler, and answers after the handler
 * has recorded it (so a message the handler could not take is retried by the sending system).
 * A message larger than `maxBytes` is refused at the socket (552, RFC 5321 §4.5.3.1.10) without
 * being kept in memory; a client that stops sending is cut off after `socketTimeoutMs`.
 */
import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';

export type BounceHandler = (raw: Buffer, envelopeTo: string[]) => Promise<void>;

export interface BounceReceiverLimits {
  /** Largest message taken, in bytes (advertised as SIZE, enforced while reading). */
  maxBytes: number;
  /** Idle time after which a connection is closed, in milliseconds. */
  socketTimeoutMs: number;
  /** Called when the receiver stops (e.g. to end its parser thread). */
  onStop?: () => Promise<void>;
  /** Recipients taken beside the bounce domain (the support address), answered by the same handler. */
  alsoFor?: (address: string) => boolean;
}

const DEFAULT_LIMITS: BounceReceiverLimits = { maxBytes: 10 * 1024 * 1024, socketTimeoutMs: 30_000 };

export class BounceReceiver {
  private server: SMTPServer | null = null;

  constructor(
    private readonly bounceDomain: string,
    private readonly handle: BounceHandler,
    private readonly limits: BounceReceiverLimits = DEFAULT_LIMITS,
  ) {}

  async start(host: string, port: number): Promise<number> {
    const domain = `@${this.bounceDomain.toLowerCase()}`;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      size: this.limits.maxBytes,
      socketTimeout: this.limits.socketTimeoutMs,
      logger: false,
      onRcptTo: (address, _session, callback) => {
        if (address.address.toLowerCase().endsWith(domain) || this.limits.alsoFor?.(address.address) === true) callback();
        else callback(Object.assign(new Error('no such user here'), { responseCode: 550 }));
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        stream.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          // Past the limit the rest is read and dropped: the client gets its answer, memory stays bounded.
          if (bytes <= this.limits.maxBytes) chunks.push(chunk);
        });
        stream.on('end', () => {
          if (bytes > this.limits.maxBytes || stream.sizeExceeded) {
            callback(Object.assign(new Error('message exceeds fixed maximum message size'), { responseCode: 552 }));
            return;
          }
          this.handle(Buffer.concat(chunks), session.envelope.rcptTo.map((r) => r.address)).then(
            () => callback(),
            () => callback(Object.assign(new Error('try again later'), { responseCode: 451 })),
          );
        });
      },
    });
    this.server = server;
    // Nagle off: each SMTP answer is a small write the client waits for (as for the sender, smtp-sender.ts).
    server.server.on('connection', (socket: Socket) => socket.setNoDelay(true));
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
    await this.limits.onStop?.();
  }
}
