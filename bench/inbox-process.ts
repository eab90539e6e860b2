/** The development inbox in a process of its own, so that receiving does not share the sender's event loop. */
import { DevInbox } from '../src/channels/email/dev-inbox.ts';

const inbox = new DevInbox(1);
const { port } = await inbox.start('127.0.0.1', 0);
process.stdout.write(`${port}\n`);
process.on('SIGTERM', () => void inbox.stop().then(() => process.exit(0)));
