/**
 * The same answer on every store: what one of them cannot hold (NUL, lone surrogates, years outside
 * 1900–2200) is refused at the edge with the field and line named, and the rest of a batch is kept.
 */
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/stores.ts';
import { textProblem } from '../core/storable-values.ts';
import { parseInstant } from '../core/time.ts';
import { buildServer } from '../http/server.ts';
import { createApiKey } from '../use-cases/api-keys.ts';
import { runImport } from './run-import.ts';

const fixture = (name: string): string => readFileSync(new URL(`../../test/fixtures/hostile/${name}`, import.meta.url), 'utf8');

it('finds NUL characters and lone surrogates, and lets paired surrogates (emoji) through', () => {
  expect(textProblem('Katu\u00001')).toMatch(/NUL/);
  expect(textProblem('x\uD800y')).toMatch(/surrogate/);
  expect(textProblem('\uDC00')).toMatch(/surrogate/);
  expect(textProblem('Hyvää joulua 🎄')).toBeNull();
  expect(() => parseInstant('0025-06-01T00:00:00Z', 'at')).toThrow(/between the years 1900 and 2200/);
  expect(() => parseInstant('0000-01-01T00:00:00Z', 'at')).toThrow(/1900/);
  expect(() => parseInstant('2201-01-01T00:00:00Z', 'at')).toThrow(/2200/);
  expect(parseInstant('1900-01-01T00:00:00Z', 'at')).toBe('1900-01-01T00:00:00.000Z');
});

describeEachStore('values every store can hold', (ctx) => {
  const importText = (text: string) => runImport({ database: ctx.app.database, settings: ctx.app.settings, now: ctx.app.now }, { stream: Readable.from(text), format: 'ndjson' });

  it('refuses NUL characters by line and field, and keeps the other rows', async () => {
    const result = await importText(fixture('nul-fields.ndjson'));
    expect(result.errors.map((e) => [e.line, e.field])).toEqual([
      [1, 'email'],
      [2, 'address.street'],
      [3, 'source'],
    ]);
  });

  it('refuses a lone surrogate in one row without failing the rest of its batch', async () => {
    const text = fixture('surrogate-batch.ndjson');
    const lines = text.trim().split('\n');
    const result = await importText(text);
    expect(result.errorCount).toBe(1);
    expect(result.imported.customer).toBe(lines.length - 1);
  });

  it('refuses a consent dated in the year 25, and the customer stays readable', async () => {
    const result = await importText(fixture('year25.ndjson'));
    expect(result.errors.map((e) => [e.line, e.field, e.code])).toEqual([[2, 'at', 'INVALID_DATE']]);
    expect((await ctx.app.stores.ledger.historyOf('Y25C1' as never)).length).toBe(0);
  });

  it('imports an order line given twice, whose product comes later in the file, as SQLite does', async () => {
    const result = await importText(fixture('fwd-dup.ndjson'));
    expect(result.errors).toEqual([]);
    expect(result.imported).toMatchObject({ product: 1, customer: 1, order: 1 });
    expect((await ctx.app.stores.catalogue.ordersOf('FR1796028437' as never)).map((o) => o.id)).toEqual(['FRO1796028437']);
  });

  it('answers the API with 400 and the field for the same inputs, on every route', async () => {
    const server = await buildServer(ctx.app);
    const { key } = await createApiKey({ apiKeys: ctx.app.stores.apiKeys, now: ctx.app.now }, { name: 'edge', role: 'admin' });
    const headers = { authorization: `Bearer ${key}` };
    try {
      const nul = await server.inject({ method: 'POST', url: '/v1/customers', headers, payload: { id: 'NUL1', kind: 'person', name: 'A\u0000B' } });
      expect(nul.statusCode).toBe(400);
      expect(nul.json()).toMatchObject({ error: 'VALIDATION_FAILED', field: 'name' });
      // A lone surrogate as JSON writes it (an escape): valid JSON, not valid Unicode text.
      const lone = await server.inject({ method: 'POST', url: '/v1/customers', headers: { ...headers, 'content-type': 'application/json' }, payload: '{"id":"LS1","kind":"person","name":"x","email":"a\\ud800@example.fi"}' });
      expect(lone.statusCode).toBe(400);
      expect(lone.json()).toMatchObject({ error: 'VALIDATION_FAILED', field: 'email' });
      const inPath = await server.inject({ method: 'GET', url: '/v1/customers/A%00B', headers });
      expect(inPath.statusCode).toBe(400);
      expect(inPath.json()).toMatchObject({ field: 'id' });
    } finally {
      await server.close();
    }
  });
});
