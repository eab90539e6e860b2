/** Message templates: MJML layout + Liquid personalisation. User guide: docs/templates.md. */
export { compileTemplate } from './compile-template.ts';
export { firstName, previewCompiled, previewTemplate, PREVIEW_LINKS, render, resolveLocale } from './render-template.ts';
export { containsPromoMarker } from './content-rules.ts';
export { usesOffer } from './liquid-engine.ts';
export { FOOTER_TEXTS } from './marketing-footer.ts';
export { htmlToText } from './plain-text.ts';
export {
  normaliseLocale,
  TEMPLATE_LOCALES,
  type CompiledTemplate,
  type LocaleContent,
  type OfferFill,
  type PartnerBlock,
  type RenderedMessage,
  type RenderInput,
  type SenderIdentity,
  type TemplateDefinition,
  type TemplateKind,
  type TemplateLocale,
} from './template-definition.ts';
