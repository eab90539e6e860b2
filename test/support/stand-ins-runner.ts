/**
 * Both ad platform stand-ins started together with fixed credentials, and the settings that point
 * Lupa at them (used by `npm run stand-ins`, run-ad-platform-stand-ins.ts).
 */
import { startGoogleStandIn, startMetaStandIn, type StandIn } from './ad-platform-stand-ins.ts';

/** The credentials the stand-ins check: not secrets, only what the settings below must match. */
export const STAND_IN_CREDENTIALS = {
  metaToken: 'stand-in-meta-token',
  googleDeveloperToken: 'stand-in-developer-token',
  googleAccessToken: 'stand-in-access-token',
  googleCustomerId: '1234567890',
} as const;

export interface RunningStandIns {
  meta: StandIn;
  google: StandIn;
  /** The environment settings that send Lupa's syncs to the stand-ins. */
  settings: Record<string, string>;
  /** What to print: where they listen and how to start Lupa against them. */
  instructions: string;
  /** Every refused request so far, `meta: …` / `google: …`, in order. */
  refusals(): string[];
  /** Requests answered by kind, and refusals, per stand-in. */
  summary(): string;
  close(): Promise<void>;
}

/** Starts both stand-ins on 127.0.0.1 (`0`: any free port). */
export async function startStandIns(ports: { metaPort: number; googlePort: number }): Promise<RunningStandIns> {
  const c = STAND_IN_CREDENTIALS;
  const meta = await startMetaStandIn(c.metaToken, ports.metaPort);
  const google = await startGoogleStandIn({ customerId: c.googleCustomerId, developerToken: c.googleDeveloperToken, accessToken: c.googleAccessToken }, ports.googlePort);
  const settings = {
    LUPA_META_API_URL: meta.url,
    LUPA_META_ACCESS_TOKEN: c.metaToken,
    LUPA_GOOGLE_ADS_API_URL: google.url,
    LUPA_GOOGLE_ADS_DEVELOPER_TOKEN: c.googleDeveloperToken,
    LUPA_GOOGLE_ADS_ACCESS_TOKEN: c.googleAccessToken,
    LUPA_GOOGLE_ADS_CUSTOMER_ID: c.googleCustomerId,
  };
  const env = Object.entries(settings).map(([k, v]) => `${k}=${v}`);
  const instructions = [
    `Meta stand-in (custom audience users): ${meta.url}`,
    `Google stand-in (offline user data jobs): ${google.url}`,
    'Each checks every request as strictly as the platform documents it and refuses anything else.',
    'Start Lupa against them (in another terminal):',
    `  ${env.join(' \\\n  ')} \\\n  npm start`,
    'Refused requests are printed here; Ctrl-C prints what each stand-in was sent.',
    '',
  ].join('\n');
  const summary = (name: string, s: StandIn): string =>
    `${name}: ${Object.entries(s.requests).map(([kind, n]) => `${kind} ${n}`).join(', ') || 'no requests'}; ${s.violations.length} refused`;
  return {
    meta,
    google,
    settings,
    instructions,
    refusals: () => [...meta.violations.map((v) => `meta: ${v}`), ...google.violations.map((v) => `google: ${v}`)],
    summary: () => `${summary('Meta', meta)}\n${summary('Google', google)}\n`,
    close: async () => {
      await meta.close();
      await google.close();
    },
  };
}
