/** The `lupa` process: runs the command line and exits with its code. dist/lupa.js is built from this file. */
import { main } from './main.ts';

// `lupa audience --list | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
process.exitCode = await main(process.argv);
