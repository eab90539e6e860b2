/**
 * Send pipeline benchmark: launch (resolve the audience, decide) and send (claim, re-check,
 * render, build MIME, SMTP hand-off) a service notice to every customer of a 120,000-customer
 * store, into the local SMTP inbox running in its own process. Compared, in the same run, with a
 * plain loop of liquidjs render + MJML + nodemailer send per recipient.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Liquid } from 'liquidjs';
import mjml2html from 'mjml';
import nodemailer from 'nodemailer';
import { noDelaySocket, SmtpMessageSender } from '../src/channels/email/smtp-sender.ts';
import { createApp } from '../src/composition-root.ts';
import { loadConfig } from '../src/config.ts';
import { demoToNdjson } from '../src/demo/generate-demo.ts';
import { runImport } from '../src/import/run-import.ts';
import { createCampaign, launchCampaign } from '../src/use-cases/campaigns.ts';
import { sendCampaign } from '../src/use-cases/send-campaign.ts';

const CUSTOMERS = 120_000;
const NAIVE_MESSAGES = 3_000;
const MJML = `<mjml><mj-body><mj-section><mj-column>
<mj-text font-size="20px">Hei {{ customer.firstName }},</mj-text>
<mj-text>Lehtesi jakelu myöhästyy tänään alueellasi myrskyn vuoksi. Pahoittelemme häiriötä.</mj-text>
<mj-button href="https://lupa.example/jakelu">Lue lisää</mj-button>
</mj-column></mj-section></mj-body></mjml>`;

export async function benchSendPipeline(workDir: string): Promise<Record<string, unknown>> {
  const inbox = await startInbox();
  try {
    const dbPath = join(workDir, 'send-pipeline.db');
    for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
    const app = await createApp(loadConfig({ LUPA_DATABASE_URL: `sqlite:${dbPath}`, LUPA_LOG_LEVEL: 'silent' }));
    await runImport({ database: app.database, settings: app.settings, now: app.now }, { stream: Readable.from(demoToNdjson({ customers: CUSTOMERS, seed: 3 })), format: 'ndjson' });
    const definition = { id: 'notice', kind: 'service', defaultLocale: 'fi', locales: { fi: { subject: 'Jakeluhäiriö, {{ customer.firstName }}', mjml: MJML } } };
    await app.stores.templates.save('notice', definition, app.now());
    const sender = new SmtpMessageSender({ url: `smtp://127.0.0.1:${inbox.port}`, bounceDomain: 'b.lupa.bench', messageIdDomain: 'lupa.bench', installationId: app.installationId, feedbackSenderId: 'lupa.bench', unsubscribeMailbox: null, maxConnections: 8, dkim: null, allowInsecure: true }, app.signer);
    const deps = { ...app.stores, sender, signer: app.signer, publicUrl: 'https://lupa.bench', settings: app.settings, sending: app.sending, trackingMode: 'consent' as const, now: app.now };

    const started = performance.now();
    const campaign = await createCampaign(deps, { name: 'bench notice', purpose: 'service', channel: 'email', sku: null, filter: {}, templateId: 'notice' });
    const launched = await launchCampaign(deps, { campaignId: campaign.id });
    const launchSeconds = (performance.now() - started) / 1000;
    const summary = await sendCampaign(deps, { campaignId: campaign.id, workerId: 'bench', batchSize: 500 });
    const seconds = (performance.now() - started) / 1000;
    await sender.close();
    await app.close();

    const naive = await naiveLoop(inbox.port);
    const perSecond = Math.round(summary.sent / seconds);
    return {
      customers: CUSTOMERS,
      queued: launched.counts.byState.queued ?? 0,
      sent: summary.sent,
      failed: summary.failed,
      launchSeconds: Number(launchSeconds.toFixed(2)),
      seconds: Number(seconds.toFixed(2)),
      messagesPerSecond: perSecond,
      naiveMessages: NAIVE_MESSAGES,
      naiveMessagesPerSecond: naive,
      ratioToNaive: Number((perSecond / naive).toFixed(2)),
    };
  } finally {
    inbox.process.kill('SIGTERM');
  }
}

/** The loop to beat: for each recipient, render Liquid into the MJML, run MJML, send with nodemailer. */
async function naiveLoop(port: number): Promise<number> {
  const liquid = new Liquid();
  // The same socket settings as Lupa's sender, so the comparison is about rendering and batching.
  const transport = nodemailer.createTransport({ pool: true, host: '127.0.0.1', port, ignoreTLS: true, maxConnections: 1, getSocket: noDelaySocket });
  const started = performance.now();
  for (let i = 0; i < NAIVE_MESSAGES; i++) {
    const source = await liquid.parseAndRender(MJML, { customer: { firstName: `Asiakas${i}` } });
    const { html } = await mjml2html(source);
    await transport.sendMail({ from: 'uutiset@lupa.bench', to: `asiakas${i}@example.fi`, subject: 'Jakeluhäiriö', html, text: 'Lehtesi jakelu myöhästyy.' });
  }
  const perSecond = Math.round(NAIVE_MESSAGES / ((performance.now() - started) / 1000));
  transport.close();
  return perSecond;
}

async function startInbox(): Promise<{ port: number; process: ChildProcess }> {
  const script = fileURLToPath(new URL('./inbox-process.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    child.once('exit', (code) => reject(new Error(`inbox exited with ${code}`)));
  });
  return { port, process: child };
}
