/**
 * The editor's working copy of a template definition (docs/templates.md) and where a server error
 * points in it: the field (`locales.fi.mjml`) and line the API names, so the editor can show the
 * message beside the text it concerns.
 */
export const LOCALES = ['fi', 'sv', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export interface LocaleDraft {
  subject: string;
  mjml: string;
  text?: string;
}

export interface TemplateDraft {
  id: string;
  kind: 'service' | 'marketing';
  defaultLocale: Locale;
  locales: Partial<Record<Locale, LocaleDraft>>;
  /** Kept as loaded: the editor does not change a partner block. */
  partnerBlock?: unknown;
}

/** A new template: Finnish only, a greeting to start from. */
export function blankDraft(): TemplateDraft {
  return {
    id: '',
    kind: 'marketing',
    defaultLocale: 'fi',
    locales: {
      fi: {
        subject: '',
        mjml: '<mjml>\n  <mj-body>\n    <mj-section>\n      <mj-column>\n        <mj-text>Hei {{ customer.firstName }}!</mj-text>\n      </mj-column>\n    </mj-section>\n  </mj-body>\n</mjml>',
      },
    },
  };
}

/** A stored definition as a draft; anything the editor does not know is dropped, a partner block kept. */
export function draftOf(definition: unknown): TemplateDraft {
  const d = (definition ?? {}) as Partial<TemplateDraft>;
  const locales: Partial<Record<Locale, LocaleDraft>> = {};
  for (const l of LOCALES) {
    const c = d.locales?.[l];
    if (c !== undefined) locales[l] = { subject: c.subject ?? '', mjml: c.mjml ?? '', ...(c.text === undefined ? {} : { text: c.text }) };
  }
  return {
    id: d.id ?? '',
    kind: d.kind === 'service' ? 'service' : 'marketing',
    defaultLocale: LOCALES.includes(d.defaultLocale as Locale) ? (d.defaultLocale as Locale) : 'fi',
    locales,
    ...(d.partnerBlock === undefined ? {} : { partnerBlock: d.partnerBlock }),
  };
}

/** Where an error points: the language, the part (subject, mjml, text) and the line, when the API names them. */
export interface ErrorPlace {
  locale: Locale | null;
  part: string | null;
  line: number | null;
}

export function placeOf(field: string | undefined, details: Record<string, unknown> | undefined, message: string): ErrorPlace {
  const m = /^locales\.(fi|sv|en)\.(\w+)/.exec(field ?? '');
  const fromDetails = typeof details?.['line'] === 'number' ? details['line'] : null;
  const fromMessage = /line[: ](\d+)/.exec(message)?.[1];
  return {
    locale: (m?.[1] as Locale | undefined) ?? null,
    part: m?.[2] ?? null,
    line: fromDetails ?? (fromMessage === undefined ? null : Number(fromMessage)),
  };
}

/** The text of line `line` (1-based) of `source`, or null when there is no such line. */
export function lineOf(source: string, line: number): string | null {
  const lines = source.split('\n');
  return line >= 1 && line <= lines.length ? (lines[line - 1] ?? null) : null;
}
