/**
 * `npm run stand-ins`: the Meta and Google stand-ins (ad-platform-stand-ins.ts) as servers of their
 * own, so that a person can try audience syncs on this machine as the tests do (the real platforms
 * cannot be reached from here). Prints the settings to start Lupa with, then every request the
 * stand-ins refuse (a format the platform would refuse too), and on Ctrl-C what each audience holds.
 * Ports: LUPA_STAND_IN_META_PORT (18091) and LUPA_STAND_IN_GOOGLE_PORT (18092).
 */
import { startStandIns } from './stand-ins-runner.ts';

const running = await startStandIns({
  metaPort: Number(process.env.LUPA_STAND_IN_META_PORT ?? 18091),
  googlePort: Number(process.env.LUPA_STAND_IN_GOOGLE_PORT ?? 18092),
});
process.stdout.write(running.instructions);
const shown = { meta: 0, google: 0 };
const watch = setInterval(() => {
  for (const name of ['meta', 'google'] as const) {
    const violations = running[name].violations;
    for (const line of violations.slice(shown[name])) process.stdout.write(`refused by ${name}: ${line}\n`);
    shown[name] = violations.length;
  }
}, 500);
const stop = async (): Promise<void> => {
  clearInterval(watch);
  process.stdout.write(running.summary());
  await running.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
