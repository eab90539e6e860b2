/**
 * `lupa bounces parse FILE`: classify one raw bounce or complaint message (no database needed).
 * `lupa bounces receive FILE`: process a stored message exactly as the SMTP bounce receiver does.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { DomainError } from '../../core/errors.ts';
import { printJson, withApp } from '../context.ts';

/** Loaded when a bounces command runs, not for `lupa --help` (the parser and the channels are heavy). */
const parser = () => import('../../bounces/bounce-parser.ts');

async function readMessage(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    // The path is the operator's own input, so naming it is fine; the contents never are.
    const why = err instanceof Error && 'code' in err ? String(err.code) : 'unreadable';
    throw new DomainError('VALIDATION_FAILED', `cannot read message file ${file} (${why})`, { field: 'file' });
  }
}

export function registerBounces(program: Command): void {
  const bounces = program.command('bounces').description('bounce and complaint messages');
  bounces
    .command('parse')
    .description('classify a raw bounce, delay or feedback-report message (hard, soft, complaint, other)')
    .argument('<file>', 'the message as received (.eml)')
    .option('--json', 'print one JSON object')
    .action(async (file: string, opts: { json?: boolean }) => {
      const { parseBounce } = await parser();
      const result = await parseBounce(await readMessage(file));
      if (opts.json === true) {
        printJson({ class: result.class, recipient: result.recipient, status: result.status });
        return;
      }
      const cause = result.cause === 'sender' ? ` (sender-side: ${result.reason ?? 'unknown'})` : '';
      process.stdout.write(`${result.class} ${result.status ?? '-'} ${result.recipient ?? '-'}${cause}\n`);
    });
  bounces
    .command('receive')
    .description('process a stored bounce or complaint message as the SMTP receiver would: act on the delivery it is bound to, or hold it')
    .argument('<file>', 'the message as received (.eml)')
    .option('--rcpt <address>', 'the SMTP envelope recipient (default: the message’s Delivered-To, else To)')
    .option('--json', 'print one JSON object')
    .action(async (file: string, opts: { rcpt?: string; json?: boolean }, cmd: Command) => {
      const [{ reportAddressee }, { bounceDeps }, { receiveReport }] = await Promise.all([parser(), import('../../composition-root.ts'), import('../../use-cases/bounces.ts')]);
      const raw = await readMessage(file);
      const rcpt = opts.rcpt ?? reportAddressee(raw);
      const outcome = await withApp(cmd, (app) => receiveReport(bounceDeps(app), raw, rcpt === null ? [] : [rcpt]));
      if (opts.json === true) {
        printJson({ action: outcome.action, delivery: outcome.delivery, address: outcome.address });
        return;
      }
      process.stdout.write(`${outcome.action} ${outcome.delivery ?? '-'} ${outcome.address ?? '-'}\n`);
    });
}
