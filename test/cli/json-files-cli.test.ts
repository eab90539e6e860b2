/**
 * Every JSON file a `lupa` command reads is refused, when it is not JSON, with its name, line and
 * column (a template, an offer, a segment rule: "Unexpected end of JSON input" said neither); and a
 * service template that prints the recipient's offer is refused by `lupa template add` at its line.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { lupa, PROCESS_TEST_TIMEOUT_MS } from '../support/processes.ts';
import { describeOnStore, freshStore, type TestStore } from '../support/stores.ts';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS });

describeOnStore('sqlite', 'JSON files on the command line', () => {
  let store: TestStore;
  let dir = '';
  const run = (args: string[]) => lupa(['--db', store.url, ...args]);
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  beforeAll(async () => {
    store = await freshStore('sqlite');
    dir = mkdtempSync(join(tmpdir(), 'lupa-json-'));
  });
  afterAll(async () => store.drop());

  it('names the file, the line and the column of a file cut short or with a stray character, for every command that reads one', async () => {
    // Cut short on line 3, after its 21 characters: column 22 is where the rest is missing.
    const cut = file('cut.json', '{\n  "all": [\n    {"attribute": "ci');
    for (const [args, field] of [
      [['segments', 'count', '--rule', cut], 'rule'],
      [['offers', 'create', '--file', cut], 'file'],
      [['template', 'add', cut], 'file'],
    ] as const) {
      const r = await run([...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(`VALIDATION_FAILED (${field}): ${cut} is not JSON: line 3, column 22: the text ends before the JSON does`);
    }
    const comma = file('comma.json', '{"code": "A",\n "name": "B",\n}');
    expect((await run(['offers', 'create', '--file', comma])).stderr).toContain(`${comma} is not JSON: line 3, column 1: unexpected "}"`);
    expect((await run(['template', 'add', join(dir, 'missing.json')])).stderr).toContain(`cannot read ${join(dir, 'missing.json')} (ENOENT)`);
  });

  it("refuses a service template that prints the recipient's offer, naming the field and the line", async () => {
    const mjml = '<mjml><mj-body><mj-section><mj-column>\n<mj-text>Lehti myöhästyy.</mj-text>\n<mj-text>{% if offer.name %}{{ offer.explanation }}{% endif %}</mj-text>\n</mj-column></mj-section></mj-body></mjml>';
    const svc = file('disruption-offer.json', JSON.stringify({ id: 'disruption-offer', kind: 'service', defaultLocale: 'fi', locales: { fi: { subject: 'Jakeluhäiriö', mjml } } }));
    const r = await run(['template', 'add', svc]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("TEMPLATE_INVALID (locales.fi.mjml): a service template cannot print the recipient's offer (offer.name in locales.fi.mjml at line 3)");
    expect((await run(['template', 'list', '--json'])).stdout).not.toContain('disruption-offer');
  });
});
