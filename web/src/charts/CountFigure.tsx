/**
 * Counts as a chart and, beside it, the same figures as a table: the table is the text alternative
 * (WCAG 1.1.1), so the chart itself is one image named by the figure's title. The chart's code is
 * loaded on demand; until it arrives, and if it fails, the table says everything.
 *
 * rows: one per category (`label` already in the reader's language); series: the counted measures
 * (`color` a CSS colour with at least 3:1 contrast on white, WCAG 1.4.11). A value of null is shown
 * as `format(null)` in the table (e.g. "withheld"); the chart leaves a row out when all its values
 * are null (a bar of 0 would be a false figure) and draws a null among others as no bar.
 */
import { Stack, Table, Title } from '@mantine/core';
import { Component, lazy, Suspense, useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { TableBox } from '../layout/TableBox.tsx';

const BarsChart = lazy(() => import('./BarsChart.tsx'));

export interface ChartRow {
  key: string;
  label: string;
  values: Record<string, number | null>;
}

export interface ChartSeries {
  key: string;
  label: string;
  color: string;
}

/** Mantine's indigo 8, teal 9, orange 9, grape 8, gray 7, red 9: each at least 3:1 on white. */
export const CHART_COLORS = ['#3b5bdb', '#087f5b', '#d9480f', '#9c36b5', '#495057', '#c92a2a'] as const;

export function CountFigure({
  title,
  rows,
  series,
  stacked = false,
  format,
  headingOrder = 2,
}: {
  title: string;
  rows: readonly ChartRow[];
  series: readonly ChartSeries[];
  stacked?: boolean;
  format: (n: number | null) => string;
  headingOrder?: 2 | 3;
}) {
  const { t } = useTranslation();
  const id = useId();
  if (rows.length === 0) return null;
  const chartRows = rows.filter((r) => Object.values(r.values).some((v) => v !== null));
  return (
    <Stack component="figure" gap="xs" m={0} aria-labelledby={id} className="lupa-figure">
      <Title id={id} order={headingOrder} size="h4">
        {title}
      </Title>
      <div role="img" aria-label={t('chart.imageLabel', { title })} className="lupa-chart">
        <ChartBoundary>
          <Suspense fallback={null}>
            <BarsChart rows={chartRows} series={series} stacked={stacked} format={(n) => format(n)} />
          </Suspense>
        </ChartBoundary>
      </div>
      <TableBox label={t('chart.tableLabel', { title })}>
        <Table captionSide="top" maw={640}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('chart.category')}</Table.Th>
              {series.map((s) => (
                <Table.Th key={s.key} scope="col" ta="right">
                  {s.label}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.key}>
                <Table.Th scope="row" className="lupa-figure-label">
                  {r.label}
                </Table.Th>
                {series.map((s) => (
                  <Table.Td key={s.key} ta="right">
                    {/* A withheld value (null) is said so, never a false 0; a series the row lacks is 0. */}
                    {format(s.key in r.values ? (r.values[s.key] ?? null) : 0)}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </TableBox>
    </Stack>
  );
}

/** A chart that fails to load or draw leaves the table, which holds the same figures. */
class ChartBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }
  override render(): ReactNode {
    return this.state.failed ? null : this.props.children;
  }
}
