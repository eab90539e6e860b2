/** `lupa template add FILE.json`: store a message template after checking that it compiles; `lupa template list`. */
import type { Command } from 'commander';
import type { TemplateDefinition } from '../../templates/index.ts';
import { allRows, listTemplates } from '../../use-cases/listings.ts';
import { parseChannel } from '../../core/parse-query.ts';
import type { CustomerId } from '../../core/records.ts';
import type { SmsEstimate } from '../../use-cases/sms-size.ts';
import { cliActor, printJson, withApp } from '../context.ts';
import { readJsonFile } from '../json-file.ts';
import { counted } from '../counted.ts';
import { printTable } from '../table.ts';

export function registerTemplate(program: Command): void {
  const template = program.command('template').description('message templates (docs/templates.md)');
  template
    .command('add')
    .argument('<file>', 'a template definition as JSON')
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      const definition = readJsonFile(file, 'file') as TemplateDefinition;
      // Refuse what would fail at send time: a service template with a promotion, bad MJML, unknown variables.
      const { compileTemplate } = await import('../../templates/index.ts');
      const compiled = await compileTemplate(definition);
      await withApp(cmd, (app) => app.stores.templates.save(compiled.id, definition, app.now()));
      process.stdout.write(`saved ${compiled.kind} template ${compiled.id} (${compiled.locales.join(', ')})\n`);
    });
  template
    .command('preview')
    .description("a template as a customer would get it (their name and language; audited), with --channel sms its SMS segments")
    .argument('<id>', 'template id')
    .requiredOption('--customer <id>', 'the customer to preview it for')
    .option('--locale <locale>', 'fi, sv or en instead of the customer\'s language')
    .option('--channel <channel>', 'sms: also the SMS text, its encoding and segments, and a warning when other names make it longer')
    .option('--json', 'print one JSON object')
    .action(async (id: string, opts: { customer: string; locale?: string; channel?: string; json?: boolean }, cmd: Command) => {
      const channel = opts.channel === undefined ? undefined : parseChannel(opts.channel);
      const preview = await withApp(cmd, async (app) => {
        const { previewForCustomer } = await import('../../use-cases/template-preview.ts');
        const got = await previewForCustomer(app.stores, { templateId: id, customerId: opts.customer as CustomerId, ...(opts.locale === undefined ? {} : { locale: opts.locale }), ...(channel === undefined ? {} : { channel }) });
        // Read with the customer's name: audited as the API's preview is, before it is shown.
        await app.stores.audit.record({ at: app.now(), ...cliActor(), action: 'template.preview', customerId: opts.customer, detail: { template: id } });
        return got;
      });
      if (opts.json === true) return printJson(preview);
      const lines = [`subject: ${preview.subject}`, `locale: ${preview.locale}`, `decided for: ${preview.purposes.join(' + ')}`, '', preview.text];
      if (preview.sms !== undefined) lines.push('', ...smsLines(preview.sms));
      process.stdout.write(`${lines.join('\n')}\n`);
    });
  template
    .command('list')
    .description('every stored template by id')
    .option('--json', 'print one JSON array')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const templates = await withApp(cmd, (app) => allRows(async (page) => {
        const got = await listTemplates(app.stores, page);
        return { rows: got.templates, next: got.next };
      }));
      if (opts.json === true) printJson(templates);
      else printTable(['id', 'kind', 'locales', 'created'], templates.map((t) => [t.id, t.kind, t.locales.join(','), t.createdAt]));
    });
}

/** The SMS of a preview: its size as gateways bill it, the text, and the warning when there is one. */
function smsLines(sms: SmsEstimate): string[] {
  const limit = sms.segments > 1 ? (sms.encoding === 'gsm7' ? 153 : 67) : sms.encoding === 'gsm7' ? 160 : 70;
  const used = limit - sms.remaining;
  return [
    `SMS (${sms.locale}): ${counted(sms.segments, 'segment')}, ${sms.encoding === 'gsm7' ? 'GSM-7' : 'UCS-2'}, ${used} of ${limit} in the last segment`,
    ...sms.text.split('\n').map((line) => `  ${line}`),
    ...(sms.warning === null ? [] : [`warning: ${sms.warning}`]),
  ];
}
