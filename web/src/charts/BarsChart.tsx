/**
 * Horizontal bars drawn with Recharts (docs/decisions/0015-charts-recharts.md): one row per category, one bar
 * per series, stacked when asked. Loaded on demand (React.lazy in CountFigure.tsx), so the charting
 * library is not in the console's first load. Decorative for assistive technology: CountFigure puts
 * the same figures in a table beside it.
 */
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChartRow, ChartSeries } from './CountFigure.tsx';

const ROW_HEIGHT = 34;
/** The category axis: wide enough for the longest label (about 8 px a character at 12 px), at most 170 px. */
const labelWidth = (rows: readonly ChartRow[]): number => Math.min(170, Math.max(50, Math.max(...rows.map((r) => r.label.length)) * 8 + 12));

export default function BarsChart({ rows, series, stacked, format }: { rows: readonly ChartRow[]; series: readonly ChartSeries[]; stacked: boolean; format: (n: number) => string }) {
  const data = rows.map((r) => ({ label: r.label, ...Object.fromEntries(series.map((s) => [s.key, r.values[s.key] ?? 0])) }));
  const height = Math.max(120, rows.length * ROW_HEIGHT * (stacked ? 1 : Math.max(1, series.length * 0.6)) + 70);
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart data={data} layout="vertical" accessibilityLayer={false} margin={{ top: 4, right: 16, bottom: 4, left: 4 }}>
        <CartesianGrid horizontal={false} strokeDasharray="3 3" />
        <XAxis type="number" allowDecimals={false} tickFormatter={format} tick={{ fill: '#495057', fontSize: 12 }} />
        <YAxis type="category" dataKey="label" width={labelWidth(rows)} tick={{ fill: '#212529', fontSize: 12 }} interval={0} />
        <Tooltip formatter={(value) => (typeof value === 'number' ? format(value) : String(value))} isAnimationActive={false} />
        {series.length > 1 && <Legend itemSorter={null} wrapperStyle={{ fontSize: 12, color: '#212529' }} />}
        {series.map((s) => (
          <Bar key={s.key} dataKey={s.key} name={s.label} fill={s.color} {...(stacked ? { stackId: 'all' } : {})} isAnimationActive={false} />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
