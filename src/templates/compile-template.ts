/**
 * compileTemplate: validate a definition and do all the expensive work once, so that a
 * per-recipient render is only a Liquid render of pre-parsed trees.
 *
 * Why this shape: MJML → HTML costs milliseconds and liquidjs parsing is not free either; doing
 * both per recipient tops out around 460 messages/s on our hardware, far below the 2,000/s the
 * send pipeline needs. MJML layout never depends on the recipient, so it is rendered once per
 * locale with the Liquid tags swapped for opaque placeholders (MJML would otherwise escape quotes
 * inside `{% if %}` or drop tags from attributes), the tags are put back, and the resulting HTML is
 * parsed as one Liquid template.
 *
 * Async only because mjml@5's mjml2html is; render() is synchronous.
 */
import mjml2html from 'mjml';
import { checkPartnerBlock, checkServiceContent, checkServiceOffer, messageContentOf, partnerBlockMjml, partnerBlockText } from './content-rules.ts';
import {
  checkLiquidSource,
  htmlEngine,
  missingTags,
  parseLiquid,
  protectLiquid,
  restoreLiquid,
  textEngine,
  type ProtectedSource,
} from './liquid-engine.ts';
import { footerMjml, footerText } from './marketing-footer.ts';
import { readableMessageHtml } from './message-html.ts';
import { htmlToText } from './plain-text.ts';
import {
  invalidSaid,
  partnerAdIn,
  validateDefinitionShape,
  type CompiledLocale,
  type CompiledTemplate,
  type LocaleContent,
  type TemplateDefinition,
  type TemplateLocale,
} from './template-definition.ts';
import { allPurposes, messagePurposes } from '../core/message-purposes.ts';
import { phrase } from '../core/phrases.ts';

/**
 * Marks where the author's content ends and Lupa's generated blocks (partner ad, opt-out footer)
 * begin, so the derived plain text can take the author's part and append the text versions of
 * the generated blocks, which write their URLs out in full.
 */
const GENERATED_MARKER = '<!-- lupa:generated -->';

/** `draft`: a definition previewed while it is written: an empty subject is allowed (saving still needs one). */
export async function compileTemplate(def: TemplateDefinition, opts: { draft?: boolean } = {}): Promise<CompiledTemplate> {
  const locales = validateDefinitionShape(def, opts);
  checkServiceContent(def, locales);
  checkPartnerBlock(def.partnerBlock);

  const parts = new Map<TemplateLocale, CompiledLocale>();
  for (const locale of locales) {
    const content = def.locales[locale];
    if (content === undefined) continue; // validateDefinitionShape listed only present locales
    parts.set(locale, await compileLocale(def, locale, content));
  }

  const content = Object.freeze(messageContentOf(def, locales));
  const purposes = allPurposes(messagePurposes(def.kind, content));
  return Object.freeze({
    id: def.id,
    kind: def.kind,
    defaultLocale: def.defaultLocale,
    locales: Object.freeze(locales),
    content,
    purposes: Object.freeze(purposes),
    parts,
  });
}

async function compileLocale(def: TemplateDefinition, locale: TemplateLocale, content: LocaleContent): Promise<CompiledLocale> {
  const base = `locales.${locale}`;
  // Variables and syntax are checked on the author's own sources, so line numbers are theirs.
  // A service template may not print the offer in any of its parts (compliance.md §2 rule 1).
  checkServiceOffer(def.kind, checkLiquidSource(content.subject, `${base}.subject`, { html: false }), `${base}.subject`);
  checkServiceOffer(def.kind, checkLiquidSource(content.mjml, `${base}.mjml`, { html: true }), `${base}.mjml`);
  if (content.text !== undefined) checkServiceOffer(def.kind, checkLiquidSource(content.text, `${base}.text`, { html: false }), `${base}.text`);

  const partnerAd = def.partnerBlock === undefined ? undefined : partnerAdIn(def.partnerBlock, locale, def.defaultLocale);
  const generated: string[] = [];
  if (def.partnerBlock && partnerAd) generated.push(partnerBlockMjml(def.partnerBlock, partnerAd, locale));
  if (def.kind === 'marketing') generated.push(footerMjml(locale));
  const assembled = assemble(content.mjml, locale, generated);
  const field = `${base}.mjml`;
  const prot = protectLiquid(assembled.source, field);

  const html = await runMjml(prot, assembled, field);

  const lost = missingTags(html, prot.tags.length);
  if (lost.length > 0) {
    const tag = prot.tags[lost[0] ?? 0] ?? '';
    throw invalidSaid(phrase('template_mjml_dropped_tag', { field, tag }), field, { tag });
  }

  // After the tags are back: the title's own Liquid output must not be quoted as a literal.
  const htmlTemplate = parseLiquid(htmlEngine, readableMessageHtml(restoreLiquid(html, prot.tags)), field);

  const generatedText: string[] = [];
  if (def.partnerBlock && partnerAd) generatedText.push(partnerBlockText(def.partnerBlock, partnerAd, locale));
  if (def.kind === 'marketing') generatedText.push(footerText(locale));
  let authorText: string;
  let textField: string;
  if (content.text !== undefined) {
    authorText = content.text.trim();
    textField = `${base}.text`;
  } else {
    const cut = html.indexOf(GENERATED_MARKER);
    authorText = restoreLiquid(htmlToText(cut === -1 ? html : html.slice(0, cut)), prot.tags);
    textField = `${base}.mjml`;
  }
  const textTemplate = parseLiquid(textEngine, [authorText, ...generatedText].join('\n\n'), textField);

  return {
    subject: parseLiquid(textEngine, content.subject, `${base}.subject`),
    html: htmlTemplate,
    text: textTemplate,
    textDerived: content.text === undefined,
  };
}

interface Assembled {
  source: string;
  /** Line of the author's `</mj-body>`: generated blocks are inserted after it. */
  insertLine: number;
  insertedLines: number;
}

/**
 * The author's MJML plus the generated blocks, inserted just before the last `</mj-body>`; and the
 * document language, so screen readers and spam filters see `lang="sv"` rather than MJML's `und`.
 */
function assemble(mjml: string, locale: TemplateLocale, generated: readonly string[]): Assembled {
  let source = mjml.replace(/<mjml\b([^>]*)>/, (whole, attrs: string) =>
    /\slang\s*=/.test(attrs) ? whole : `<mjml lang="${locale}"${attrs}>`,
  );
  if (generated.length === 0) return { source, insertLine: Number.MAX_SAFE_INTEGER, insertedLines: 0 };
  const at = source.lastIndexOf('</mj-body>');
  // No body: let MJML report the malformed document.
  if (at === -1) return { source, insertLine: Number.MAX_SAFE_INTEGER, insertedLines: 0 };
  const block = `\n<mj-raw>${GENERATED_MARKER}</mj-raw>\n${generated.join('\n')}\n`;
  const insertLine = source.slice(0, at).split('\n').length;
  source = source.slice(0, at) + block + source.slice(at);
  return { source, insertLine, insertedLines: block.split('\n').length - 1 };
}

interface MjmlIssue {
  line: number;
  message: string;
  tagName: string;
}

async function runMjml(prot: ProtectedSource, assembled: Assembled, field: string): Promise<string> {
  try {
    const result = await mjml2html(prot.text, {
      validationLevel: 'strict',
      // No web fonts by default: MJML would otherwise link Google Fonts, and every open would
      // tell Google who read the message. Templates that want a font declare it with mj-font.
      fonts: {},
      // mj-include reads files from disk; templates are self-contained data.
      ignoreIncludes: true,
      // Kept so the generated-content marker survives; Outlook conditionals need comments anyway.
      keepComments: true,
    });
    return result.html;
  } catch (err) {
    const issues = (err as { errors?: MjmlIssue[] }).errors;
    const first = Array.isArray(issues) ? issues[0] : undefined;
    if (first !== undefined) {
      const line = prot.originalLine(first.line);
      const inGenerated = line > assembled.insertLine && line <= assembled.insertLine + assembled.insertedLines;
      const authorLine = line > assembled.insertLine ? line - assembled.insertedLines : line;
      if (inGenerated) {
        throw invalidSaid(phrase('template_mjml_partner_error', { detail: first.message }), 'partnerBlock', { tagName: first.tagName });
      }
      throw invalidSaid(phrase('template_mjml_error', { field, line: authorLine, tag: first.tagName, detail: first.message }), field, {
        line: authorLine,
        tagName: first.tagName,
      });
    }
    const message = err instanceof Error ? err.message : String(err);
    throw invalidSaid(phrase('template_mjml_error_anywhere', { field, detail: message }), field);
  }
}
