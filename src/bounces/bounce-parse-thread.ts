/**
 * The bounce parser's worker thread (entry point; see threaded-bounce-parser.ts): parses each raw
 * message it is sent and posts the result back, so that parsing mail from outside never holds the
 * server's event loop. Never logs: the messages are full of personal data.
 */
import { parentPort, threadId } from 'node:worker_threads';
import { parseBounceSync } from './bounce-parser.ts';

parentPort?.on('message', (msg: { id: number; raw: Uint8Array }) => {
  try {
    parentPort?.postMessage({ id: msg.id, result: parseBounceSync(Buffer.from(msg.raw.buffer, msg.raw.byteOffset, msg.raw.byteLength)), threadId });
  } catch (err) {
    parentPort?.postMessage({ id: msg.id, error: err instanceof Error ? err.name : 'Error' });
  }
});
