/** The bar charts' category labels fit their axis: wrapped onto two lines, cut with "…" beyond, never over the bars. */
import { describe, expect, it } from 'vitest';
import { axisWidth, CHAR_PX, MAX_AXIS_PX, TICK_MARGIN_PX, wrapLabel } from '../../web/src/charts/axis-label.ts';

describe('the category labels of a bar chart', () => {
  it('wraps a long Finnish reason name at spaces onto two lines that fit the axis', () => {
    const maxChars = Math.floor((MAX_AXIS_PX - TICK_MARGIN_PX) / CHAR_PX);
    const { lines, cut } = wrapLabel('Asiakassuhde päättyi liian kauan sitten', maxChars);
    expect(lines).toEqual(['Asiakassuhde päättyi', 'liian kauan sitten']);
    expect(cut).toBe(false);
    for (const line of lines) expect(line.length * CHAR_PX + TICK_MARGIN_PX).toBeLessThanOrEqual(MAX_AXIS_PX);
  });

  it('cuts what does not fit on two lines with "…", and breaks a word longer than a line', () => {
    expect(wrapLabel('Markkinointikieltorekisteri (Robinson) esti yhteydenoton puhelimitse', 20)).toEqual({ lines: ['Markkinointikieltore', 'kisteri (Robinson)…'], cut: true });
    expect(wrapLabel('Kumppanimarkkinointi', 8, 3)).toEqual({ lines: ['Kumppani', 'markkino', 'inti'], cut: false });
    expect(wrapLabel('Sähköposti', 20)).toEqual({ lines: ['Sähköposti'], cut: false });
  });

  it('gives the axis the width of its longest line, never more than the widest', () => {
    expect(axisWidth(['E-mail', 'SMS'])).toBe(Math.max(50, 6 * CHAR_PX + TICK_MARGIN_PX));
    const wide = axisWidth(['Asiakassuhde päättyi liian kauan sitten, eikä asiakas ole tilannut mitään']);
    expect(wide).toBeLessThanOrEqual(MAX_AXIS_PX);
    expect(wide).toBeGreaterThan(MAX_AXIS_PX - CHAR_PX * 2);
  });
});
