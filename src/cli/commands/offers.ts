/**
 * `lupa offers`: the offer catalogue and the next best offer (docs/segments-and-predictions.md#offers):
 * list, show and change offers with their acceptance rates, rank one customer's offers on a channel
 * (audited as a read of the customer), and record an offer's outcome.
 */
import { acceptanceRate } from '../../core/offers/ranking.ts';
import type { Command } from 'commander';
import { DomainError } from '../../core/errors.ts';
import { isOfferLanguage, OFFER_CHANNELS, RECORDED_OUTCOMES, type OfferChannel, type OfferInput, type RecordedOutcome } from '../../core/offers/offer.ts';
import type { CatalogueOffer } from '../../core/offers/ports.ts';
import type { CustomerId } from '../../core/records.ts';
import { parseInstant } from '../../core/time.ts';
import { isOneOf } from '../../core/vocabulary.ts';
import { cliActor, printJson, withApp } from '../context.ts';
import { readJsonFile } from '../json-file.ts';
import { counted } from '../counted.ts';
import { positive } from '../parse-options.ts';
import { printTable } from '../table.ts';

const useCases = () => import('../../use-cases/offers/offers.ts');

interface OfferOptions {
  file?: string;
  code?: string;
  name?: string;
  sku?: string;
  price?: string;
  currency?: string;
  period?: string;
  channels?: string;
  validFrom?: string;
  validUntil?: string;
  segment?: string;
  minDays?: string;
  relationship?: string;
  value?: string;
  priority?: string;
  includeSubscribed?: boolean;
  fi?: string;
  sv?: string;
  en?: string;
  json?: boolean;
}

function withOfferOptions(command: Command): Command {
  return command
    .option('--file <file>', 'the offer as JSON, as the API takes it (- for stdin); the options below override it')
    .option('--code <code>', 'unique code (letters, digits, - and _)')
    .option('--name <name>', 'the name people see')
    .option('--sku <sku>', 'the product offered')
    .option('--price <euros>', 'price for the period, e.g. 59.00')
    .option('--currency <code>', 'ISO 4217 (default EUR)')
    .option('--period <months>', 'the period in months')
    .option('--channels <list>', 'comma list of web, phone, email')
    .option('--valid-from <iso-8601>', 'valid from (default now)')
    .option('--valid-until <iso-8601>', 'valid until (default no end)')
    .option('--segment <id>', 'only members of this segment')
    .option('--min-days <n>', 'not again within this many days of its last showing to the customer')
    .option('--relationship <r>', 'any, active, former or none')
    .option('--value <n>', 'the value in ranking (default the price, which is for the whole period)')
    .option('--priority <n>', 'the non-personal order, lower first (default 100)')
    .option('--include-subscribed', 'offer it also to customers subscribing to the product')
    .option('--fi <text>', 'explanation in Finnish ({product}, {price}, {period} are filled in)')
    .option('--sv <text>', 'explanation in Swedish')
    .option('--en <text>', 'explanation in English')
    .option('--json', 'print the offer as JSON');
}

function number(value: string, field: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new DomainError('VALIDATION_FAILED', `${field} must be a number`, { field });
  return n;
}

/** The offer fields the options give, on top of --file's. */
function offerInput(o: OfferOptions): OfferInput {
  let input: Record<string, unknown> = {};
  if (o.file !== undefined) {
    input = readJsonFile(o.file, 'file') as Record<string, unknown>;
  }
  const set = (key: string, value: unknown): void => {
    if (value !== undefined) input[key] = value;
  };
  set('code', o.code);
  set('name', o.name);
  set('sku', o.sku);
  set('priceCents', o.price === undefined ? undefined : Math.round(number(o.price, 'price') * 100));
  set('currency', o.currency);
  set('periodMonths', o.period === undefined ? undefined : number(o.period, 'period'));
  set('channels', o.channels?.split(',').map((c) => c.trim()));
  set('validFrom', o.validFrom);
  set('validUntil', o.validUntil);
  set('segmentId', o.segment === undefined ? undefined : number(o.segment, 'segment'));
  set('minDaysSinceLastOffer', o.minDays === undefined ? undefined : number(o.minDays, 'minDays'));
  set('relationship', o.relationship);
  set('valueWeight', o.value === undefined ? undefined : number(o.value, 'value'));
  set('priority', o.priority === undefined ? undefined : number(o.priority, 'priority'));
  set('excludeSubscribed', o.includeSubscribed === true ? false : undefined);
  if (o.fi !== undefined || o.sv !== undefined || o.en !== undefined) {
    const given = (input['explanation'] ?? {}) as Record<string, unknown>;
    input['explanation'] = { ...given, ...(o.fi === undefined ? {} : { fi: o.fi }), ...(o.sv === undefined ? {} : { sv: o.sv }), ...(o.en === undefined ? {} : { en: o.en }) };
  }
  return input;
}

/** The acceptance rate as the API and the console give it: over decided showings only (a fresh showing waits IGNORED_AFTER_DAYS). */
const rate = (o: CatalogueOffer): string => {
  const r = acceptanceRate(o.stats);
  return r === null ? '-' : `${(100 * r).toFixed(1)} %`;
};

function offerLine(o: { id: number; code: string; name: string; sku: string; channels: string[]; priority: number }): string {
  return `offer ${o.id} ${o.code} "${o.name}": ${o.sku} on ${o.channels.join(', ')}, priority ${o.priority}`;
}

export function registerOffers(program: Command): void {
  const offers = program.command('offers').description('offers and the next best offer per customer (docs/segments-and-predictions.md#offers)');

  offers
    .command('list')
    .description('every offer with its outcomes and acceptance rate, in the default order')
    .option('--json', 'print one JSON object')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { listOffers } = await useCases();
      const list = await withApp(cmd, (app) => listOffers({ offers: app.stores.offers, now: app.now }));
      if (opts.json === true) return printJson({ offers: list });
      if (list.length === 0) return void process.stdout.write('no offers yet: lupa offers create --code CODE …\n');
      printTable(
        ['id', 'code', 'product', 'price', 'months', 'channels', 'valid until', 'shown', 'accepted', 'declined', 'ignored', 'rate'],
        list.map((o) => [o.id, o.code, o.sku, (o.priceCents / 100).toFixed(2), o.periodMonths, o.channels.join(','), o.validUntil ?? '-', o.stats.shown, o.stats.accepted, o.stats.declined, o.stats.ignored, rate(o)]),
      );
    });

  offers
    .command('show')
    .description('one offer with its eligibility, explanation and acceptance rate')
    .argument('<id>', 'offer id')
    .option('--json', 'print one JSON object')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      const { requireOffer } = await useCases();
      const o = await withApp(cmd, (app) => requireOffer({ offers: app.stores.offers, now: app.now }, positive(id, 'id')));
      if (opts.json === true) return printJson(o);
      process.stdout.write(
        `${offerLine(o)}\n${o.product.name} (${o.product.category}), ${(o.priceCents / 100).toFixed(2)} ${o.currency} for ${o.periodMonths} months, valid ${o.validFrom} – ${o.validUntil ?? 'no end'}\n` +
          `eligibility: ${JSON.stringify(o.eligibility)}\nexplanation (en): ${o.explanation.en}\n` +
          `outcomes: ${o.stats.shown} shown, ${o.stats.accepted} accepted, ${o.stats.declined} declined, ${o.stats.ignored} ignored; acceptance rate ${rate(o)}\n`,
      );
    });

  withOfferOptions(offers.command('create').description('add an offer to the catalogue')).action(async (opts: OfferOptions, cmd: Command) => {
    const input = offerInput(opts);
    const { createOffer } = await useCases();
    const o = await withApp(cmd, (app) => createOffer({ offers: app.stores.offers, now: app.now }, input, cliActor().actor));
    if (opts.json === true) printJson(o);
    else process.stdout.write(`${offerLine(o)}\n`);
  });

  withOfferOptions(offers.command('update').description('change an offer: the fields given (retire one with --valid-until)').argument('<id>', 'offer id')).action(
    async (id: string, opts: OfferOptions, cmd: Command) => {
      const input = offerInput(opts);
      const { updateOffer } = await useCases();
      const o = await withApp(cmd, (app) => updateOffer({ offers: app.stores.offers, now: app.now }, positive(id, 'id'), input));
      if (opts.json === true) printJson(o);
      else process.stdout.write(`${offerLine(o)}\n`);
    },
  );

  offers
    .command('rank')
    .description("a customer's next best offers on a channel (audited as a read of the customer)")
    .argument('<customer>', 'customer id')
    .requiredOption('--channel <channel>', 'web, phone or email')
    .option('--lang <lang>', "fi, sv or en (default the customer's)")
    .option('--at <iso-8601>', 'as of this time (default now)')
    .option('--explain', 'also list the offers not made, with why')
    .option('--json', 'print one JSON object')
    .action(async (customer: string, opts: { channel: string; lang?: string; at?: string; explain?: boolean; json?: boolean }, cmd: Command) => {
      const channel = offerChannel(opts.channel);
      if (opts.lang !== undefined && !isOfferLanguage(opts.lang)) throw new DomainError('VALIDATION_FAILED', 'lang must be fi, sv or en', { field: 'lang' });
      const lang = opts.lang;
      const { rankOffers } = await import('../../use-cases/offers/rank-offers.ts');
      const ranking = await withApp(cmd, async (app) => {
        const at = opts.at === undefined ? app.now() : parseInstant(opts.at, 'at');
        const r = await rankOffers(
          { ...app.stores, settings: app.settings, minGroup: app.config.LUPA_MIN_GROUP_SIZE },
          { customerId: customer as CustomerId, channel, at, explain: opts.explain === true, ...(lang === undefined ? {} : { lang: lang as 'fi' | 'sv' | 'en' }) },
        );
        await app.stores.audit.record({ at: app.now(), ...cliActor(), action: 'offers.read', customerId: customer, detail: { channel, personal: r.personal, offers: r.offers.map((o) => o.code) } });
        return r;
      });
      if (opts.json === true) return printJson(ranking);
      process.stdout.write(`${counted(ranking.offers.length, 'offer')} for ${customer} on ${channel} (${ranking.personal ? 'ranked by predicted acceptance × value' : 'default order: profiling not allowed'})\n`);
      for (const o of ranking.offers) process.stdout.write(`${o.rank}. ${o.code} ${o.name}, ${o.price}${o.reason === null ? '' : ` — ${o.reason}`}\n`);
      for (const n of ranking.notMade ?? []) process.stdout.write(`not made: ${n.code} (${n.reasons.join(', ')})\n`);
    });

  offers
    .command('outcome')
    .description('record what became of an offer made to a customer')
    .argument('<offer>', 'offer id')
    .argument('<customer>', 'customer id')
    .argument('<outcome>', RECORDED_OUTCOMES.join(', '))
    .requiredOption('--channel <channel>', 'web, phone or email')
    .option('--at <iso-8601>', 'when it happened, not in the future (default now)')
    .action(async (offer: string, customer: string, outcome: string, opts: { channel: string; at?: string }, cmd: Command) => {
      if (!isOneOf(RECORDED_OUTCOMES, outcome)) throw new DomainError('VALIDATION_FAILED', `outcome must be one of ${RECORDED_OUTCOMES.join(', ')}`, { field: 'outcome' });
      const channel = offerChannel(opts.channel);
      const { recordOutcome } = await useCases();
      await withApp(cmd, async (app) => {
        const input = { offerId: positive(offer, 'offer'), customerId: customer as CustomerId, channel, outcome: outcome as RecordedOutcome, source: cliActor().actor };
        await recordOutcome({ offers: app.stores.offers, customers: app.stores.customers, campaigns: app.stores.campaigns, now: app.now }, opts.at === undefined ? input : { ...input, at: parseInstant(opts.at, 'at') });
        await app.stores.audit.record({ at: app.now(), ...cliActor(), action: 'offers.outcome', customerId: customer, detail: { offerId: input.offerId, channel, outcome } });
      });
      // "shown to" the customer; "accepted" and "declined" by them.
      process.stdout.write(`recorded: offer ${offer} ${outcome} ${outcome === 'shown' ? 'to' : 'by'} ${customer} on ${channel}\n`);
    });

  offers
    .command('stats')
    .description('acceptance rates per offer (ignored: shown with no answer within 14 days)')
    .option('--json', 'print one JSON object')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { listOffers } = await useCases();
      const list = await withApp(cmd, (app) => listOffers({ offers: app.stores.offers, now: app.now }));
      const rows = list.map((o) => ({ id: o.id, code: o.code, ...o.stats, acceptanceRate: acceptanceRate(o.stats) }));
      if (opts.json === true) return printJson({ offers: rows });
      printTable(['id', 'code', 'shown', 'accepted', 'declined', 'ignored', 'rate'], list.map((o) => [o.id, o.code, o.stats.shown, o.stats.accepted, o.stats.declined, o.stats.ignored, rate(o)]));
    });
}

function offerChannel(value: string): OfferChannel {
  if (!isOneOf(OFFER_CHANNELS, value)) throw new DomainError('VALIDATION_FAILED', `channel must be one of ${OFFER_CHANNELS.join(', ')}`, { field: 'channel' });
  return value;
}
