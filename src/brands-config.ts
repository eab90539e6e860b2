/**
 * The brands Lupa sends as: `default`, made of the single-sender settings, and those of the JSON
 * file LUPA_BRANDS_FILE names (docs/configuration.md#brands), validated once at start. A file that
 * cannot be read or is wrong is refused whole with CONFIG_INVALID naming the field
 * (`LUPA_BRANDS_FILE: brands[1].dkim.selector: …`); nothing of it is used half.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_BRAND, isOneAddress, type Brand, type DkimSetting, type Ed25519Setting } from './core/brands.ts';
import { DomainError, isDomainError } from './core/errors.ts';
import { parseJsonText } from './core/json-text.ts';
import type { Config } from './config.ts';

const Address = z
  .string()
  .refine(isOneAddress, 'must be one e-mail address (e.g. uutiset@example.fi)');

const Selector = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'must be a DNS label or labels (letters, digits, - and .)');

const BrandSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be 1–40 lowercase letters, digits and - (it is given as --brand NAME)')
    .refine((v) => v !== DEFAULT_BRAND, `"${DEFAULT_BRAND}" is the brand of LUPA_SENDER_NAME, LUPA_SENDER_ADDRESS and LUPA_DKIM_*; give this one another name`),
  fromName: z.string().trim().min(1).max(100).refine((v) => !/[\u0000-\u001f\u007f]/.test(v), 'must be one line'),
  fromAddress: Address,
  dkim: z
    .strictObject({
      domain: z.string().min(1),
      selector: Selector,
      keyFile: z.string().min(1),
      // A second key, signed alongside the RSA one (RFC 8463); its own selector, the same domain.
      ed25519: z
        .strictObject({
          selector: Selector,
          keyFile: z.string().min(1),
        })
        .optional(),
    })
    .optional(),
});

const BrandsFileSchema = z.strictObject({
  brands: z.array(BrandSchema).superRefine((brands, ctx) => {
    const seen = new Set<string>();
    brands.forEach((b, i) => {
      if (seen.has(b.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `brand "${b.name}" is given twice` });
      seen.add(b.name);
    });
  }),
});

/** Every brand by name, `default` first. */
export function loadBrands(config: Config): Map<string, Brand> {
  const brands = new Map<string, Brand>([[DEFAULT_BRAND, defaultBrand(config)]]);
  if (config.LUPA_BRANDS_FILE === undefined) return brands;
  for (const b of readBrandsFile(config.LUPA_BRANDS_FILE)) {
    const dkim: DkimSetting = b.dkim === undefined ? { state: 'off' } : { state: 'on', domain: b.dkim.domain, selector: b.dkim.selector, keyFile: b.dkim.keyFile, ed25519: b.dkim.ed25519 === undefined ? { state: 'off' } : { state: 'on', ...b.dkim.ed25519 } };
    brands.set(b.name, { name: b.name, fromName: b.fromName, fromAddress: b.fromAddress, dkim });
  }
  return brands;
}

function readBrandsFile(path: string): z.infer<typeof BrandsFileSchema>['brands'] {
  const field = 'LUPA_BRANDS_FILE';
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : 'unreadable';
    throw new DomainError('CONFIG_INVALID', `${field}: cannot read ${path} (${code})`, { field });
  }
  let json: unknown;
  try {
    json = parseJsonText(text, path, field);
  } catch (err) {
    // The same line and column as every JSON file read, as a configuration error.
    throw new DomainError('CONFIG_INVALID', `${field}: ${err instanceof Error ? err.message : 'not JSON'}`, { field, ...(isDomainError(err) && err.details !== undefined ? { details: err.details } : {}) });
  }
  const parsed = BrandsFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = (issue?.path ?? []).map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
    throw new DomainError('CONFIG_INVALID', `${field}: ${at === '' ? '' : `${at}: `}${issue?.message ?? 'invalid'}`, { field });
  }
  return parsed.data.brands;
}

/**
 * The brand of the single-sender settings; its DKIM is `partial` when one or two of the three
 * LUPA_DKIM_* are set, or only LUPA_DKIM_ED25519_* (an Ed25519 key signs only beside an RSA key).
 */
export function defaultBrand(config: Config): Brand {
  return {
    name: DEFAULT_BRAND,
    fromName: config.LUPA_SENDER_NAME,
    fromAddress: config.LUPA_SENDER_ADDRESS ?? `noreply@${config.LUPA_MAIL_DOMAIN}`,
    dkim: envDkim(config),
  };
}

function envDkim(config: Config): DkimSetting {
  const rsa = givenAndMissing({ LUPA_DKIM_DOMAIN: config.LUPA_DKIM_DOMAIN, LUPA_DKIM_SELECTOR: config.LUPA_DKIM_SELECTOR, LUPA_DKIM_KEY_FILE: config.LUPA_DKIM_KEY_FILE });
  const ed25519 = envEd25519(config);
  if (rsa.given.length === 0) {
    return ed25519.state === 'off' ? { state: 'off' } : { state: 'partial', given: ed25519.state === 'on' ? ['LUPA_DKIM_ED25519_SELECTOR', 'LUPA_DKIM_ED25519_KEY_FILE'] : ed25519.given, missing: rsa.missing };
  }
  if (config.LUPA_DKIM_DOMAIN === undefined || config.LUPA_DKIM_SELECTOR === undefined || config.LUPA_DKIM_KEY_FILE === undefined) return { state: 'partial', ...rsa };
  return { state: 'on', domain: config.LUPA_DKIM_DOMAIN, selector: config.LUPA_DKIM_SELECTOR, keyFile: config.LUPA_DKIM_KEY_FILE, ed25519 };
}

function envEd25519(config: Config): Ed25519Setting {
  const settings = givenAndMissing({ LUPA_DKIM_ED25519_SELECTOR: config.LUPA_DKIM_ED25519_SELECTOR, LUPA_DKIM_ED25519_KEY_FILE: config.LUPA_DKIM_ED25519_KEY_FILE });
  if (settings.given.length === 0) return { state: 'off' };
  if (config.LUPA_DKIM_ED25519_SELECTOR === undefined || config.LUPA_DKIM_ED25519_KEY_FILE === undefined) return { state: 'partial', ...settings };
  return { state: 'on', selector: config.LUPA_DKIM_ED25519_SELECTOR, keyFile: config.LUPA_DKIM_ED25519_KEY_FILE };
}

/** The names of the settings given and of those missing, in order. */
function givenAndMissing(settings: Record<string, string | undefined>): { given: string[]; missing: string[] } {
  const entries = Object.entries(settings);
  return { given: entries.filter(([, v]) => v !== undefined).map(([k]) => k), missing: entries.filter(([, v]) => v === undefined).map(([k]) => k) };
}
