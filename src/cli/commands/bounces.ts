/** `lupa bounces parse FILE`: classify one raw bounce or complaint message (no database needed). */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { parseBounce } from '../../bounces/bounce-parser.ts';
import { DomainError } from '../../core/errors.ts';
import { printJson } from '../context.ts';

export function registerBounces(program: Command): void {
  const bounces = program.command('bounces').description('bounce and complaint messages');
  bounces
    .command('parse')
    .description('classify a raw bounce, delay or feedback-report message (hard, soft, complaint, other)')
    .argument('<file>', 'the message as received (.eml)')
    .option('--json', 'print one JSON object')
    .action(async (file: string, opts: { json?: boolean }) => {
      let raw: Buffer;
      try {
        raw = await readFile(file);
      } catch (err) {
        // The path is the operator's own input, so naming it is fine; the contents never are.
        const why = err instanceof Error && 'code' in err ? String(err.code) : 'unreadable';
        throw new DomainError('VALIDATION_FAILED', `cannot read message file ${file} (${why})`, { field: 'file' });
      }
      const result = await parseBounce(raw);
      if (opts.json === true) {
        printJson({ class: result.class, recipient: result.recipient, status: result.status });
        return;
      }
      process.stdout.write(`${result.class} ${result.status ?? '-'} ${result.recipient ?? '-'}\n`);
    });
}
