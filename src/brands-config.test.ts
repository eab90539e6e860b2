/** LUPA_BRANDS_FILE: refused whole, with the field named, when anything in it is wrong. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBrands } from './brands-config.ts';
import { loadConfig } from './config.ts';

const dir = mkdtempSync(join(tmpdir(), 'lupa-brands-'));
let n = 0;
const brandsFrom = (content: unknown) => {
  const file = join(dir, `brands-${n++}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return () => loadBrands(loadConfig({ LUPA_BRANDS_FILE: file }));
};
const kotiposti = { name: 'kotiposti', fromName: 'Kotiposti', fromAddress: 'toimitus@kotiposti.fi', dkim: { domain: 'kotiposti.fi', selector: 'kp1', keyFile: '/etc/lupa/kp1.pem' } };

describe('the brands file', () => {
  it('adds its brands beside the default one, made of LUPA_SENDER_* and LUPA_DKIM_*', () => {
    const brands = brandsFrom({ brands: [kotiposti, { name: 'iltalehti', fromName: 'Iltalehti', fromAddress: 'uutiset@iltalehti.example.fi' }] })();
    expect([...brands.keys()]).toEqual(['default', 'kotiposti', 'iltalehti']);
    expect(brands.get('kotiposti')?.dkim).toEqual({ state: 'on', domain: 'kotiposti.fi', selector: 'kp1', keyFile: '/etc/lupa/kp1.pem', ed25519: { state: 'off' } });
    expect(brands.get('iltalehti')?.dkim).toEqual({ state: 'off' });
    expect(brands.get('default')).toMatchObject({ fromName: 'Lupa', fromAddress: 'noreply@lupa.localhost', dkim: { state: 'off' } });
  });

  it('names the field at fault: a DKIM block missing its selector, a second address, a brand given twice, the reserved name', () => {
    const { selector: _s, ...noSelector } = kotiposti.dkim;
    expect(brandsFrom({ brands: [{ ...kotiposti, dkim: noSelector }] })).toThrow(/^LUPA_BRANDS_FILE: brands\[0\]\.dkim\.selector: /);
    expect(brandsFrom({ brands: [{ ...kotiposti, fromAddress: 'a@kotiposti.fi, b@muu.fi' }] })).toThrow('LUPA_BRANDS_FILE: brands[0].fromAddress: must be one e-mail address');
    expect(brandsFrom({ brands: [kotiposti, kotiposti] })).toThrow('LUPA_BRANDS_FILE: brands[1].name: brand "kotiposti" is given twice');
    expect(brandsFrom({ brands: [{ ...kotiposti, name: 'default' }] })).toThrow(/^LUPA_BRANDS_FILE: brands\[0\]\.name: "default" is the brand of/);
    expect(brandsFrom({ brands: [{ ...kotiposti, colour: 'red' }] })).toThrow(/^LUPA_BRANDS_FILE: brands\[0\]: /);
  });

  it('refuses a file that is not JSON, or cannot be read, as CONFIG_INVALID', () => {
    expect(brandsFrom('{ brands: [')).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', field: 'LUPA_BRANDS_FILE', message: expect.stringContaining('is not JSON: line 1, column 3: unexpected "b"') }));
    // Cut short: where, not only "Unexpected end of JSON input".
    expect(brandsFrom('{ "brands": [\n  {"name": "kotiposti"')).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', details: { line: 2, column: 23 } }));
    expect(() => loadBrands(loadConfig({ LUPA_BRANDS_FILE: join(dir, 'missing.json') }))).toThrow(/cannot read .*missing\.json \(ENOENT\)/);
  });

  it('takes a second key, Ed25519, with its own selector beside the RSA one, and names a field missing from it', () => {
    const ed25519 = { selector: 'kp1ed', keyFile: '/etc/lupa/kp1ed.pem' };
    const brands = brandsFrom({ brands: [{ ...kotiposti, dkim: { ...kotiposti.dkim, ed25519 } }] })();
    expect(brands.get('kotiposti')?.dkim).toMatchObject({ state: 'on', selector: 'kp1', ed25519: { state: 'on', ...ed25519 } });
    expect(brandsFrom({ brands: [{ ...kotiposti, dkim: { ...kotiposti.dkim, ed25519: { selector: 'kp1ed' } } }] })).toThrow(/^LUPA_BRANDS_FILE: brands\[0\]\.dkim\.ed25519\.keyFile: /);
  });

  it('reads LUPA_DKIM_ED25519_* beside a whole RSA setup as its second key; half of them, or them alone, as half a setup', () => {
    const rsa = { LUPA_DKIM_DOMAIN: 'uutisvirta.fi', LUPA_DKIM_SELECTOR: 'lupa2026', LUPA_DKIM_KEY_FILE: '/etc/lupa/dkim/rsa.pem' };
    const ed = { LUPA_DKIM_ED25519_SELECTOR: 'ed2026', LUPA_DKIM_ED25519_KEY_FILE: '/etc/lupa/dkim/ed.pem' };
    const dkimOf = (env: Record<string, string>) => loadBrands(loadConfig(env)).get('default')?.dkim;
    expect(dkimOf({ ...rsa, ...ed })).toMatchObject({ state: 'on', selector: 'lupa2026', ed25519: { state: 'on', selector: 'ed2026', keyFile: '/etc/lupa/dkim/ed.pem' } });
    expect(dkimOf(rsa)).toMatchObject({ state: 'on', ed25519: { state: 'off' } });
    expect(dkimOf({ ...rsa, LUPA_DKIM_ED25519_SELECTOR: 'ed2026' })).toMatchObject({ ed25519: { state: 'partial', given: ['LUPA_DKIM_ED25519_SELECTOR'], missing: ['LUPA_DKIM_ED25519_KEY_FILE'] } });
    expect(dkimOf(ed)).toEqual({ state: 'partial', given: ['LUPA_DKIM_ED25519_SELECTOR', 'LUPA_DKIM_ED25519_KEY_FILE'], missing: ['LUPA_DKIM_DOMAIN', 'LUPA_DKIM_SELECTOR', 'LUPA_DKIM_KEY_FILE'] });
  });

  it('reads one or two of the three LUPA_DKIM_* as a half setup, never as off', () => {
    const dkim = loadBrands(loadConfig({ LUPA_DKIM_DOMAIN: 'uutisvirta.fi' })).get('default')?.dkim;
    expect(dkim).toEqual({ state: 'partial', given: ['LUPA_DKIM_DOMAIN'], missing: ['LUPA_DKIM_SELECTOR', 'LUPA_DKIM_KEY_FILE'] });
  });
});
