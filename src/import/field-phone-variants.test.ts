/**
 * A field file of one Finnish number written eight ways (test/fixtures/field/ndjson-fi-phone-variants.ndjson):
 * every form that names the number unambiguously imports as the same E.164 form, the trunk zero
 * after +358 dropped; the one without either country code or trunk zero is refused, naming line,
 * field and what to write instead (docs/decisions/0004).
 */
import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/stores.ts';
import type { Instant } from '../core/records.ts';
import { runImport } from './run-import.ts';

const FILE = fileURLToPath(new URL('../../test/fixtures/field/ndjson-fi-phone-variants.ndjson', import.meta.url));

describeEachStore('the Finnish phone variants of the field file', (ctx) => {
  it('imports each unambiguous form as +358 40 123 450N and refuses the bare national one', async () => {
    const { database, settings } = ctx.app;
    const result = await runImport({ database, settings, now: () => '2026-01-01T00:00:00.000Z' as Instant }, { stream: createReadStream(FILE), format: 'ndjson' });

    const rows = await database.db.selectFrom('customers').select(['id', 'phone']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: 'P01', phone: '+358401234501' }, // +358 040 123 4501: the trunk zero after the country code dropped
      { id: 'P02', phone: '+358401234502' }, // 00358 40 …
      { id: 'P03', phone: '+358401234503' }, // 358401234503: country code without +, too long to be national
      { id: 'P04', phone: '+358401234504' }, // 040-123 4504
      { id: 'P05', phone: '+358401234505' }, // +358 (0)40 …
      { id: 'P07', phone: '+358401234507' }, // (040) 123 4507
      { id: 'P08', phone: '+358401234508' }, // +358 40 …
    ]);
    expect(result.errors).toEqual([
      {
        line: 7,
        field: 'phone',
        code: 'VALIDATION_FAILED',
        message: expect.stringMatching(/^phone is not a phone number with its leading 0 \(040 123 4567\) or country code/) as unknown,
      },
    ]);
    // The message says what to write, never the number itself.
    expect(result.errors[0]?.message).not.toContain('401234506');
  });
});
