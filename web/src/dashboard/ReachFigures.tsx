/**
 * Lawful reach for a purpose over every channel (`GET /v1/audience`, one question per channel): who
 * may be contacted and who may not, per channel, and the blocking reasons per channel. One customer
 * blocked for several reasons counts under each reason, so the reasons are not stacked. Counts below
 * the API's small-count limit are null: "fewer than n" in the tables, 0 in the charts.
 */
import { Alert, Stack, Text } from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { codeText } from '../i18n/codes.ts';
import { CHANNELS, type Purpose } from '../../../src/core/vocabulary.ts';
import { api, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import { CHART_COLORS, CountFigure, type ChartRow } from '../charts/CountFigure.tsx';
import { formatDateTime, formatNumber } from '../i18n/index.ts';

/** A reason's count on one channel: 0 where no one was blocked for it, null where it is withheld (not 0: that would be a false figure). */
function reasonCount(blocked: Record<string, number | null>, reason: string): number | null {
  return reason in blocked ? (blocked[reason] as number | null) : 0;
}

export function ReachFigures({ purpose }: { purpose: Purpose }) {
  const { t, i18n } = useTranslation();
  const answers = useQueries({
    queries: CHANNELS.map((channel) => ({
      queryKey: ['audience', purpose, channel, ''],
      queryFn: () => unwrap(api.GET('/v1/audience', { params: { query: { purpose, channel } } })),
    })),
  });
  const failed = answers.find((a) => a.isError);
  if (failed !== undefined) return <Alert color="red">{errorSentence(failed.error, t)}</Alert>;
  if (answers.some((a) => a.data === undefined)) return <Text>{t('dashboard.loading')}</Text>;
  const data = answers.map((a) => a.data!);
  const withheldBelow = data.find((d) => d.suppressedBelow !== undefined)?.suppressedBelow;
  const format = (n: number | null) => (n === null ? t('audiences.withheld') : formatNumber(n, i18n.language));
  const notAllowed = (evaluated: number | null, allowed: number | null) => (evaluated === null || allowed === null ? null : evaluated - allowed);
  const reach: ChartRow[] = CHANNELS.map((channel, i) => ({ key: channel, label: codeText(t, 'channel', channel), values: { allowed: data[i]!.allowed, blocked: notAllowed(data[i]!.evaluated, data[i]!.allowed) } }));
  const reasons = [...new Set(data.flatMap((d) => Object.keys(d.blocked)))].sort();
  const byReason: ChartRow[] = reasons.map((reason) => ({ key: reason, label: codeText(t, 'reason', reason), values: Object.fromEntries(CHANNELS.map((channel, i) => [channel, reasonCount(data[i]!.blocked, reason)])) }));
  return (
    <Stack gap="xl">
      <Text size="sm" c="gray.7">
        {t('audiences.asOf', { at: formatDateTime(data[0]!.asOf, i18n.language) })}
      </Text>
      {withheldBelow !== undefined && (
        <Text size="sm" c="gray.7">
          {t('audiences.withheldNote', { n: withheldBelow })}
        </Text>
      )}
      <CountFigure
        title={t('dashboard.reach', { purpose: codeText(t, 'purpose', purpose) })}
        rows={reach}
        series={[
          { key: 'allowed', label: t('dashboard.allowed'), color: CHART_COLORS[1] },
          { key: 'blocked', label: t('dashboard.blocked'), color: CHART_COLORS[5] },
        ]}
        stacked
        format={format}
      />
      <CountFigure
        title={t('dashboard.blockedBy')}
        rows={byReason}
        series={CHANNELS.map((channel, i) => ({ key: channel, label: codeText(t, 'channel', channel), color: CHART_COLORS[i % CHART_COLORS.length]! }))}
        format={format}
      />
    </Stack>
  );
}
