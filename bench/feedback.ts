/**
 * Feedback benchmark (docs/customer-service.md#feedback): an NPS survey of 10,000 customers (or all,
 * when fewer) drawn by seed in one statement and decided set-based as research by e-mail, the
 * questions handed to a sender that only counts them (the SMTP relay is the send benchmark's
 * matter); then the results grouped by month. Beside its bare reference in the same run: the same
 * sample's bare SELECT (md5 ordering, no decision, nothing written), and a bare `count(*)` over the
 * feedback requests.
 */
import { sql } from 'kysely';
import { feedbackDeps, type App } from '../src/composition-root.ts';
import type { MessageSender } from '../src/core/email-message.ts';
import { sendNpsSurvey } from '../src/use-cases/feedback/nps.ts';
import { feedbackResults } from '../src/use-cases/feedback/results.ts';
import { round } from './run.ts';

const SAMPLE = 10_000;

async function seconds<T>(run: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = performance.now();
  const value = await run();
  return { value, seconds: round((performance.now() - started) / 1000) };
}

export async function benchFeedback(app: App, customers: number): Promise<Record<string, unknown>> {
  const size = Math.min(SAMPLE, customers);
  let handedOff = 0;
  const counting: MessageSender = { send: async () => ({ messageId: `<bench.${++handedOff}@lupa.bench>`, response: '250' }), close: async () => undefined };
  const seed = `bench-${app.now()}`;
  const bare = await seconds(() => sql`SELECT c.id FROM customers c ORDER BY md5(${seed} || ':' || c.id), c.id LIMIT ${size}`.execute(app.database.db));
  const survey = await seconds(() => sendNpsSurvey(feedbackDeps(app, () => counting), { size, seed, channel: 'email', by: 'bench' }));
  const bareCount = await seconds(() => sql`SELECT count(*) AS n FROM feedback_requests`.execute(app.database.db));
  const results = await seconds(() => feedbackResults({ feedback: app.stores.feedback, minGroup: app.config.LUPA_MIN_GROUP_SIZE }, { kind: 'nps' }, 'month'));
  return {
    sample: size,
    survey: { seconds: survey.seconds, sent: survey.value.sent, skipped: survey.value.skipped, handedOff, bareSampleSeconds: bare.seconds, ratio: round(survey.seconds / Math.max(bare.seconds, 0.001), 1) },
    results: { seconds: results.seconds, groups: results.value.groups.length, bareCountSeconds: bareCount.seconds, ratio: round(results.seconds / Math.max(bareCount.seconds, 0.001), 1) },
  };
}
