/** The bar charts' category labels fit their axis: wrapped onto two lines, cut with "…" beyond, never over the bars. */
import { describe, expect, it } from 'vitest';
import { axisWidth, CHAR_PX, MAX_AXIS_PX, TICK_MARGIN_PX, wrapLabel, type Measure } from '../../web/src/charts/axis-label.ts';

describe('the category labels of a bar chart', () => {
  it('wraps a long Finnish reason name at spaces onto two lines that fit the axis', () => {
    const { lines, cut } = wrapLabel('Asiakassuhde päättyi liian kauan sitten', MAX_AXIS_PX - TICK_MARGIN_PX);
    expect(lines).toEqual(['Asiakassuhde päättyi', 'liian kauan sitten']);
    expect(cut).toBe(false);
    for (const line of lines) expect(line.length * CHAR_PX + TICK_MARGIN_PX).toBeLessThanOrEqual(MAX_AXIS_PX);
  });

  it('cuts what does not fit on two lines with "…", and breaks a word longer than a line', () => {
    expect(wrapLabel('Markkinointikieltorekisteri (Robinson) esti yhteydenoton puhelimitse', 20 * CHAR_PX)).toEqual({ lines: ['Markkinointikieltore', 'kisteri (Robinson)…'], cut: true });
    expect(wrapLabel('Kumppanimarkkinointi', 8 * CHAR_PX, { maxLines: 3 })).toEqual({ lines: ['Kumppani', 'markkino', 'inti'], cut: false });
    expect(wrapLabel('Sähköposti', 20 * CHAR_PX)).toEqual({ lines: ['Sähköposti'], cut: false });
  });

  it('gives the axis the width of its longest line, never more than the widest', () => {
    expect(axisWidth(['E-mail', 'SMS'])).toBe(Math.max(50, 6 * CHAR_PX + TICK_MARGIN_PX));
    const wide = axisWidth(['Asiakassuhde päättyi liian kauan sitten, eikä asiakas ole tilannut mitään']);
    expect(wide).toBeLessThanOrEqual(MAX_AXIS_PX);
    expect(wide).toBeGreaterThan(MAX_AXIS_PX - CHAR_PX * 2);
  });

  it('gives a label of wide letters the width it is measured to take, not a guess per character', () => {
    // A font in which "m" takes 12 px and every other letter 8 (wider than the 7 px guess).
    const measure: Measure = (text) => [...text].reduce((sum, c) => sum + (c === 'm' ? 12 : 8), 0);
    const labels = Array.from({ length: 10 }, (_, i) => `Kymmenys ${i + 1}`);
    const width = axisWidth(labels, measure);
    expect(width).toBe(measure('Kymmenys 10') + TICK_MARGIN_PX);
    for (const label of labels) expect(wrapLabel(label, width - TICK_MARGIN_PX, { measure })).toEqual({ lines: [label], cut: false });
    // Where the axis is too narrow, a line is cut to what is measured to fit.
    const { lines } = wrapLabel('Markkinointikieltorekisteri (Robinson) esti yhteydenoton puhelimitse', 100, { measure });
    for (const line of lines) expect(measure(line)).toBeLessThanOrEqual(100);
  });
});
