/**
 * The same answer on every store: what one of them cannot hold (NUL, lone surrogates, years outside
 * 1900–2200) is refused at the edge with the field and line named, and the rest of a batch is kept.
 */
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/stores.ts';
import { requireStorable, storableJsonText, textProblem } from '../core/storable-values.ts';
import { parseInstant } from '../core/time.ts';
import { buildServer } from '../http/server.ts';
import { createApiKey } from '../use-cases/api-keys.ts';
import { runImport } from './run-import.ts';

const fixture = (name: string): string => readFileSync(new URL(`../../test/fixtures/hostile/${name}`, import.meta.url), 'utf8');

it('walks a value nested a hundred thousand levels deep without recursing, and names the path of a bad text in it', () => {
  let deep: unknown = 'ok';
  for (let i = 0; i < 100_000; i++) deep = [deep];
  expect(() => requireStorable({ a: deep })).not.toThrow();
  let bad: unknown = 'x\u0000';
  for (let i = 0; i < 100_000; i++) bad = i === 50_000 ? { k: bad } : [bad];
  expect(() => requireStorable({ a: bad })).toThrow(/^a(\[0\]){49999}\.k(\[0\]){50000} contains a NUL character/);
  expect(() => requireStorable({ a: [1, { 'b\u0000': 'x' }] })).toThrow(expect.objectContaining({ field: 'a[1]', message: 'a field name contains a NUL character (U+0000)' }));
});

it('tells from JSON text whether its strings could hold NUL or a lone surrogate', () => {
  expect(storableJsonText('{"name":"Äänekoski 😀","n":[1,2]}')).toBe(true);
  expect(storableJsonText('{"name":"\\u00e4"}')).toBe(true);
  for (const text of ['{"a":"\\u0000"}', '{"a":"\\uD83D\\uDE00"}', '{"a":"\\udfff"}', '{"a":"\u0000"}', '{"a":"\uD800"}']) expect(storableJsonText(text)).toBe(false);
});

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

  it('refuses a line nested a hundred thousand levels deep by its line, and imports the rows around it', async () => {
    // Within the line limit, and deeper than any recursive walk of the value could go.
    const deep = `{"type":"customer","id":"D2","kind":"person","name":"x","extra":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const row = (id: string): string => JSON.stringify({ type: 'customer', id, kind: 'person', name: 'Aino' });
    const result = await importText([row('D1'), deep, row('D3')].join('\n'));
    expect(result.errors).toEqual([{ line: 2, field: null, code: 'INPUT_TOO_LARGE', message: 'the line nests arrays or objects deeper than 32 levels; a record has at most 2' }]);
    expect(result.imported.customer).toBe(2);
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
      // The same written as JSON escapes, in either case: the JSON text shows what its strings hold.
      for (const [payload, field] of [
        ['{"id":"NUL2","kind":"person","name":"A\\u0000B"}', 'name'],
        ['{"id":"LS2","kind":"person","name":"x","email":"a\\uDC00@example.fi"}', 'email'],
      ] as const) {
        const escaped = await server.inject({ method: 'POST', url: '/v1/customers', headers: { ...headers, 'content-type': 'application/json' }, payload });
        expect(escaped.statusCode).toBe(400);
        expect(escaped.json()).toMatchObject({ error: 'VALIDATION_FAILED', field });
      }
      // A body nested as deep as the body limit allows is read without recursion: refused, not a 500.
      const deep = await server.inject({ method: 'POST', url: '/v1/customers', headers: { ...headers, 'content-type': 'application/json' }, payload: `{"id":"DP1","kind":"person","name":"x","extra":${'['.repeat(30_000)}${']'.repeat(30_000)}}` });
      expect(deep.statusCode).toBe(400);
      expect(deep.json()).toMatchObject({ error: 'VALIDATION_FAILED' });
      const inPath = await server.inject({ method: 'GET', url: '/v1/customers/A%00B', headers });
      expect(inPath.statusCode).toBe(400);
      expect(inPath.json()).toMatchObject({ field: 'id' });
    } finally {
      await server.close();
    }
  });
});
