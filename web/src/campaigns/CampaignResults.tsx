/**
 * A campaign's results (`GET /v1/campaigns/{id}/results`) as charts, each with its table: the funnel
 * from audience to clicks, opens and clicks with people and machines apart (src/core/machine-traffic.ts),
 * skipped by reason, what went wrong after sending (bounces, complaints, refusals, unsubscribes), and
 * clicks per link. `skippedTotal` is the deliveries skipped (one per customer; `skipped` by reason
 * counts a customer under every reason).
 */
import { Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { codeText } from '../i18n/codes.ts';
import type { paths } from '../api/schema';
import { CHART_COLORS, CountFigure, type ChartRow } from '../charts/CountFigure.tsx';
import { formatNumber } from '../i18n/index.ts';

type ResultsAnswer = paths['/v1/campaigns/{id}/results']['get']['responses'][200]['content']['application/json'];

const one = (key: string, label: string, value: number): ChartRow => ({ key, label, values: { n: value } });

export function CampaignResults({ results: r, skippedTotal }: { results: ResultsAnswer; skippedTotal: number }) {
  const { t, i18n } = useTranslation();
  const format = (n: number | null) => formatNumber(n ?? 0, i18n.language);
  const count = [{ key: 'n', label: t('campaign.results.count'), color: CHART_COLORS[0] }];
  const funnel = [
    one('audience', t('campaign.results.audience'), r.audience),
    one('queued', t('campaign.results.queued'), Math.max(0, r.audience - skippedTotal)),
    one('sent', t('campaign.results.sent'), r.sent),
    one('delivered', t('campaign.results.delivered'), r.delivered),
    one('opened', t('campaign.results.opened'), r.opens.uniquePeople),
    one('clicked', t('campaign.results.clicked'), r.clicks.uniquePeople),
  ];
  const tracked = (['opens', 'clicks'] as const).map((k) => ({ key: k, label: t(`campaign.results.${k}`), values: { uniquePeople: r[k].uniquePeople, people: r[k].people, machines: r[k].machines } }));
  const trouble = [
    one('hardBounced', t('campaign.results.hardBounced'), r.hardBounced),
    one('softBounced', t('campaign.results.softBounced'), r.softBounced),
    one('complaints', t('campaign.results.complaints'), r.complaints),
    one('senderRefused', t('campaign.results.senderRefused'), r.senderRefused),
    one('failed', t('campaign.results.failed'), r.failed),
    one('unsubscribed', t('campaign.results.unsubscribed'), r.unsubscribed),
  ];
  return (
    <Stack gap="xl" component="section" aria-labelledby="results-title">
      <Title id="results-title" order={2} size="h3">
        {t('campaign.results.title')}
      </Title>
      <CountFigure title={t('campaign.results.funnel')} rows={funnel} series={count} format={format} headingOrder={3} />
      <CountFigure
        title={t('campaign.results.tracking')}
        rows={tracked}
        series={[
          { key: 'uniquePeople', label: t('campaign.results.uniquePeople'), color: CHART_COLORS[0] },
          { key: 'people', label: t('campaign.results.peopleHits'), color: CHART_COLORS[1] },
          { key: 'machines', label: t('campaign.results.machineHits'), color: CHART_COLORS[4] },
        ]}
        format={format}
        headingOrder={3}
      />
      <CountFigure title={t('campaign.results.skipped')} rows={Object.entries(r.skipped).map(([reason, n]) => one(reason, codeText(t, 'reason', reason), n))} series={count} format={format} headingOrder={3} />
      <CountFigure title={t('campaign.results.trouble')} rows={trouble} series={count} format={format} headingOrder={3} />
      <CountFigure
        title={t('campaign.results.links')}
        rows={r.links.map((l) => ({ key: String(l.idx), label: l.url ?? `#${l.idx + 1}`, values: { people: l.people, machines: l.machines } }))}
        series={[
          { key: 'people', label: t('campaign.results.peopleHits'), color: CHART_COLORS[1] },
          { key: 'machines', label: t('campaign.results.machineHits'), color: CHART_COLORS[4] },
        ]}
        stacked
        format={format}
        headingOrder={3}
      />
    </Stack>
  );
}
