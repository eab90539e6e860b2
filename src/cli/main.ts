/** The `lupa` command line: parses arguments, runs one command, maps errors to exit codes. */
import { Command, CommanderError } from 'commander';
import { ERROR_CODES, isDomainError } from '../core/errors.ts';
import { registerAudience } from './commands/audience.ts';
import { registerAudiences } from './commands/audiences.ts';
import { registerEvents } from './commands/events.ts';
import { registerBounces } from './commands/bounces.ts';
import { registerCampaign } from './commands/campaign.ts';
import { registerTemplate } from './commands/template.ts';
import { registerProduct } from './commands/product.ts';
import { registerPredict } from './commands/predict.ts';
import { registerExport } from './commands/export.ts';
import { registerDecide } from './commands/decide.ts';
import { registerDemo } from './commands/demo.ts';
import { registerDkim } from './commands/dkim.ts';
import { registerDoctor } from './commands/doctor.ts';
import { registerImport } from './commands/import.ts';
import { registerKeys } from './commands/keys.ts';
import { registerMigrate } from './commands/migrate.ts';
import { registerOpenApi } from './commands/openapi.ts';
import { registerServe } from './commands/serve.ts';
import { registerSuppressions } from './commands/suppressions.ts';
import { registerUsers } from './commands/users.ts';
import { registerSegments } from './commands/segments.ts';
import { registerInterests } from './commands/interests.ts';
import { registerCalls } from './commands/calls.ts';
import { registerCustomers } from './commands/customers.ts';
import { registerTickets } from './commands/tickets.ts';
import { registerFeedback } from './commands/feedback.ts';
import { registerOffers } from './commands/offers.ts';
import { registerAds } from './commands/ads.ts';
import { registerRemarketing } from './commands/remarketing.ts';
import { registerWorker } from './commands/worker.ts';

export async function main(argv: string[]): Promise<number> {
  const program = new Command('lupa')
    .description('Lupa: customer communication and direct marketing that can prove every message was allowed.')
    .option('--db <url>', 'database: sqlite:PATH or postgres://… (default: env LUPA_DATABASE_URL, else sqlite:./data/lupa.db)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const register of [registerServe, registerImport, registerDecide, registerAudience, registerDemo, registerMigrate, registerKeys, registerUsers, registerBounces, registerCampaign, registerTemplate, registerSegments, registerProduct, registerExport, registerSuppressions, registerWorker, registerDoctor, registerDkim, registerOpenApi, registerPredict, registerInterests, registerCalls, registerCustomers, registerTickets, registerFeedback, registerOffers, registerAudiences, registerAds, registerEvents, registerRemarketing]) {
    register(program);
  }
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    return reportError(err);
  }
}

function reportError(err: unknown): number {
  if (err instanceof CommanderError) {
    // Help and version are "errors" to commander; they already printed.
    return err.exitCode === 0 ? 0 : ERROR_CODES.VALIDATION_FAILED.exit;
  }
  if (isDomainError(err)) {
    process.stderr.write(`error ${err.code}${err.field === undefined ? '' : ` (${err.field})`}: ${err.message}\n`);
    return ERROR_CODES[err.code].exit;
  }
  if (err instanceof CliExit) return err.code;
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  return 1;
}

/** Thrown by a command that already reported its outcome and wants a given exit code. */
export class CliExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}
