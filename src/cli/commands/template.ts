/** `lupa template add FILE.json`: store a message template after checking that it compiles; `lupa template list`. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { DomainError } from '../../core/errors.ts';
import type { TemplateDefinition } from '../../templates/index.ts';
import { allRows, listTemplates } from '../../use-cases/listings.ts';
import { printJson, withApp } from '../context.ts';
import { printTable } from '../table.ts';

export function registerTemplate(program: Command): void {
  const template = program.command('template').description('message templates (docs/templates.md)');
  template
    .command('add')
    .argument('<file>', 'a template definition as JSON')
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      let definition: TemplateDefinition;
      try {
        definition = JSON.parse(readFileSync(file, 'utf8')) as TemplateDefinition;
      } catch {
        throw new DomainError('VALIDATION_FAILED', `cannot read a JSON template from ${file}`, { field: 'file' });
      }
      // Refuse what would fail at send time: a service template with a promotion, bad MJML, unknown variables.
      const { compileTemplate } = await import('../../templates/index.ts');
      const compiled = await compileTemplate(definition);
      await withApp(cmd, (app) => app.stores.templates.save(compiled.id, definition, app.now()));
      process.stdout.write(`saved ${compiled.kind} template ${compiled.id} (${compiled.locales.join(', ')})\n`);
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
