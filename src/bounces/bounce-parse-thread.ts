/**
 * The bounce parser's worker thread (entry point; see threaded-bounce-parser.ts): parses each raw
 * message it is sent and posts the result back, so that parsing mail from outside never holds the
 * server's event loop. It reads customers' mail to the support address the same way. Never logs: the messages are full of personal data.
 */
import { parentPort, threadId } from 'node:worker_threads';
import { parseBounceSync } from './bounce-parser.ts';
import { parseSupportMail } from './support-mail.ts';

// `kind: 'support'`: a customer's mail to the support address (support-mail.ts); else a report.
parentPort?.on('message', (msg: { id: number; raw: Uint8Array; kind?: 'support' }) => {
  try {
    const raw = Buffer.from(msg.raw.buffer, msg.raw.byteOffset, msg.raw.byteLength);
    parentPort?.postMessage({ id: msg.id, result: msg.kind === 'support' ? parseSupportMail(raw) : parseBounceSync(raw), threadId });
  } catch (err) {
    parentPort?.postMessage({ id: msg.id, error: err instanceof Error ? err.name : 'Error' });
  }
});
