/**
 * A category axis label that fits its axis: wrapped at spaces into at most `maxLines` lines no
 * wider than the axis leaves them, a word longer than a line broken, and what does not fit cut with
 * "…" (the whole label is then the tick's tooltip, and the table beside the chart has it in full).
 * Long labels (Finnish reason names: "Yhteys päättynyt liian kauan sitten") otherwise ran over the
 * bars or each other. Widths are measured in the chart's own font where the browser can
 * (`canvasMeasure`): a guess per character fell short for wide letters ("Kymmenys 10" was cut at
 * the chart's edge).
 */

/** The width in pixels a text takes at the axis' font size. */
export type Measure = (text: string) => number;

/** About 7 px a character at 12 px: the guess where nothing can measure (no canvas). */
export const CHAR_PX = 7;
export const estimateWidth: Measure = (text) => text.length * CHAR_PX;

/** The tick's own margin: between a label's end and the axis line. */
export const TICK_MARGIN_PX = 12;
/** The widest the category axis grows: the bars keep the rest. */
export const MAX_AXIS_PX = 190;
/** The axis font, as BarsChart draws its ticks. */
export const AXIS_FONT_PX = 12;

/** Measures text with a canvas in `font` (CSS shorthand, e.g. "12px system-ui"); the guess per character without one. */
export function canvasMeasure(font: string): Measure {
  const context = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
  if (context === null) return estimateWidth;
  context.font = font;
  return (text) => context.measureText(text).width;
}

export function wrapLabel(label: string, maxWidth: number, { maxLines = 2, measure = estimateWidth }: { maxLines?: number; measure?: Measure } = {}): { lines: string[]; cut: boolean } {
  const fits = (text: string): boolean => measure(text) <= maxWidth;
  const lines: string[] = [];
  let line = '';
  for (const word of label.split(/\s+/).filter((w) => w !== '')) {
    let rest = word;
    while (rest.length > 0) {
      const joined = line === '' ? rest : `${line} ${rest}`;
      if (fits(joined)) {
        line = joined;
        rest = '';
      } else if (line !== '') {
        lines.push(line);
        line = '';
      } else {
        // A word wider than a line: as much of it as fits (at least one character), the rest on the next.
        let n = 1;
        while (n < rest.length && fits(rest.slice(0, n + 1))) n++;
        lines.push(rest.slice(0, n));
        rest = rest.slice(n);
      }
    }
  }
  if (line !== '') lines.push(line);
  if (lines.length <= maxLines) return { lines, cut: false };
  const kept = lines.slice(0, maxLines);
  let last = kept[maxLines - 1] ?? '';
  while (last.length > 0 && !fits(`${last}…`)) last = last.slice(0, -1);
  kept[maxLines - 1] = `${last}…`;
  return { lines: kept, cut: true };
}

/** The category axis width for these labels: the widest line wrapped at the widest axis, at least 50 px. */
export function axisWidth(labels: readonly string[], measure: Measure = estimateWidth): number {
  const maxWidth = MAX_AXIS_PX - TICK_MARGIN_PX;
  const widest = Math.max(0, ...labels.flatMap((l) => wrapLabel(l, maxWidth, { measure }).lines.map(measure)));
  return Math.min(MAX_AXIS_PX, Math.max(50, Math.ceil(widest) + TICK_MARGIN_PX));
}
