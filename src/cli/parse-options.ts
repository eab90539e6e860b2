/** Turns CLI option strings into use-case inputs, with the same validation the HTTP API uses. */
import type { Command } from 'commander';
import { parseChannel, parsePostcodePrefixes, parsePurpose } from '../core/parse-query.ts';
import type { AudienceFilter } from '../core/ports.ts';
import type { Instant, Sku } from '../core/records.ts';
import { parseInstant } from '../core/time.ts';
import { DomainError } from '../core/errors.ts';
import type { Channel, Purpose } from '../core/vocabulary.ts';

export interface QueryOptions {
  purpose?: string;
  channel?: string;
  product?: string;
  at?: string;
}

export function parseQueryOptions(opts: QueryOptions, now: () => Instant): { purpose: Purpose; channel: Channel; sku: Sku | null; at: Instant } {
  return {
    purpose: parsePurpose(opts.purpose),
    channel: parseChannel(opts.channel),
    sku: opts.product === undefined ? null : (opts.product as Sku),
    at: opts.at === undefined ? now() : parseInstant(opts.at, 'at'),
  };
}

export interface FilterOptions {
  where?: string;
  /** Each `--postcode-prefix` given, in order (each may be a comma list). */
  postcodePrefix?: string[];
  orderedSku?: string;
  orderedCategory?: string;
  orderedSince?: string;
  segment?: string;
}

const ATTRIBUTES = ['kind', 'locale', 'postalCode', 'city', 'country'] as const;

export function parseFilterOptions(opts: FilterOptions): AudienceFilter {
  const filter: AudienceFilter = {};
  if (opts.where !== undefined) {
    const [name, ...rest] = opts.where.split('=');
    const value = rest.join('=');
    const attribute = ATTRIBUTES.find((a) => a === name);
    if (attribute === undefined || value === '') {
      throw new DomainError('VALIDATION_FAILED', `where must be NAME=VALUE with NAME one of ${ATTRIBUTES.join(', ')}`, { field: 'where' });
    }
    filter.attribute = { name: attribute, value };
  }
  if (opts.postcodePrefix !== undefined) filter.postalCodePrefixes = parsePostcodePrefixes(opts.postcodePrefix, 'postcode-prefix');
  if (opts.orderedSku !== undefined) filter.orderedSku = opts.orderedSku as Sku;
  if (opts.orderedCategory !== undefined) filter.orderedCategory = opts.orderedCategory;
  if (opts.orderedSince !== undefined) filter.orderedSince = parseInstant(opts.orderedSince, 'ordered-since');
  if (opts.segment !== undefined) {
    const id = Number(opts.segment);
    if (!Number.isInteger(id) || id <= 0) throw new DomainError('VALIDATION_FAILED', 'segment must be a segment id (lupa segments list)', { field: 'segment' });
    filter.segment = id;
  }
  return filter;
}

/** The audience filter options, the same on every command that selects customers. */
export function withFilterOptions(command: Command): Command {
  return command
    .option('--where <name=value>', 'only customers whose kind, locale, postalCode, city or country equals the value')
    .option(
      '--postcode-prefix <digits>',
      'only customers whose postcode starts with these digits (a postcode area); repeat it or give a comma list (33,34,35) for several',
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option('--ordered-sku <sku>', 'only customers who ordered this product')
    .option('--ordered-category <category>', 'only customers who ordered something in this category')
    .option('--ordered-since <iso-8601>', 'only customers with an order started since then')
    .option('--segment <id>', 'only members of this segment as last computed (lupa segments list)');
}

/** A positive whole number given as an option; VALIDATION_FAILED naming `field` otherwise. */
export function positive(value: string, field: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new DomainError('VALIDATION_FAILED', `${field} must be a positive whole number`, { field });
  return n;
}

/** One of `choices`, given as an option; VALIDATION_FAILED naming `field` and the choices otherwise. */
export function oneOf<T extends string>(value: string, choices: readonly T[], field: string): T {
  if (!(choices as readonly string[]).includes(value)) throw new DomainError('VALIDATION_FAILED', `${field} must be one of ${choices.join(', ')}`, { field });
  return value as T;
}
