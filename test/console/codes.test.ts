/**
 * Every code the API can return in the fields the console shows has a text in every language
 * (en, fi, sv), taken from the core's own lists: a code added without a text fails here. And the
 * one helper the console shows codes through never crashes on an unknown one.
 */
import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { CAMPAIGN_STATUSES, DELIVERY_STATES } from '../../src/core/campaign.ts';
import {
  ALLOWING_REASONS,
  BASES,
  BLOCKING_REASONS,
  CHANNELS,
  CONSENT_VALUES,
  CUSTOMER_KINDS,
  LAUNCH_REASONS,
  OBJECTION_SCOPES,
  PURPOSES,
  SALES_CHANNELS,
} from '../../src/core/vocabulary.ts';
import { CATALOGUE } from '../../src/demo/catalogue.ts';
import { CODE_SECTIONS, codeText, KNOWN_SOURCES, ledgerLine, type CodeKind } from '../../web/src/i18n/codes.ts';
import { en } from '../../web/src/i18n/en.ts';
import { fi } from '../../web/src/i18n/fi.ts';
import { sv } from '../../web/src/i18n/sv.ts';

const CATALOGUES = { en, fi, sv };

/** Every code per kind, from the lists the server itself validates and writes with. */
const CODES: Record<CodeKind, readonly string[]> = {
  reason: [...BLOCKING_REASONS, ...ALLOWING_REASONS, ...LAUNCH_REASONS],
  basis: BASES,
  kind: CUSTOMER_KINDS,
  // Categories are the operator's; the demo's own are the ones a try-out shows.
  category: [...new Set(CATALOGUE.map((p) => p.category))],
  soldVia: SALES_CHANNELS,
  deliveryState: DELIVERY_STATES,
  campaignStatus: CAMPAIGN_STATUSES,
  purpose: PURPOSES,
  channel: CHANNELS,
  source: KNOWN_SOURCES,
};

function at(catalogue: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), catalogue);
}

const translators: Record<string, TFunction> = {};

beforeAll(async () => {
  for (const [lng, catalogue] of Object.entries(CATALOGUES)) {
    const instance = i18next.createInstance();
    await instance.init({ lng, resources: { [lng]: { translation: catalogue } }, interpolation: { escapeValue: false } });
    translators[lng] = instance.t;
  }
});

describe('the console’s texts for codes', () => {
  for (const [lng, catalogue] of Object.entries(CATALOGUES)) {
    it(`has a text of its own for every code in ${lng}`, () => {
      const missing: string[] = [];
      for (const [kind, codes] of Object.entries(CODES) as [CodeKind, readonly string[]][]) {
        for (const code of codes) {
          const text = at(catalogue, `${CODE_SECTIONS[kind]}.${code}`);
          if (typeof text !== 'string' || text.trim() === '') missing.push(`${kind} ${code}`);
        }
      }
      for (const purpose of PURPOSES) if (typeof at(catalogue, `codes.ledgerLines.purposeTo.${purpose}`) !== 'string') missing.push(`purposeTo ${purpose}`);
      for (const channel of CHANNELS) if (typeof at(catalogue, `codes.ledgerLines.channelBy.${channel}`) !== 'string') missing.push(`channelBy ${channel}`);
      for (const scope of OBJECTION_SCOPES) {
        for (const key of ['objected', 'objectionWithdrawn']) if (typeof at(catalogue, `codes.ledgerLines.${key}.${scope}`) !== 'string') missing.push(`${key} ${scope}`);
      }
      expect(missing).toEqual([]);
    });

    it(`shows every code in ${lng} through the helper with the language's own text, never the raw code`, () => {
      const t = translators[lng] as TFunction;
      for (const [kind, codes] of Object.entries(CODES) as [CodeKind, readonly string[]][]) {
        for (const code of codes) {
          const text = codeText(t, kind, code);
          expect(text, `${kind} ${code}`).toBe(at(catalogue, `${CODE_SECTIONS[kind]}.${code}`));
          expect(text, `${kind} ${code}`).not.toMatch(/[A-Z]{2,}_[A-Z]|[a-z]_[a-z]/);
        }
      }
    });
  }

  it('uses the sections the helper reads', () => {
    const t = translators['en'] as TFunction;
    expect(codeText(t, 'reason', 'SOFT_OPT_IN')).toBe(en.codes.reasons.SOFT_OPT_IN);
    expect(codeText(t, 'campaignStatus', 'done')).toBe('done');
    expect(codeText(t, 'category', 'magazine_home')).toBe('home and interiors magazine');
  });

  it('reads an unknown code readably instead of crashing, and a further purpose’s reason with its purpose', () => {
    const t = translators['fi'] as TFunction;
    expect(codeText(t, 'reason', 'SOME_NEW_RULE')).toBe('some new rule');
    expect(codeText(t, 'category', 'garden_magazine')).toBe('garden magazine');
    expect(codeText(t, 'deliveryState', 'odd.state:x')).toBe('odd.state:x');
    expect(codeText(t, 'reason', 'partner_marketing:NO_LEGAL_BASIS')).toBe('kumppanimarkkinointi: Ei oikeusperustetta');
  });

  it('writes ledger records as sentences in each language', () => {
    const line = (lng: string, r: Parameters<typeof ledgerLine>[1]) => ledgerLine(translators[lng] as TFunction, r);
    const objection = { kind: 'objection' as const, scope: 'direct_marketing', value: 'objected' };
    expect(line('en', objection)).toBe('Objected to direct marketing');
    expect(line('fi', objection)).toBe('Vastusti suoramarkkinointia');
    expect(line('sv', objection)).toBe('Invände mot direktmarknadsföring');
    expect(line('en', { kind: 'consent', purpose: 'marketing', channel: 'email', value: 'granted' })).toBe('Consented to marketing by e-mail');
    expect(line('fi', { kind: 'consent', purpose: 'marketing', channel: 'email', value: 'withdrawn' })).toBe('Perui suostumuksen markkinointiin sähköpostitse');
    // Phone and post marketing need no consent: a withdrawal there is a "don't call me", and reads as a refusal.
    expect(line('en', { kind: 'consent', purpose: 'marketing', channel: 'phone', value: 'withdrawn' })).toBe('Refused marketing by phone');
    expect(line('fi', { kind: 'consent', purpose: 'marketing', channel: 'phone', value: 'withdrawn' })).toBe('Kielsi yhteydenotot puhelimitse (käyttötarkoitus: markkinointi)');
    expect(line('sv', { kind: 'consent', purpose: 'marketing', channel: 'post', value: 'withdrawn' })).toBe('Avböjde marknadsföring per post');
    expect(line('sv', { kind: 'consent', purpose: 'partner_marketing', channel: null, value: 'granted' })).toBe('Samtyckte till partnermarknadsföring i alla kanaler');
    expect(line('en', { kind: 'objection', scope: 'profiling', value: 'withdrawn' })).toBe('Withdrew the objection to profiling');
    for (const value of CONSENT_VALUES) expect(line('fi', { kind: 'consent', purpose: 'research', channel: 'post', value })).not.toMatch(/codes\./);
  });
});
