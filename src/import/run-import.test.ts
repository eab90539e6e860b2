import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/stores.ts';
import type { Instant } from '../core/records.ts';
import { toInstant } from '../core/time.ts';
import type { Schema } from '../storage/schema.ts';
import { runImport, type ImportResult } from './run-import.ts';

// A clock that moves on every reading, so a changed updated_at or recorded_at would show.
let tick = Date.parse('2025-06-01T00:00:00Z');
const clock = (): Instant => toInstant((tick += 1000));

const nd = (...records: object[]): string => records.map((r) => JSON.stringify(r)).join('\n') + '\n';
const product = (sku: string): object => ({ type: 'product', sku, name: `Lehti ${sku}`, category: 'daily' });
const customer = (id: string, extra: object = {}): object => ({ type: 'customer', id, kind: 'person', name: `Asiakas ${id}`, ...extra });
const order = (id: string, customerId: string, sku: string, extra: object = {}): object => ({
  type: 'order', id, customerId, sku, startedAt: '2024-01-01T00:00:00Z', endedAt: null, soldVia: 'telesales', optOutOffered: true, ...extra,
});
const consent = (customerId: string, extra: object = {}): object => ({
  type: 'consent', customerId, purpose: 'marketing', channel: 'email', value: 'granted', at: '2024-02-01T08:00:00Z', source: 'web', ...extra,
});

describeEachStore('runImport', (ctx) => {
  const run = (text: string | Iterable<string>, format: 'ndjson' | 'csv' = 'ndjson', batchSize?: number): Promise<ImportResult> => {
    const { database, settings } = ctx.app;
    const stream = Readable.from(typeof text === 'string' ? [text] : text);
    return runImport({ database, settings, now: clock }, { stream, format, ...(batchSize === undefined ? {} : { batchSize }) });
  };
  const db = () => ctx.app.database.db;
  const count = async (table: keyof Schema): Promise<number> =>
    Number((await db().selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const tableCounts = async (): Promise<{ products: number; customers: number; orders: number; ledger: number; suppressions: number }> => ({
    products: await count('products'),
    customers: await count('customers'),
    orders: await count('orders'),
    ledger: await count('ledger'),
    suppressions: await count('suppressions'),
  });
  const customerRow = (id: string) => db().selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
  const ledgerRows = (customerId: string) => db().selectFrom('ledger').selectAll().where('customer_id', '=', customerId).orderBy('seq').execute();

  it('imports every record type, normalising addresses', async () => {
    const result = await run(
      nd(
        product('A-HS'),
        customer('A1', { email: ' Matti@Example.FI ', phone: '040 123 4567', address: { street: 'Mannerheimintie 1', postalCode: '00100', city: 'Helsinki', country: 'FI' }, locale: 'fi' }),
        order('A-O1', 'A1', 'A-HS'),
        consent('A1'),
        { type: 'objection', customerId: 'A1', scope: 'profiling', at: '2024-03-01T00:00:00Z', source: 'phone' },
        { type: 'suppression', channel: 'phone', address: '+358 40 765 4321', reason: 'robinson', at: '2024-01-01T00:00:00Z' },
        { type: 'suppression', channel: 'post', address: { street: 'Mannerheimintie 1', postalCode: '00100' }, reason: 'robinson', at: '2024-01-01T00:00:00Z' },
      ),
    );
    expect(result).toEqual({
      rows: 7,
      imported: { product: 1, customer: 1, order: 1, consent: 1, objection: 1, suppression: 2 },
      unchanged: { product: 0, customer: 0, order: 0, consent: 0, objection: 0, suppression: 0 },
      errors: [],
      errorCount: 0,
      notices: [],
    });
    expect(await customerRow('A1')).toMatchObject({ email: 'matti@example.fi', phone: '+358401234567', postal_key: 'mannerheimintie 1|00100' });
    const phone = await db().selectFrom('suppressions').selectAll().where('address', '=', '+358407654321').executeTakeFirstOrThrow();
    expect(phone.valid_until).toBe('2027-01-01T00:00:00.000Z');
    expect((await ledgerRows('A1')).map((r) => [r.kind, r.purpose, r.value])).toEqual([
      ['consent', 'marketing', 'granted'],
      ['objection', 'profiling', 'objected'],
    ]);
  });

  it('reports a bad row with line, field and code, and writes nothing of it', async () => {
    const before = await tableCounts();
    const result = await run(
      nd(customer('B1'), customer('B2', { email: 'not-an-email' }), consent('B2'), order('B-O1', 'B1', 'B-none'), consent('B1', { purpose: 'spam' })) +
        '{"type":"customer",\n',
    );
    expect(result.errors).toEqual([
      { line: 2, field: 'email', code: 'VALIDATION_FAILED', message: 'email is not an e-mail address' },
      { line: 3, field: 'customerId', code: 'UNKNOWN_CUSTOMER', message: 'no customer with id B2' },
      { line: 4, field: 'sku', code: 'UNKNOWN_PRODUCT', message: 'no product with sku B-none' },
      { line: 5, field: 'purpose', code: 'UNKNOWN_PURPOSE', message: expect.stringContaining('purpose must be one of') },
      { line: 6, field: null, code: 'VALIDATION_FAILED', message: 'the line is not valid JSON' },
    ]);
    expect(result).toMatchObject({ rows: 6, errorCount: 5, imported: { customer: 1, consent: 0, order: 0 } });
    expect(await customerRow('B2')).toBeUndefined();
    expect(await tableCounts()).toEqual({ ...before, customers: before.customers + 1 });
  });

  it('changes nothing when the same file is imported twice', async () => {
    const file = nd(
      product('C-HS'),
      customer('C1', { email: 'c1@example.fi', emails: ['c1b@example.fi'], address: { street: 'Hämeenkatu 2', postalCode: '33100', city: 'Tampere', country: 'FI' } }),
      order('C-O1', 'C1', 'C-HS', { endedAt: '2024-12-31T00:00:00Z' }),
      consent('C1', { noticeVersion: 'v3', noticeLocale: 'fi', evidenceRef: 'form-1' }),
      consent('C1', { value: 'withdrawn', at: '2024-05-01T00:00:00Z' }),
      { type: 'objection', customerId: 'C1', scope: 'direct_marketing', at: '2024-06-01T00:00:00Z', source: 'letter' },
      { type: 'suppression', channel: 'email', address: 'C1@example.fi', reason: 'hard_bounce', at: '2024-01-01T00:00:00Z' },
    );
    const first = await run(file);
    expect(first.errorCount).toBe(0);
    const counts = await tableCounts();
    const customerBefore = await customerRow('C1');
    const ledgerBefore = await ledgerRows('C1');

    const second = await run(file);
    expect(second.imported).toEqual({ product: 0, customer: 0, order: 0, consent: 0, objection: 0, suppression: 0 });
    expect(second.unchanged).toEqual(first.imported);
    expect(await tableCounts()).toEqual(counts);
    expect(await customerRow('C1')).toEqual(customerBefore);
    expect(await ledgerRows('C1')).toEqual(ledgerBefore);
  });

  it('updates a changed customer but keeps its created_at', async () => {
    await run(nd(customer('D1', { name: 'Anna' })));
    const before = await customerRow('D1');
    const result = await run(nd(customer('D1', { name: 'Anna Korhonen' })));
    expect(result.imported.customer).toBe(1);
    const after = await customerRow('D1');
    expect(after).toMatchObject({ name: 'Anna Korhonen', created_at: before?.created_at });
    expect(after?.updated_at).not.toBe(before?.updated_at);
  });

  it('resolves references to rows earlier or later in the file across batches, and reports unknown ones', async () => {
    const result = await run(
      nd(
        product('E-HS'),
        customer('E1'),
        customer('E2'),
        order('E-O1', 'E1', 'E-HS'), // customer and product two batches back
        consent('A1', { at: '2024-04-04T00:00:00Z' }), // defined by an earlier import
        consent('E3'), // defined only on the next line: tried again after the whole file
        customer('E3'),
        consent('E9'),
      ),
      'ndjson',
      2,
    );
    expect(result.errors.map((e) => [e.line, e.field, e.code])).toEqual([[8, 'customerId', 'UNKNOWN_CUSTOMER']]);
    expect(result.imported).toMatchObject({ product: 1, customer: 3, order: 1, consent: 2 });
  });

  it('applies the same key twice in one batch in file order', async () => {
    const result = await run(nd(customer('F1', { name: 'First' }), customer('F1', { name: 'Second' }), customer('F1', { name: 'Second' })));
    expect(result).toMatchObject({ imported: { customer: 2 }, unchanged: { customer: 1 } });
    expect((await customerRow('F1'))?.name).toBe('Second');
  });

  it('appends ledger records with the same time in file order', async () => {
    await run(nd(customer('G1'), consent('G1', { value: 'granted' }), consent('G1', { value: 'withdrawn' }), consent('G1', { value: 'granted', source: 'phone' })));
    expect((await ledgerRows('G1')).map((r) => `${r.value}/${r.source}`)).toEqual(['granted/web', 'withdrawn/web', 'granted/phone']);
  });

  it('imports customers from CSV with RFC 4180 quoting, in any column order', async () => {
    const csv =
      'name,id,kind,email,phone,street,postalCode,city,country,locale\r\n' +
      '"Virtanen, Matti ""Masa""",H1,person,Matti@Example.FI,040 123 4567,"Kauppakatu 3\nB 4",20100,Turku,FI,fi\r\n' +
      'Oy Yritys Ab,H2,business,,,,,,,sv\r\n' +
      'Bad Phone,H3,person,,12,,,,,\r\n' +
      'No Postcode,H4,person,,,Katu 1,,Oulu,FI,\r\n';
    const result = await run(csv, 'csv');
    expect(result.errors.map((e) => [e.line, e.field, e.code])).toEqual([
      [5, 'phone', 'VALIDATION_FAILED'],
      [6, 'postalCode', 'VALIDATION_FAILED'],
    ]);
    expect(result).toMatchObject({ rows: 4, imported: { customer: 2 } });
    expect(await customerRow('H1')).toMatchObject({ name: 'Virtanen, Matti "Masa"', email: 'matti@example.fi', phone: '+358401234567', street: 'Kauppakatu 3\nB 4' });
    expect(await customerRow('H2')).toMatchObject({ kind: 'business', email: null, street: null, locale: 'sv' });
  });

  it('gives an address without a country the default of the API, FI, from NDJSON and CSV alike', async () => {
    const address = { street: 'Rauhankatu 5', postalCode: '15110', city: 'Lahti' };
    expect((await run(nd(customer('FI1', { address }), customer('FI2', { address: { ...address, country: '' } }), customer('SE1', { address: { ...address, country: 'SE' } })))).errorCount).toBe(0);
    expect((await run('id,kind,name,street,postalCode,city,country\nFI3,person,Liisa,Rauhankatu 5,15110,Lahti,\n', 'csv')).errorCount).toBe(0);
    expect((await run('id,kind,name,street,postalCode,city\nFI4,person,Pekka,Rauhankatu 5,15110,Lahti\n', 'csv')).errorCount).toBe(0);
    for (const id of ['FI1', 'FI2', 'FI3', 'FI4']) expect(await customerRow(id), id).toMatchObject({ street: 'Rauhankatu 5', country: 'FI' });
    expect(await customerRow('SE1')).toMatchObject({ country: 'SE' });
  });

  it('refuses a CSV header with an unknown column and imports nothing', async () => {
    const result = await run('id,kind,name,fax\nI1,person,Matti,123\n', 'csv');
    expect(result).toMatchObject({ rows: 0, errorCount: 1, errors: [{ line: 1, field: 'fax', code: 'VALIDATION_FAILED' }] });
    expect(await customerRow('I1')).toBeUndefined();
  });

  it('keeps the first 1,000 errors and counts the rest', async () => {
    const bad = Array.from({ length: 1_200 }, (_, i) => JSON.stringify(consent('J-none', { at: `2024-01-01T00:00:${String(i % 60).padStart(2, '0')}Z` }))).join('\n');
    const result = await run(bad);
    expect(result).toMatchObject({ rows: 1_200, errorCount: 1_200 });
    expect(result.errors).toHaveLength(1_000);
    expect(result.errors.at(-1)?.line).toBe(1_000);
  });

  it('streams a generated file of 20,000 records, and a second import changes nothing', async () => {
    function* generated(): Generator<string> {
      yield nd(product('K-HS'), product('K-AL'));
      for (let c = 0; c < 5_000; c++) {
        const id = `K${c}`;
        yield nd(
          customer(id, { email: `k${c}@example.fi`, phone: `+35850${String(c).padStart(7, '0')}` }),
          order(`K-O${c}a`, id, 'K-HS'),
          order(`K-O${c}b`, id, 'K-AL', { endedAt: '2024-06-01T00:00:00Z' }),
        );
        if (c < 4_999) yield nd(consent(id, { at: `2024-02-01T08:00:${String(c % 60).padStart(2, '0')}Z` }));
      }
    }
    const before = await tableCounts();
    const first = await run(generated());
    expect(first).toMatchObject({ rows: 20_001, errorCount: 0, imported: { product: 2, customer: 5_000, order: 10_000, consent: 4_999 } });
    const after = await tableCounts();
    expect(after).toEqual({ ...before, products: before.products + 2, customers: before.customers + 5_000, orders: before.orders + 10_000, ledger: before.ledger + 4_999 });
    const second = await run(generated());
    expect(second).toMatchObject({ errorCount: 0, unchanged: first.imported, imported: { customer: 0, order: 0, consent: 0 } });
    expect(await tableCounts()).toEqual(after);
  });
});
