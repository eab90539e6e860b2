/**
 * One ad audience (`GET /v1/ad-audiences/{id}`): its size on the platform, its syncs with their
 * additions and removals, and why people are excluded, by reason, as of the last sync (a chart
 * with its table). The roles that manage audiences sync it now.
 */
import { Alert, Button, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { api, unwrap } from '../api/client.ts';
import { CHART_COLORS, CountFigure } from '../charts/CountFigure.tsx';
import { codeText } from '../i18n/codes.ts';
import { formatDateTime, formatNumber } from '../i18n/index.ts';
import { TableBox } from '../layout/TableBox.tsx';
import { allows } from '../session/permissions.ts';
import { useSession } from '../session/session.ts';
import { adAudienceError, syncFailure } from './ad-audience-errors.ts';

/** Whole seconds since `from` (a Date.now()), counted every second while `from` is set. */
function useSecondsSince(from: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (from === null) return undefined;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [from]);
  return from === null ? 0 : Math.max(0, Math.floor((now - from) / 1000));
}

/**
 * Sync now waits for the platform: Meta answers each batch at once, while Google applies a job in
 * its own time and the server asks after it every few seconds (src/channels/ads/google-customer-match.ts),
 * so a sync with changes to Google takes seconds to minutes. The page says so while it waits,
 * counting the seconds, and says the result (or the refusal) when the server answers.
 */
export function AdAudiencePage() {
  const { t, i18n } = useTranslation();
  const id = Number(useParams().id);
  const role = useSession().data?.user.role;
  const queryClient = useQueryClient();
  const status = useQuery({ queryKey: ['ad-audience', id], queryFn: () => unwrap(api.GET('/v1/ad-audiences/{id}', { params: { path: { id } } })) });
  const [syncStarted, setSyncStarted] = useState<number | null>(null);
  const sync = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/ad-audiences/{id}/sync', { params: { path: { id } } })),
    onMutate: () => setSyncStarted(Date.now()),
    onSettled: () => {
      setSyncStarted(null);
      void queryClient.invalidateQueries({ queryKey: ['ad-audience', id] });
      void queryClient.invalidateQueries({ queryKey: ['ad-audiences'] });
    },
  });
  const n = (value: number | null): string => (value === null ? t('adAudiences.small') : formatNumber(value, i18n.language));
  const audience = status.data?.audience;
  const waited = useSecondsSince(syncStarted);
  const latest = status.data?.syncs[0];
  return (
    <section aria-labelledby="ad-audience-title">
      <Group justify="space-between" mb="xs">
        <Title id="ad-audience-title" order={1} size="h2">
          {audience?.name ?? t('adAudiences.title')}
        </Title>
        {role !== undefined && allows(role, 'ad_audiences.manage') && (
          <Button disabled={sync.isPending} onClick={() => sync.mutate()}>
            {sync.isPending ? t('adAudiences.syncingButton') : t('adAudiences.syncNow')}
          </Button>
        )}
      </Group>
      {(status.isError || sync.isError) && (
        <Alert color="red" mb="md" role="alert">
          {adAudienceError(status.error ?? sync.error, t)}
        </Alert>
      )}
      {sync.isPending && (
        <Alert color="blue" mb="md" role="status">
          <Group gap="xs" wrap="nowrap" align="flex-start">
            <Loader size="xs" mt={4} aria-hidden />
            <Text size="sm">
              {t(audience?.platform === 'google' ? 'adAudiences.syncingGoogle' : 'adAudiences.syncing', { platform: audience === undefined ? '' : t(`adAudiences.platforms.${audience.platform}`) })}{' '}
              {waited > 0 && t('adAudiences.syncingFor', { seconds: formatNumber(waited, i18n.language), count: waited })}
            </Text>
          </Group>
        </Alert>
      )}
      {sync.isSuccess && (
        <Alert color="green" mb="md" role="status">
          {t('adAudiences.synced', { added: formatNumber(sync.data.added, i18n.language), removed: formatNumber(sync.data.removed, i18n.language) })}
        </Alert>
      )}
      {audience !== undefined && (
        <Stack gap="lg">
          <Text>
            {t('adAudiences.summary', {
              platform: t(`adAudiences.platforms.${audience.platform}`),
              externalId: audience.externalId,
              size: n(audience.identifiers),
              lastSync: audience.lastSync === null ? t('adAudiences.never') : formatDateTime(audience.lastSync.finishedAt, i18n.language),
            })}
          </Text>
          <Text size="sm" c="dimmed">
            {t('adAudiences.howOften')}
          </Text>
          {latest !== undefined && (
            <CountFigure
              title={t('adAudiences.excluded')}
              rows={Object.entries(latest.blocked).map(([code, v]) => ({ key: code, label: codeText(t, 'reason', code), values: { n: v } }))}
              series={[{ key: 'n', label: t('chart.customers'), color: CHART_COLORS[5] }]}
              format={n}
            />
          )}
          <Title order={2} size="h4">
            {t('adAudiences.syncs')}
          </Title>
          {status.data?.syncs.length === 0 ? (
            <Text>{t('adAudiences.noSyncs')}</Text>
          ) : (
            <TableBox label={t('adAudiences.syncs')}>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('adAudiences.finishedAt')}</Table.Th>
                    <Table.Th scope="col">{t('adAudiences.status')}</Table.Th>
                    <Table.Th scope="col" style={{ textAlign: 'right' }}>
                      {t('adAudiences.eligible')}
                    </Table.Th>
                    <Table.Th scope="col" style={{ textAlign: 'right' }}>
                      {t('adAudiences.added')}
                    </Table.Th>
                    <Table.Th scope="col" style={{ textAlign: 'right' }}>
                      {t('adAudiences.removed')}
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {status.data?.syncs.map((s) => (
                    <Table.Tr key={s.id}>
                      <Table.Td>{formatDateTime(s.finishedAt, i18n.language)}</Table.Td>
                      <Table.Td>{s.status === 'succeeded' ? t('adAudiences.succeeded') : t('adAudiences.failed', { reason: syncFailure(s.error, t) })}</Table.Td>
                      <Table.Td style={{ textAlign: 'right' }}>{n(s.eligible)}</Table.Td>
                      <Table.Td style={{ textAlign: 'right' }}>{formatNumber(s.added, i18n.language)}</Table.Td>
                      <Table.Td style={{ textAlign: 'right' }}>{formatNumber(s.removed, i18n.language)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </TableBox>
          )}
        </Stack>
      )}
    </section>
  );
}
