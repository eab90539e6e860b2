/**
 * Feedback results (`GET /v1/feedback/results`, docs/customer-service.md#feedback): CSAT or NPS,
 * grouped by month, agent or queue, over a range of months; the filters are in the URL. Each group
 * with the questions sent, the answers, the response rate and the score; the score distribution of
 * the whole selection as a chart with the same figures in a table. Scores of a group with fewer
 * answers than the server's minimum are withheld (rule 11), and said so.
 */
import { Alert, Group, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import type { paths } from '../api/schema.d.ts';
import { CHART_COLORS, CountFigure } from '../charts/CountFigure.tsx';
import { formatNumber } from '../i18n/index.ts';
import { TableBox } from '../layout/TableBox.tsx';

type Query = NonNullable<paths['/v1/feedback/results']['get']['parameters']['query']>;
type Results = paths['/v1/feedback/results']['get']['responses'][200]['content']['application/json'];
type Group = Results['groups'][number];

const KINDS = ['csat', 'nps'] as const;
const GROUPINGS = ['month', 'agent', 'queue', 'all'] as const;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function oneOf<T extends string>(values: readonly T[], value: string | null, fallback: T): T {
  return (values as readonly string[]).includes(value ?? '') ? (value as T) : fallback;
}

export function FeedbackPage() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const kind = oneOf(KINDS, params.get('kind'), 'csat');
  const by = oneOf(GROUPINGS, params.get('by'), 'month');
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const query: Query = { kind, by, ...(MONTH.test(from) ? { from } : {}), ...(MONTH.test(to) ? { to } : {}) };
  const results = useQuery({ queryKey: ['feedback-results', query], queryFn: () => unwrap(api.GET('/v1/feedback/results', { params: { query } })) });
  const set = (name: string, value: string): void => {
    const next = new URLSearchParams(params);
    if (value === '') next.delete(name);
    else next.set(name, value);
    setParams(next, { replace: true });
  };
  const n = (v: number | null): string => (v === null ? t('feedback.withheldShort') : formatNumber(v, i18n.language));
  const pct = (v: number | null): string => (v === null ? '–' : `${formatNumber(Math.round(v * 1000) / 10, i18n.language)} %`);
  const score = (g: Group): string => (g.withheld ? t('feedback.withheldShort') : kind === 'csat' ? (g.average === null ? '–' : formatNumber(g.average, i18n.language)) : g.npsScore === null ? '–' : formatNumber(g.npsScore, i18n.language));
  const keyLabel = (key: string): string => (key === 'all' ? t('feedback.all') : key === '(none)' ? t('feedback.none') : key);
  const total = results.data?.total ?? null;
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('feedback.title')}
      </Title>
      <Text c="dimmed">{t('feedback.intro')}</Text>
      <Group align="end">
        <NativeSelect label={t('feedback.kind')} value={kind} onChange={(e) => set('kind', e.currentTarget.value)} data={KINDS.map((k) => ({ value: k, label: t(`feedback.kinds.${k}`) }))} />
        <NativeSelect label={t('feedback.by')} value={by} onChange={(e) => set('by', e.currentTarget.value)} data={GROUPINGS.map((g) => ({ value: g, label: t(`feedback.groupings.${g}`) }))} />
        <TextInput label={t('feedback.from')} placeholder="2026-01" value={from} onChange={(e) => set('from', e.currentTarget.value)} error={from !== '' && !MONTH.test(from) ? t('feedback.monthFormat') : undefined} />
        <TextInput label={t('feedback.to')} placeholder="2026-12" value={to} onChange={(e) => set('to', e.currentTarget.value)} error={to !== '' && !MONTH.test(to) ? t('feedback.monthFormat') : undefined} />
      </Group>
      {results.isError && (
        <Alert color="red" role="alert">
          {errorSentence(results.error, t)}
        </Alert>
      )}
      {results.data !== undefined && results.data.groups.length === 0 && <Text>{t('feedback.empty')}</Text>}
      {results.data !== undefined && results.data.groups.length > 0 && (
        <>
          {total !== null && (
            <Text aria-live="polite">
              {t(kind === 'csat' ? 'feedback.totalCsat' : 'feedback.totalNps', { sent: n(total.sent), answered: n(total.answered), rate: pct(total.responseRate), score: score(total) })}
            </Text>
          )}
          {results.data.groups.some((g) => g.withheld) && <Text size="sm">{t('feedback.withheld', { min: results.data.minGroup })}</Text>}
          <TableBox label={t('feedback.tableLabel')}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t(`feedback.groupings.${by}`)}</Table.Th>
                  <Table.Th scope="col" ta="right">{t('feedback.sent')}</Table.Th>
                  <Table.Th scope="col" ta="right">{t('feedback.answered')}</Table.Th>
                  <Table.Th scope="col" ta="right">{t('feedback.rate')}</Table.Th>
                  <Table.Th scope="col" ta="right">{t(kind === 'csat' ? 'feedback.average' : 'feedback.nps')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {results.data.groups.map((g) => (
                  <Table.Tr key={g.key}>
                    <Table.Th scope="row">{keyLabel(g.key)}</Table.Th>
                    <Table.Td ta="right">{n(g.sent)}</Table.Td>
                    <Table.Td ta="right">{n(g.answered)}</Table.Td>
                    <Table.Td ta="right">{pct(g.responseRate)}</Table.Td>
                    <Table.Td ta="right">{score(g)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </TableBox>
          {total?.distribution != null && (
            <CountFigure
              title={t('feedback.distribution', { kind: t(`feedback.kinds.${kind}`) })}
              rows={Object.entries(total.distribution).map(([s, count]) => ({ key: s, label: s, values: { n: count } }))}
              series={[{ key: 'n', label: t('feedback.answers'), color: CHART_COLORS[0] }]}
              format={n}
            />
          )}
        </>
      )}
    </Stack>
  );
}
