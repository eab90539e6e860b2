/**
 * One ad audience (`GET /v1/ad-audiences/{id}`): its size on the platform, its syncs with their
 * additions and removals, and why people are excluded, by reason, as of the last sync (a chart
 * with its table). The roles that manage audiences sync it now.
 */
import { Alert, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
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

export function AdAudiencePage() {
  const { t, i18n } = useTranslation();
  const id = Number(useParams().id);
  const role = useSession().data?.user.role;
  const queryClient = useQueryClient();
  const status = useQuery({ queryKey: ['ad-audience', id], queryFn: () => unwrap(api.GET('/v1/ad-audiences/{id}', { params: { path: { id } } })) });
  const sync = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/ad-audiences/{id}/sync', { params: { path: { id } } })),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: ['ad-audience', id] });
      void queryClient.invalidateQueries({ queryKey: ['ad-audiences'] });
    },
  });
  const n = (value: number | null): string => (value === null ? t('adAudiences.small') : formatNumber(value, i18n.language));
  const audience = status.data?.audience;
  const latest = status.data?.syncs[0];
  return (
    <section aria-labelledby="ad-audience-title">
      <Group justify="space-between" mb="xs">
        <Title id="ad-audience-title" order={1} size="h2">
          {audience?.name ?? t('adAudiences.title')}
        </Title>
        {role !== undefined && allows(role, 'ad_audiences.manage') && (
          <Button loading={sync.isPending} onClick={() => sync.mutate()}>
            {t('adAudiences.syncNow')}
          </Button>
        )}
      </Group>
      {(status.isError || sync.isError) && (
        <Alert color="red" mb="md" role="alert">
          {adAudienceError(status.error ?? sync.error, t)}
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
