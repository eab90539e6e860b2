/**
 * A category axis label that fits its axis: wrapped at spaces into at most `maxLines` lines of at
 * most `maxChars` characters, a word longer than a line broken, and what does not fit cut with "…"
 * (the whole label is then the tick's tooltip, and the table beside the chart has it in full).
 * Long labels (Finnish reason names: "Yhteys päättynyt liian kauan sitten") otherwise ran over the
 * bars or each other.
 */
export function wrapLabel(label: string, maxChars: number, maxLines = 2): { lines: string[]; cut: boolean } {
  const width = Math.max(1, maxChars);
  const lines: string[] = [];
  let line = '';
  for (const word of label.split(/\s+/).filter((w) => w !== '')) {
    let rest = word;
    while (rest.length > 0) {
      const joined = line === '' ? rest : `${line} ${rest}`;
      if (joined.length <= width) {
        line = joined;
        rest = '';
      } else if (line !== '') {
        lines.push(line);
        line = '';
      } else {
        lines.push(rest.slice(0, width));
        rest = rest.slice(width);
      }
    }
  }
  if (line !== '') lines.push(line);
  if (lines.length <= maxLines) return { lines, cut: false };
  const kept = lines.slice(0, maxLines);
  const last = kept[maxLines - 1] ?? '';
  kept[maxLines - 1] = `${last.length >= width ? last.slice(0, width - 1) : last}…`;
  return { lines: kept, cut: true };
}

/** About 7 px a character at 12 px (wider letters included), and the tick's own margin. */
export const CHAR_PX = 7;
export const TICK_MARGIN_PX = 12;
/** The widest the category axis grows: the bars keep the rest. */
export const MAX_AXIS_PX = 190;

/** The category axis width for these labels: the longest line wrapped at the widest, at least 50 px. */
export function axisWidth(labels: readonly string[]): number {
  const maxChars = Math.floor((MAX_AXIS_PX - TICK_MARGIN_PX) / CHAR_PX);
  const longest = Math.max(0, ...labels.map((l) => Math.max(0, ...wrapLabel(l, maxChars).lines.map((line) => line.length))));
  return Math.min(MAX_AXIS_PX, Math.max(50, longest * CHAR_PX + TICK_MARGIN_PX));
}
