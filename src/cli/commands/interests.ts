/**
 * `lupa interests`: the topics, one customer's stated and inferred interests, a stated interest
 * recorded, the inference run (docs/segments-and-predictions.md, "Interests").
 */
import type { Command } from 'commander';
import type { App } from '../../composition-root.ts';
import { DomainError } from '../../core/errors.ts';
import { INTEREST_SOURCES, INTEREST_VALUES, type CustomerInterests, type InterestTopic } from '../../core/interests/interests.ts';
import { isOneOf } from '../../core/vocabulary.ts';
import { cliActor, printJson, withApp } from '../context.ts';
import { counted } from '../counted.ts';
import { printTable } from '../table.ts';

const useCases = () => import('../../use-cases/interests/interests.ts');

interface TopicOptions {
  fi?: string;
  sv?: string;
  en?: string;
  categories?: string;
  json?: boolean;
}

const categoryList = (value: string | undefined): string[] | undefined => (value === undefined ? undefined : value.split(',').map((c) => c.trim()).filter((c) => c !== ''));

function topicLine(t: InterestTopic): string {
  return `${t.code}: ${t.names.en} / ${t.names.fi} / ${t.names.sv}${t.categories.length === 0 ? '' : ` (from ${t.categories.join(', ')})`}\n`;
}

function printInterests(i: CustomerInterests): void {
  if (i.stated.length === 0 && i.inferred.length === 0) {
    process.stdout.write(`no interests stated or inferred for ${i.customerId}\n`);
    return;
  }
  if (i.stated.length > 0) {
    process.stdout.write('stated (the latest record per topic):\n');
    printTable(['topic', 'value', 'source', 'by', 'at'], i.stated.map((s) => [s.topic, s.value, s.source, s.actor, s.at]));
  }
  if (i.inferred.length > 0) {
    process.stdout.write('inferred from trials:\n');
    printTable(['topic', 'weight', 'computed at'], i.inferred.map((x) => [x.topic, x.weight.toFixed(3), x.computedAt]));
  }
}

export function registerInterests(program: Command): void {
  const interests = program.command('interests').description('interests: topics people state or we infer from the products they tried (docs/segments-and-predictions.md)');

  interests
    .command('topics')
    .description('the interest topics, with the product categories that imply each')
    .option('--json', 'print one JSON object')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const topics = await withApp(cmd, (app) => app.stores.interests.topics());
      if (opts.json === true) printJson({ topics });
      else for (const t of topics) process.stdout.write(topicLine(t));
    });

  interests
    .command('add-topic')
    .description('offer a new topic (names in Finnish, Swedish and English)')
    .argument('<code>', 'lower-case letters, digits and _ (e.g. food)')
    .requiredOption('--fi <name>', 'name in Finnish')
    .requiredOption('--sv <name>', 'name in Swedish')
    .requiredOption('--en <name>', 'name in English')
    .option('--categories <list>', 'product categories whose trials imply the topic, comma-separated')
    .option('--json', 'print the topic as JSON')
    .action(async (code: string, opts: TopicOptions, cmd: Command) => {
      const { addTopic } = await useCases();
      const categories = categoryList(opts.categories);
      const { topic, unknown } = await withApp(cmd, async (app) => ({
        topic: await addTopic({ interests: app.stores.interests }, { code, names: { fi: opts.fi, sv: opts.sv, en: opts.en }, ...(categories === undefined ? {} : { categories }) }),
        unknown: await categoriesWithoutProducts(app, categories ?? []),
      }));
      if (opts.json === true) printJson(topic);
      else process.stdout.write(`added ${topicLine(topic)}`);
      // Allowed (the products may come later), but a typo would otherwise go unnoticed: said on stderr.
      if (unknown.length > 0) process.stderr.write(`note: no product is in ${unknown.join(', ')} yet: nothing implies the topic until one is (lupa products, or check the spelling)\n`);
    });

  interests
    .command('change-topic')
    .description('rename a topic, or replace the categories that imply it')
    .argument('<code>', 'the topic')
    .option('--fi <name>', 'new name in Finnish')
    .option('--sv <name>', 'new name in Swedish')
    .option('--en <name>', 'new name in English')
    .option('--categories <list>', 'the categories, comma-separated (replaces the list; "" for none)')
    .option('--json', 'print the topic as JSON')
    .action(async (code: string, opts: TopicOptions, cmd: Command) => {
      const { changeTopic } = await useCases();
      const categories = categoryList(opts.categories);
      const topic = await withApp(cmd, (app) => changeTopic({ interests: app.stores.interests }, code, { names: { fi: opts.fi, sv: opts.sv, en: opts.en }, ...(categories === undefined ? {} : { categories }) }));
      if (opts.json === true) printJson(topic);
      else process.stdout.write(`changed ${topicLine(topic)}`);
    });

  interests
    .command('show')
    .description("a customer's stated and inferred interests (audited as a read of the customer's data)")
    .argument('<customer>', 'customer id')
    .option('--json', 'print one JSON object')
    .action(async (customerId: string, opts: { json?: boolean }, cmd: Command) => {
      const { customerInterests, interestDeps } = await useCases();
      const found = await withApp(cmd, async (app) => {
        const result = await customerInterests(interestDeps(app), customerId);
        await app.stores.audit.record({ at: app.now(), ...cliActor(), action: 'interests.read', customerId, detail: {} });
        return result;
      });
      if (opts.json === true) printJson(found);
      else printInterests(found);
    });

  interests
    .command('record')
    .description('record what a customer said about a topic (appended, never edited)')
    .argument('<customer>', 'customer id')
    .argument('<topic>', 'topic code (lupa interests topics)')
    .requiredOption('--value <value>', 'interested or not_interested')
    .option('--source <source>', 'agent (default) or import', 'agent')
    .option('--json', "print the customer's interests as JSON")
    .action(async (customerId: string, topic: string, opts: { value: string; source: string; json?: boolean }, cmd: Command) => {
      if (!isOneOf(INTEREST_VALUES, opts.value)) throw new DomainError('VALIDATION_FAILED', `--value must be ${INTEREST_VALUES.join(' or ')}`, { field: 'value' });
      const source = opts.source;
      if (!isOneOf(INTEREST_SOURCES, source) || source === 'preference_page') throw new DomainError('VALIDATION_FAILED', '--source must be agent or import', { field: 'source' });
      const value = opts.value;
      const { recordInterest, interestDeps } = await useCases();
      const after = await withApp(cmd, async (app) => {
        const result = await recordInterest(interestDeps(app), { customerId, topic, value, source, actor: cliActor().actor });
        await app.stores.audit.record({ at: app.now(), ...cliActor(), action: 'interests.record', customerId, detail: { topic, value } });
        return result;
      });
      if (opts.json === true) printJson(after);
      else printInterests(after);
    });

  interests
    .command('refresh')
    .description('recompute every inferred interest now (only where profiling is allowed)')
    .option('--json', 'print one JSON object')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { refreshInterests, interestDeps } = await useCases();
      const run = await withApp(cmd, (app) => refreshInterests(interestDeps(app)));
      if (opts.json === true) printJson(run);
      else process.stdout.write(`${counted(run.inferred, 'inferred interest')} for ${counted(run.customers, 'customer')} as of ${run.computedAt} in ${run.ms} ms\n`);
    });
}

/** The categories no product of the catalogue is in (the topic's inference reads nothing from them). */
async function categoriesWithoutProducts(app: App, categories: readonly string[]): Promise<string[]> {
  if (categories.length === 0) return [];
  const known = new Set((await app.stores.catalogue.listProducts()).map((p) => p.category));
  return categories.filter((c) => !known.has(c));
}
