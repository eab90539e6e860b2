/**
 * HTML → plain text for the text/plain part, run once per locale at compile time on MJML's
 * output (with Liquid still as placeholders). Not a general HTML parser: it handles the markup
 * MJML emits plus ordinary hand-written HTML in mj-text, which is all it ever sees.
 */

/** Elements whose end is a line break in the text version. */
const BLOCK_END = /<\/(?:p|div|tr|table|h[1-6]|li|ul|ol|blockquote|center|section)\s*>/gi;

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', shy: '',
  ndash: '–', mdash: '—', hellip: '…', euro: '€', copy: '©', reg: '®', trade: '™',
  laquo: '«', raquo: '»', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', bull: '•', middot: '·',
  auml: 'ä', ouml: 'ö', aring: 'å', uuml: 'ü', eacute: 'é', Auml: 'Ä', Ouml: 'Ö', Aring: 'Å', Uuml: 'Ü',
};

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[body] ?? whole;
  });
}

function stripTags(s: string): string {
  return s.replace(/<[^>]*>/g, '');
}

function attr(tag: string, name: string): string | null {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return m === null ? null : (m[1] ?? m[2] ?? m[3] ?? '');
}

/**
 * A link keeps its URL, since a text/plain reader cannot click words: `text (url)`, or just the
 * URL when the text is the URL or empty. In-page anchors (`#…`) keep only their text.
 */
function linkToText(openTag: string, inner: string): string {
  const href = attr(openTag, 'href');
  let label = normaliseInline(decodeEntities(stripTags(inner)));
  if (label === '') {
    const alt = /<img\b[^>]*>/i.exec(inner);
    label = alt === null ? '' : normaliseInline(decodeEntities(attr(alt[0], 'alt') ?? ''));
  }
  if (href === null || href === '' || href.startsWith('#')) return label;
  const url = decodeEntities(href).trim();
  return label === '' || label === url ? url : `${label} (${url})`;
}

function normaliseInline(s: string): string {
  return s.replace(/[ \t\r\n\u00a0]+/g, ' ').trim();
}

export function htmlToText(html: string): string {
  // A fragment cut before `</body>` (compile-template cuts at the generated blocks) also works.
  const bodyMatch = /<body\b[^>]*>([\s\S]*?)(?:<\/body>|$)/i.exec(html);
  let s = bodyMatch?.[1] ?? html;
  s = s
    // Comments, including Outlook's conditional tables (`<!--[if mso]>…<![endif]-->`).
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(style|script|head|title)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '')
    // MJML's hidden preview text (mj-preview) belongs to the inbox list, not the message.
    .replace(/<div\b[^>]*style="display:none;[^"]*"[^>]*>[\s\S]*?<\/div>/gi, '')
    .replace(/(<a\b[^>]*>)([\s\S]*?)<\/a\s*>/gi, (_m, open: string, inner: string) =>
      // The link text is final: shield its `<` and `&` from the tag and entity passes below.
      linkToText(open, inner).replace(/</g, '\u0001').replace(/&/g, '\u0002'),
    )
    // Source line breaks are not line breaks in HTML; only elements below make them.
    .replace(/[ \t\r\n]+/g, ' ')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li\b[^>]*>/gi, '\n- ')
    .replace(/<hr\b[^>]*>/gi, '\n----\n')
    .replace(BLOCK_END, '\n');
  s = decodeEntities(stripTags(s)).replace(/\u0001/g, '<').replace(/\u0002/g, '&');
  const lines = s.split('\n').map((line) => line.replace(/[ \t\r\u00a0]+/g, ' ').trim());
  return collapseBlankLines(lines.join('\n'));
}

/** At most one empty line in a row, none at the ends. */
export function collapseBlankLines(s: string): string {
  return s.replace(/\n[ \t]*(?:\n[ \t]*)+\n/g, '\n\n').replace(/^\s+|\s+$/g, '');
}
