/**
 * `lupa campaign list|skipped|explain`: the campaigns, who a campaign skipped and why (as a table or
 * a CSV file), and one recipient's decision with its evidence. Skipped recipients and an explanation
 * are reads of customers' data by a person: each customer is audited under the OS user.
 */
import { createWriteStream } from 'node:fs';
import type { Command } from 'commander';
import type { DeliveryRow } from '../../core/listings.ts';
import { writeCsv } from '../../export/csv-writer.ts';
import { explainDelivery, type DeliveryExplanation } from '../../use-cases/explain-delivery.ts';
import { allRows, allSkippedRecipients, listCampaigns } from '../../use-cases/listings.ts';
import { cliActor, printJson, printJsonLine, withApp } from '../context.ts';
import { counted } from '../counted.ts';
import { printTable } from '../table.ts';

export function registerCampaignReads(campaign: Command, campaignId: (value: string) => number): void {
  campaign
    .command('list')
    .description('every campaign, newest first, with its status and what it was decided for')
    .option('--json', 'print one JSON array')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const campaigns = await withApp(cmd, (app) => allRows(async (page) => {
        const got = await listCampaigns(app.stores, { limit: page.limit, ...(page.after === undefined ? {} : { after: Number(page.after) }) });
        return { rows: got.campaigns, next: got.next };
      }));
      if (opts.json === true) printJson(campaigns);
      else {
        printTable(
          ['id', 'name', 'status', 'purposes', 'channel', 'product', 'template', 'send at', 'as of'],
          campaigns.map((c) => [c.id, c.name, c.statusReason === null ? c.status : `${c.status} (${c.statusReason})`, (c.purposes ?? [c.purpose]).join('+'), c.channel, c.sku, c.templateId, c.sendAt, c.asOf]),
        );
      }
    });

  campaign
    .command('skipped')
    .description('the customers a campaign did not send to, with their reason codes (each one audited)')
    .argument('<id>', 'campaign id')
    .option('--reason <code>', 'only those skipped for this reason (docs/reasons.md)')
    .option('--out <file>', 'write CSV to this file (customerId, state, reasons, decidedAt)')
    .option('--excel', 'with --out: for Excel in a Finnish locale (default: LUPA_CSV_EXCEL)')
    .option('--json', 'print one JSON object a line')
    .action(async (id: string, opts: { reason?: string; out?: string; excel?: boolean; json?: boolean }, cmd: Command) => {
      const written = await withApp(cmd, async (app) => {
        const pages = allSkippedRecipients({ ...app.stores, now: app.now }, { campaignId: campaignId(id), reason: opts.reason, actor: cliActor() });
        if (opts.out !== undefined) return writeCsv(createWriteStream(opts.out), csvRows(pages), { excel: opts.excel === true || app.config.LUPA_CSV_EXCEL });
        let count = 0;
        for await (const page of pages) {
          count += page.length;
          if (opts.json === true) for (const row of page) await printJsonLine(row);
          else printTable(['customer', 'reasons'], page.map((d) => [d.customerId, d.reasons.join(' ')]), { header: count === page.length });
        }
        return count;
      });
      if (opts.out !== undefined) process.stdout.write(`wrote ${counted(written, 'row')} to ${opts.out}\n`);
    });

  campaign
    .command('explain')
    .description("why a recipient got the campaign's message or not: the delivery, and decide replayed as of the launch with its evidence (audited)")
    .argument('<id>', 'campaign id')
    .requiredOption('--customer <id>', 'customer id')
    .option('--json', 'print one JSON object')
    .action(async (id: string, opts: { customer: string; json?: boolean }, cmd: Command) => {
      const explanation = await withApp(cmd, async (app) => {
        const found = await explainDelivery({ ...app.stores, settings: app.settings }, { campaignId: campaignId(id), customerId: opts.customer });
        await app.stores.audit.record({ at: app.now(), ...cliActor(), action: 'campaign.delivery', customerId: found.customerId, detail: { campaign: found.campaignId } });
        return found;
      });
      if (opts.json === true) printJson(explanation);
      else process.stdout.write(`${explanationLines(explanation).join('\n')}\n`);
    });
}

async function* csvRows(pages: AsyncIterable<DeliveryRow[]>) {
  for await (const page of pages) {
    for (const d of page) yield { customerId: d.customerId, state: d.state, reasons: d.reasons.join(' '), decidedAt: d.decidedAt };
  }
}

/** The explanation for a person: the delivery, then each purpose's verdict and what it rested on. */
function explanationLines(e: DeliveryExplanation): string[] {
  const d = e.delivery;
  const lines = [
    `campaign ${e.campaignId}, customer ${e.customerId}: ${d.state}${d.basis === null ? '' : ` on ${d.basis}`} (${d.reasons.join(', ')})`,
    ...(d.sentAt === null ? [] : [`  sent ${d.sentAt}${d.bounce === null ? '' : `, came back: ${d.bounce}`}`]),
    `replayed as of ${e.asOf}: ${e.replayed.allowed ? `allowed on ${e.replayed.basis}` : 'not allowed'} (${e.replayed.reasons.join(', ')})`,
  ];
  for (const { purpose, decision } of e.decisions) {
    const ev = decision.evidence;
    lines.push(`  ${purpose}: ${decision.allowed ? `allowed on ${decision.basis}` : 'blocked'} (${decision.reasons.join(', ')})`);
    if (ev.consent !== null) lines.push(`    consent: ${ev.consent.value} at ${ev.consent.at} (ledger ${ev.consent.seq}, ${ev.consent.source})`);
    if (ev.objection !== null) lines.push(`    objection: ${ev.objection.value} at ${ev.objection.at} (ledger ${ev.objection.seq})`);
    for (const s of ev.suppressions) lines.push(`    suppression: ${s.reason} since ${s.at} (${s.source})`);
    if (ev.product !== null) {
      lines.push(`    orders considered for ${ev.product}${ev.consideredOrders.length === 0 ? ': none' : ':'}`);
      for (const o of ev.consideredOrders) {
        lines.push(`      ${o.id} ${o.sku} (${o.category}) ${o.startedAt}–${o.endedAt ?? ''}: ${o.similar ? 'similar' : 'not similar'}, ${o.live ? 'within the soft opt-in window' : 'ended before the window'}${o.optOutOffered ? '' : ', opt-out not offered'}`);
      }
    }
  }
  if (d.reasons.includes('DUPLICATE_ADDRESS')) lines.push('  DUPLICATE_ADDRESS: another customer with the same address got the message (one per address)');
  return lines;
}

