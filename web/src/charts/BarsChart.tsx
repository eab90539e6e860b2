/**
 * Horizontal bars drawn with Recharts (docs/decisions/0015-charts-recharts.md): one row per category, one bar
 * per series, stacked when asked. Loaded on demand (React.lazy in CountFigure.tsx), so the charting
 * library is not in the console's first load. Decorative for assistive technology: CountFigure puts
 * the same figures in a table beside it.
 */
import { useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { AXIS_FONT_PX, axisWidth, canvasMeasure, TICK_MARGIN_PX, wrapLabel, type Measure } from './axis-label.ts';
import type { ChartRow, ChartSeries } from './CountFigure.tsx';

const ROW_HEIGHT = 34;
const LINE_PX = 14;

/**
 * A category label wrapped to the axis (charts/axis-label.ts): at most two lines, centred on its
 * row; one cut short has the whole label as its tooltip.
 */
function CategoryTick({ x, y, payload, width, measure }: { x?: number | string; y?: number | string; payload?: { value?: unknown }; width: number; measure: Measure }) {
  const label = String(payload?.value ?? '');
  const { lines, cut } = wrapLabel(label, width - TICK_MARGIN_PX, { measure });
  return (
    <g transform={`translate(${Number(x ?? 0)},${Number(y ?? 0)})`}>
      <text x={-4} y={0} textAnchor="end" fill="#212529" fontSize={AXIS_FONT_PX}>
        {cut && <title>{label}</title>}
        {lines.map((line, i) => (
          <tspan key={i} x={-4} dy={i === 0 ? 4 - ((lines.length - 1) * LINE_PX) / 2 : LINE_PX}>
            {line}
          </tspan>
        ))}
      </text>
    </g>
  );
}

export default function BarsChart({ rows, series, stacked, format }: { rows: readonly ChartRow[]; series: readonly ChartSeries[]; stacked: boolean; format: (n: number) => string }) {
  // A withheld value (null) draws no bar, and its tooltip says "–", never a false 0.
  const data = rows.map((r) => ({ label: r.label, ...Object.fromEntries(series.map((s) => [s.key, r.values[s.key] ?? null])) }));
  // The labels measured in the font the ticks are drawn in (the page's), not guessed per character.
  const measure = useMemo(() => canvasMeasure(`${AXIS_FONT_PX}px ${getComputedStyle(document.body).fontFamily}`), []);
  const labelWidth = axisWidth(rows.map((r) => r.label), measure);
  const height = Math.max(120, rows.length * ROW_HEIGHT * (stacked ? 1 : Math.max(1, series.length * 0.6)) + 70);
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart data={data} layout="vertical" accessibilityLayer={false} margin={{ top: 4, right: 16, bottom: 4, left: 4 }}>
        <CartesianGrid horizontal={false} strokeDasharray="3 3" />
        <XAxis type="number" allowDecimals={false} tickFormatter={format} tick={{ fill: '#495057', fontSize: 12 }} />
        <YAxis type="category" dataKey="label" width={labelWidth} tick={(props: object) => <CategoryTick {...props} width={labelWidth} measure={measure} />} interval={0} />
        <Tooltip formatter={(value) => (typeof value === 'number' ? format(value) : '–')} isAnimationActive={false} />
        {series.length > 1 && <Legend itemSorter={null} wrapperStyle={{ fontSize: 12, color: '#212529' }} />}
        {series.map((s) => (
          <Bar key={s.key} dataKey={s.key} name={s.label} fill={s.color} {...(stacked ? { stackId: 'all' } : {})} isAnimationActive={false} />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
