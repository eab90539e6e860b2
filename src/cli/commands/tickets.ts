/**
 * `lupa tickets`: the support inbox from the command line (docs/customer-service.md): list, show,
 * reply (sent by e-mail as a service message, threaded) and close. Every ticket shown or listed is
 * audited as read under the operator's OS user.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { App } from '../../app.ts';
import { DomainError } from '../../core/errors.ts';
import { TICKET_STATUSES, type TicketStatus } from '../../core/tickets/ticket.ts';
import type { TicketView } from '../../use-cases/tickets/tickets.ts';
import { cliActor, printJson, printJsonLine, withApp } from '../context.ts';
import { positive } from '../parse-options.ts';
import { printTable } from '../table.ts';

const PAGE = 500;

function statusesOf(text: string | undefined): TicketStatus[] | undefined {
  if (text === undefined) return undefined;
  const out = text.split(',').map((s) => s.trim());
  const bad = out.find((s) => !(TICKET_STATUSES as readonly string[]).includes(s));
  if (bad !== undefined) throw new DomainError('VALIDATION_FAILED', `unknown status ${bad} (use ${TICKET_STATUSES.join(', ')})`, { field: 'status' });
  return out as TicketStatus[];
}

async function auditRead(app: App, action: string, tickets: readonly Pick<TicketView, 'id' | 'customerId'>[]): Promise<void> {
  const at = app.now();
  await Promise.all(tickets.map((t) => app.stores.audit.record({ at, ...cliActor(), action, customerId: t.customerId, detail: { ticketId: t.id } })));
}

function bodyFromFile(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch {
    throw new DomainError('VALIDATION_FAILED', `cannot read ${file}`, { field: 'body' });
  }
}

export function registerTickets(program: Command): void {
  const tickets = program.command('tickets').description('support tickets: the inbox, a ticket, replies (docs/customer-service.md)');
  const useCases = () => import('../../use-cases/tickets/tickets.ts');
  const root = () => import('../../composition-root.ts');

  tickets
    .command('list')
    .description('tickets, newest first, with their SLA state')
    .option('--status <list>', `only these statuses, separated by commas (${TICKET_STATUSES.join(', ')})`)
    .option('--queue <name>', 'only this queue')
    .option('--limit <n>', 'at most this many (default: all)')
    .option('--json', 'one JSON object per line: {"id", "customerId", "status", "subject", …}')
    .action(async (opts: { status?: string; queue?: string; limit?: string; json?: boolean }, cmd: Command) => {
      const status = statusesOf(opts.status);
      const max = opts.limit === undefined ? Infinity : positive(opts.limit, 'limit');
      const [{ listTickets }, { ticketDeps }] = await Promise.all([useCases(), root()]);
      await withApp(cmd, async (app) => {
        const deps = ticketDeps(app);
        const rows: TicketView[] = [];
        let before: number | undefined;
        for (let left = max; left > 0; ) {
          const page = await listTickets(deps, { status, queue: opts.queue, limit: Math.min(PAGE, left), before });
          await auditRead(app, 'tickets.list', page);
          if (opts.json === true) for (const t of page) await printJsonLine(t);
          else rows.push(...page);
          left -= page.length;
          if (page.length < PAGE) break;
          before = page.at(-1)?.id;
        }
        if (opts.json !== true) {
          printTable(
            ['id', 'status', 'priority', 'sla', 'queue', 'customer', 'subject'],
            rows.map((t) => [String(t.id), t.status, t.priority, t.sla.overall, t.queue, t.customerId ?? '-', t.subject]),
          );
        }
      });
    });

  tickets
    .command('show')
    .description('one ticket with its thread (internal notes included)')
    .argument('<id>', 'ticket id')
    .option('--json', 'print {"ticket", "messages"} as JSON')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      const [{ showTicket }, { ticketDeps }] = await Promise.all([useCases(), root()]);
      const shown = await withApp(cmd, async (app) => {
        const found = await showTicket(ticketDeps(app), positive(id, 'id'));
        await auditRead(app, 'tickets.read', [found.ticket]);
        return found;
      });
      if (opts.json === true) return printJson(shown);
      const t = shown.ticket;
      process.stdout.write(`ticket ${t.id} [${t.status}, ${t.priority}, ${t.queue}] ${t.subject}\n`);
      process.stdout.write(`from ${t.contact ?? '-'}${t.customerId === null ? '' : ` (customer ${t.customerId})`}; SLA ${t.sla.overall}: first response due ${t.firstResponseDue}, resolution due ${t.resolutionDue}\n`);
      for (const m of shown.messages) {
        const files = m.attachments.length === 0 ? '' : ` [attachments: ${m.attachments.map((a) => a.fileName).join(', ')}]`;
        process.stdout.write(`\n--- ${m.author}${m.authorName === null ? '' : ` ${m.authorName}`} at ${m.createdAt}${files}\n${m.body}\n`);
      }
    });

  tickets
    .command('reply')
    .description('reply to the requester by e-mail (a service message, threaded), or add an internal note')
    .argument('<id>', 'ticket id')
    .requiredOption('--body <file>', 'the text (- for stdin)')
    .option('--note', 'an internal note: kept in the thread, never sent')
    .option('--status <status>', 'the status after it (a reply: waiting unless given)')
    .option('--json', 'print the message as JSON')
    .action(async (id: string, opts: { body: string; note?: boolean; status?: string; json?: boolean }, cmd: Command) => {
      const body = bodyFromFile(opts.body);
      const status = statusesOf(opts.status)?.[0];
      const [{ createEmailSender, ticketReplyDeps }, { replyToTicket }] = await Promise.all([root(), import('../../use-cases/tickets/reply.ts')]);
      const message = await withApp(cmd, async (app) => {
        const sender = createEmailSender(app);
        try {
          return await replyToTicket(ticketReplyDeps(app, sender), { ticketId: positive(id, 'id'), body, agent: cliActor().actor, note: opts.note === true, status });
        } finally {
          await sender.close();
        }
      });
      if (opts.json === true) printJson(message);
      else process.stdout.write(`${message.author === 'note' ? 'note added to' : 'reply sent for'} ticket ${message.ticketId}${message.messageId === null ? '' : ` (${message.messageId})`}\n`);
    });

  tickets
    .command('close')
    .description('close a ticket: solved and final (an answer to it opens a new ticket)')
    .argument('<id>', 'ticket id')
    .option('--json', 'print the ticket as JSON')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      const [{ changeTicket }, { createEmailSender, ticketDeps }] = await Promise.all([useCases(), root()]);
      const ticket = await withApp(cmd, async (app) => {
        // Closing a ticket not solved before asks its customer the CSAT question (docs/customer-service.md#feedback).
        let sender: ReturnType<typeof createEmailSender> | undefined;
        try {
          return await changeTicket(ticketDeps(app, () => (sender ??= createEmailSender(app))), positive(id, 'id'), { status: 'closed' });
        } finally {
          await sender?.close();
        }
      });
      if (opts.json === true) printJson(ticket);
      else process.stdout.write(`ticket ${ticket.id} closed\n`);
    });
}
