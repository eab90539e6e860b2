/**
 * What Lupa changes in MJML's HTML so that receivers and readers take it well:
 *
 * - An empty `<title>` (a template without `mj-title`) gets the message's subject, rendered per
 *   recipient (`{{ message.subject }}`, HTML-escaped like every output): a screen reader and a
 *   browser tab name the message by it (WCAG 2.4.2 Page Titled).
 * - MJML's preview text (`mj-preview`) is hidden with a 1-pixel white font at zero opacity, which
 *   spam filters read as text hidden from the reader (SpamAssassin's low-contrast and tiny-font
 *   rules). It becomes the usual accessible preheader instead: hidden by `display:none` with no
 *   height or overflow, never by colour or size, and hidden from screen readers, which would
 *   otherwise read it before the message.
 */

/** MJML 4–5's preview block: its style and text, up to the closing tag. */
const MJML_PREVIEW = /<div style="display:none;font-size:1px;color:#[0-9a-fA-F]{3,6};line-height:1px;max-height:0px;max-width:0px;opacity:0;overflow:hidden;">/;

/** The style of the preheader Lupa writes (also what the derived text part leaves out: `display:none`). */
export const PREHEADER_OPEN = '<div style="display:none;max-height:0;overflow:hidden;mso-hide:all;" aria-hidden="true">';

/** The Liquid output a title without text gets: the rendered subject. */
export const SUBJECT_TITLE = '<title>{{ message.subject }}</title>';

/** MJML's HTML with the subject as an empty title's text and the preheader hidden without colour tricks. */
export function readableMessageHtml(html: string): string {
  return html.replace(/<title>\s*<\/title>/, SUBJECT_TITLE).replace(MJML_PREVIEW, PREHEADER_OPEN);
}
