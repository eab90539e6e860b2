/**
 * Liquid set up for Lupa's templates: two engines (HTML escapes output, text does not), the
 * allow-list of variables checked on the parse tree, and the placeholder swap that lets Liquid
 * tags ride through MJML untouched.
 */
import { Liquid, LiquidError, toValueSync, TypeGuards, Value, type Template } from 'liquidjs';
import { phrase } from '../core/phrases.ts';
import { invalidSaid } from './template-definition.ts';

const COMMON = {
  // An unknown or missing variable is a bug in the template or the campaign, never an empty
  // string in a customer's inbox. `lenientIf` keeps `{% if links.preferences %}` and `| default`
  // usable for optional values.
  strictVariables: true,
  lenientIf: true,
  // A misspelt filter fails at compile time instead of being skipped silently.
  strictFilters: true,
  // Render input is plain data, but no template should ever reach Object.prototype.
  ownPropertyOnly: true,
  // No file system: `include`/`render`/`layout` would let a template author read server files.
  templates: {},
  // Bounds against a hostile or careless template (huge loops, huge sources).
  parseLimit: 5_000_000,
  memoryLimit: 50_000_000,
} as const;

/** For HTML: every `{{ }}` output is HTML-escaped, so a name like `<script>` stays text. */
export const htmlEngine = new Liquid({ ...COMMON, outputEscape: 'escape' });
/** For subject and plain text: no escaping (they are not HTML). */
export const textEngine = new Liquid({ ...COMMON });

/** `customer.email` is deliberately absent: contact data has no business in a message body. */
const CUSTOMER_FIELDS = new Set(['name', 'firstName', 'locale', 'kind']);
const PRODUCT_FIELDS = new Set(['name']);
/** The recipient's best offer (render-template.ts fills it; every field null without one). */
const OFFER_FIELDS = new Set(['code', 'name', 'price', 'period', 'explanation', 'reason']);
/** Roots whose second segment is free (campaign-defined links and values). */
const OPEN_ROOTS = new Set(['links', 'vars']);

/** Where a template reads the recipient's offer: the variable as written, and its line and column. */
export interface OfferRead {
  variable: string;
  line: number;
  column: number;
}

/**
 * Every place `tree` reads the recipient's offer, from liquidjs's static analysis of the parse tree:
 * `{{ offer.name }}`, a filter's argument (`| append: offer.code`), a tag's (`{% if %}`, `{% case %}`,
 * `{% for x in offer.name %}`, `{% cycle %}`), and an alias (`{% assign o = offer %}`,
 * `{% capture %}…{{ offer.name }}…`) at the alias's source. The two ways around the analysis, a
 * computed root (`{{ [k].name }}` with `k` = "offer") and a supplied name assigned over
 * (`{% if false %}{% assign offer = 1 %}{% endif %}{{ offer.name }}`), are refused for every
 * template by checkLiquidSource, so what the analysis finds is all there is. No filter or tag of
 * Lupa's own reaches the offer (none is registered).
 */
export function offerReads(tree: Template[]): OfferRead[] {
  const analysis = textEngine.analyzeSync(tree, { partials: false });
  return Object.values(analysis.globals)
    .flat()
    .filter((v) => v.toArray()[0] === 'offer')
    .map((v) => ({ variable: String(v), line: v.location.row, column: v.location.col }));
}

/** Whether a template reads the recipient's offer: only then does sending compute best offers. */
export function usesOffer(parts: Iterable<Template[]>): boolean {
  for (const tree of parts) if (offerReads(tree).length > 0) return true;
  return false;
}

/**
 * Names a render supplies (render-template.ts and the footer's `sender`, the title's `message`):
 * the variable allow-list reads the parse tree's globals, and liquidjs counts a name assigned
 * anywhere before a read as local from there on, even where the assignment is in a branch that
 * does not run. So `{% if false %}{% assign offer = 1 %}{% endif %}{{ offer.explanation }}` would
 * read the real offer unseen: assigning to these names is refused. (`for` loop variables are scoped
 * to their loop, by the analysis and at render alike, so they may reuse a name.)
 */
const SUPPLIED_NAMES = new Set(['customer', 'product', 'offer', 'links', 'vars', 'sender', 'message']);

interface Place {
  text: string;
  line: number;
  column: number;
}

/**
 * The first variable whose root is computed (`{{ [k].name }}`, `{{ [vars.x].name }}`): Liquid reads
 * the variable named by `k`'s value, which no check of the source can know, and liquidjs's analysis
 * reports such a read as one of `k` (or `vars.x.name`), so it would pass the allow-list. A quoted
 * root (`["offer"].name`) is a plain name and is analysed as one. Walks the parse tree as the
 * analysis does: each node's arguments, then its children.
 */
function computedRoot(tree: Template[]): Place | null {
  const inToken = (t: unknown): Place | null => {
    if (TypeGuards.isPropertyAccessToken(t)) {
      const root = t.props[0];
      if (root !== undefined && TypeGuards.isPropertyAccessToken(root)) {
        const [line = 0, column = 0] = t.getPosition();
        return { text: t.getText(), line, column };
      }
      for (const p of t.props) {
        const found = inToken(p);
        if (found !== null) return found;
      }
      return null;
    }
    if (TypeGuards.isRangeToken(t)) return inToken(t.lhs) ?? inToken(t.rhs);
    if (TypeGuards.isFilteredValueToken(t)) return inValue(t);
    return null;
  };
  const inValue = (v: { initial: { postfix: readonly unknown[] }; filters: readonly { args: readonly unknown[] }[] }): Place | null => {
    for (const t of v.initial.postfix) {
      const found = inToken(t);
      if (found !== null) return found;
    }
    for (const f of v.filters) {
      for (const arg of f.args) {
        const found = inToken(Array.isArray(arg) ? arg[1] : arg);
        if (found !== null) return found;
      }
    }
    return null;
  };
  const visit = (node: Template): Place | null => {
    if (node.arguments !== undefined) {
      for (const arg of node.arguments()) {
        const found = arg instanceof Value ? inValue(arg as unknown as Parameters<typeof inValue>[0]) : inToken(arg);
        if (found !== null) return found;
      }
    }
    if (node.children !== undefined) {
      for (const child of toValueSync(node.children(false, true)) as Template[]) {
        const found = visit(child);
        if (found !== null) return found;
      }
    }
    return null;
  };
  for (const node of tree) {
    const found = visit(node);
    if (found !== null) return found;
  }
  return null;
}

/** Tags that load other templates (file system) are refused whatever the engine options say. */
const FORBIDDEN_TAGS = /^\{%-?\s*(include|render|layout)\b/;
/** `raw` would undo HTML escaping, e.g. `{{ customer.name | raw }}` → script injection. */
const RAW_FILTER = /\|\s*raw\b/;

/** Matches one Liquid output or tag (non-greedy, so adjacent tags stay separate). */
const LIQUID_TAG = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g;

/** `authorLines`: the source is the author's own text, so an error's line is one the author can find. */
export function parseLiquid(engine: Liquid, source: string, field: string, authorLines = false): Template[] {
  try {
    return engine.parse(source);
  } catch (err) {
    throw liquidToDomain(err, field, authorLines);
  }
}

export function liquidToDomain(err: unknown, field: string, authorLines = false): Error {
  if (err instanceof LiquidError) {
    // The first line carries "…, line:N, col:M"; the rest is a source excerpt.
    const first = err.message.split('\n')[0] ?? err.message;
    // The line is the template's own ("line:N"), kept for the editor to point at.
    const line = authorLines ? /line:(\d+)/.exec(first)?.[1] : undefined;
    return invalidSaid(phrase('template_liquid_error', { field, detail: first }), field, line === undefined ? {} : { line: Number(line) });
  }
  return err instanceof Error ? err : new Error(String(err));
}

/**
 * Parse `source` and check every variable it reads from outside against the allow-list.
 * Variables the template defines itself (`assign`, `capture`, `for` loop variables) are locals
 * and are not checked; a computed root and an assignment to a supplied name are refused, since
 * either would hide a read from the check. Returns the parse tree (line numbers the author's).
 */
export function checkLiquidSource(source: string, field: string, opts: { html: boolean }): Template[] {
  for (const m of source.matchAll(LIQUID_TAG)) {
    const tag = m[0];
    if (FORBIDDEN_TAGS.test(tag)) {
      throw invalidSaid(phrase('template_liquid_forbidden_tag', { field, tag }), field);
    }
    if (opts.html && RAW_FILTER.test(tag)) {
      throw invalidSaid(phrase('template_liquid_raw_filter', { field, tag }), field);
    }
  }
  const tree = parseLiquid(textEngine, source, field, true);
  const computed = computedRoot(tree);
  if (computed !== null) {
    throw invalidSaid(phrase('template_computed_variable', { variable: computed.text, field, line: computed.line }), field, {
      variable: computed.text,
      line: computed.line,
      column: computed.column,
    });
  }
  const analysis = textEngine.analyzeSync(tree, { partials: false });
  for (const [name, assigned] of Object.entries(analysis.locals)) {
    const first = assigned[0];
    if (SUPPLIED_NAMES.has(name) && first !== undefined) {
      throw invalidSaid(phrase('template_supplied_name_assigned', { variable: name, field, line: first.location.row }), field, {
        variable: name,
        line: first.location.row,
        column: first.location.col,
      });
    }
  }
  for (const uses of Object.values(analysis.globals)) {
    for (const v of uses) {
      const reason = disallowed(v.toArray());
      if (reason !== null) {
        const name = String(v);
        throw invalidSaid(phrase('template_unknown_variable', { variable: name, field, line: v.location.row, allowed: reason }), field, {
          variable: name,
          line: v.location.row,
          column: v.location.col,
        });
      }
    }
  }
  return tree;
}

function disallowed(segments: ReadonlyArray<unknown>): string | null {
  const [root, second] = segments;
  const allowed = 'allowed: customer.name, customer.firstName, customer.locale, customer.kind, product.name, offer.name (code, price, period, explanation, reason), links.*, vars.*';
  if (typeof root !== 'string') return allowed;
  // `{% if product %}`: the product is the one optional object, so testing for it is allowed.
  if (root === 'product' && segments.length === 1) return null;
  if (root === 'customer' || root === 'product' || root === 'offer') {
    const fields = root === 'customer' ? CUSTOMER_FIELDS : root === 'product' ? PRODUCT_FIELDS : OFFER_FIELDS;
    return typeof second === 'string' && fields.has(second) ? null : allowed;
  }
  if (OPEN_ROOTS.has(root)) {
    // A computed key (`links[vars.x]`) cannot be checked, so it is refused.
    return typeof second === 'string' ? null : `${root} needs a plain name, e.g. ${root}.something`;
  }
  return allowed;
}

/**
 * Liquid tags swapped for opaque placeholders, so that MJML treats them as ordinary words: it
 * neither escapes `"` inside `{% if a == "b" %}` nor drops `{{ }}` from attributes.
 */
export interface ProtectedSource {
  text: string;
  tags: string[];
  /** Maps a line of `text` back to the line of the original source (tags may span lines). */
  originalLine(line: number): number;
}

/** Upper-case letters and digits only: survives MJML, HTML attribute quoting and CSS classes. */
const TOKEN_PREFIX = 'LUPALQ';
const TOKEN = /LUPALQ(\d+)Z/g;

export function protectLiquid(source: string, field: string): ProtectedSource {
  if (source.includes(TOKEN_PREFIX)) throw invalidSaid(phrase('template_reserved_word', { field, word: TOKEN_PREFIX }), field);
  const tags: string[] = [];
  // shifts[i] = [line in protected text where the shift starts, newlines removed so far]
  const shifts: Array<[number, number]> = [];
  let removed = 0;
  let line = 1;
  let last = 0;
  const text = source.replace(LIQUID_TAG, (tag, offset: number) => {
    line += countNewlines(source.slice(last, offset));
    last = offset + tag.length;
    const n = countNewlines(tag);
    if (n > 0) {
      removed += n;
      shifts.push([line + 1, removed]);
    }
    tags.push(tag);
    return `${TOKEN_PREFIX}${tags.length - 1}Z`;
  });
  return {
    text,
    tags,
    originalLine(l) {
      let shift = 0;
      for (const [from, total] of shifts) if (l >= from) shift = total;
      return l + shift;
    },
  };
}

/**
 * Put the original tags back into text produced from the protected source. Anything in that text
 * that looks like Liquid but is not one of our placeholders (a literal `{{` written as
 * `&#123;&#123;` and decoded, say) is quoted so Liquid prints it rather than runs it.
 */
export function restoreLiquid(text: string, tags: readonly string[]): string {
  const quoted = text.replace(/\{\{|\{%/g, (m) => `{% raw %}${m}{% endraw %}`);
  return quoted.replace(TOKEN, (token, i: string) => tags[Number(i)] ?? token);
}

/** Indexes of placeholders that did not survive into `text` (MJML drops text between sections). */
export function missingTags(text: string, count: number): number[] {
  const seen = new Set<number>();
  for (const m of text.matchAll(TOKEN)) seen.add(Number(m[1]));
  const missing: number[] = [];
  for (let i = 0; i < count; i++) if (!seen.has(i)) missing.push(i);
  return missing;
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}
