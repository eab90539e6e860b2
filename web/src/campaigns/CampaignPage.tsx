/**
 * One campaign (`/campaigns/:id`): what it is (channel, purpose, template, product, brand, schedule,
 * status), the changes the role may make (CampaignActions), its progress while it runs, its results
 * as charts with tables, and who was skipped (for roles that may read recipients). While the
 * campaign runs, the campaign and its results are read again every POLL_MS, so progress shows
 * without a reload; when it stops (done, paused, cancelled), reading again stops too.
 */
import { Alert, Badge, Group, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { codeText } from '../i18n/codes.ts';
import { api, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import { formatDateTime, formatNumber } from '../i18n/index.ts';
import { allows } from '../session/permissions.ts';
import { useSession } from '../session/session.ts';
import { CampaignActions, readCampaign } from './CampaignActions.tsx';
import { CampaignResults } from './CampaignResults.tsx';
import { SkippedRecipients } from './SkippedRecipients.tsx';
import { STATUS_COLORS } from './status.ts';

/** How often a running campaign is read again (ms). */
const POLL_MS = 1500;

export function CampaignPage() {
  const { t, i18n } = useTranslation();
  const id = Number(useParams().id);
  const role = useSession().data?.user.role;
  const campaign = useQuery({
    queryKey: ['campaign', id],
    enabled: Number.isInteger(id) && id > 0,
    queryFn: () => readCampaign(id),
    refetchInterval: (q) => (q.state.data?.status === 'running' ? POLL_MS : false),
  });
  const status = campaign.data?.status;
  const results = useQuery({
    // The status in the key: the results are read once more as the campaign stops.
    queryKey: ['campaign', id, 'results', status],
    enabled: status !== undefined && status !== 'draft',
    queryFn: () => unwrap(api.GET('/v1/campaigns/{id}/results', { params: { path: { id } } })),
    refetchInterval: status === 'running' ? POLL_MS : false,
    placeholderData: (previous) => previous,
  });

  if (campaign.isError) return <Alert color="red">{errorSentence(campaign.error, t)}</Alert>;
  const c = campaign.data;
  if (c === undefined) return null;
  const byState = c.counts.byState;
  const handled = (byState.sent ?? 0) + (byState.failed ?? 0);
  const toSend = handled + (byState.queued ?? 0) + (byState.claimed ?? 0);
  const language = i18n.language;
  const facts: [string, ReactNode][] = [
    [t('campaigns.channel'), codeText(t, 'channel', c.channel)],
    [t('campaigns.purpose'), codeText(t, 'purpose', c.purpose)],
    [t('campaign.template'), c.templateId ?? t('campaign.none')],
    [t('campaign.product'), c.sku ?? t('campaign.none')],
    [t('campaign.brand'), c.brand ?? t('campaign.defaultBrand')],
    [t('campaign.schedule'), c.sendAt === null ? t('campaign.byHand') : formatDateTime(c.sendAt, language)],
    [t('campaigns.created'), formatDateTime(c.createdAt, language)],
    [t('campaign.launched'), c.launchedAt === null ? t('campaign.notYet') : formatDateTime(c.launchedAt, language)],
  ];

  return (
    <Stack component="section" aria-labelledby="campaign-title" gap="lg">
      <div>
        <Text size="sm">
          <Link to="/campaigns">{t('campaign.back')}</Link>
        </Text>
        <Group gap="sm" align="center" wrap="wrap">
          <Title id="campaign-title" order={1} size="h2">
            {c.name}
          </Title>
          <Badge variant="outline" color={STATUS_COLORS[c.status]} data-testid="campaign-status">
            {codeText(t, 'campaignStatus', c.status)}
          </Badge>
        </Group>
        {c.statusReason !== null && (
          <Alert color="orange" mt="sm" title={t('campaign.pausedBecause')}>
            <code>{c.statusReason}</code>
          </Alert>
        )}
      </div>
      <Table maw={560} variant="vertical" withTableBorder>
        <Table.Tbody>
          {facts.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th scope="row" w={180}>
                {label}
              </Table.Th>
              <Table.Td>{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {role !== undefined && allows(role, 'campaigns.write') && <CampaignActions campaign={c} />}
      {c.status !== 'draft' && (
        <section aria-labelledby="progress-title">
          <Title id="progress-title" order={2} size="h4" mb="xs">
            {t('campaign.progress')}
          </Title>
          <Progress value={toSend === 0 ? 100 : (handled / toSend) * 100} aria-label={t('campaign.progress')} maw={560} size="lg" />
          <Text mt="xs" aria-live="polite" data-testid="campaign-progress">
            {t('campaign.progressText', { handled: formatNumber(handled, language), total: formatNumber(toSend, language), skipped: formatNumber(byState.skipped ?? 0, language) })}
          </Text>
        </section>
      )}
      {results.isError && <Alert color="red">{errorSentence(results.error, t)}</Alert>}
      {results.data !== undefined && c.status !== 'draft' && <CampaignResults results={results.data} skippedTotal={byState.skipped ?? 0} />}
      {role !== undefined && allows(role, 'campaigns.recipients') && c.status !== 'draft' && <SkippedRecipients campaignId={c.id} />}
    </Stack>
  );
}
