/**
 * The marketer's start (`/`, for roles with `campaigns.write`): campaigns running and scheduled
 * (from the newest `GET /v1/campaigns` page), and the lawful reach for marketing per channel.
 */
import { Alert, Badge, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { codeText } from '../i18n/codes.ts';
import { api, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import { STATUS_COLORS } from '../campaigns/status.ts';
import { formatDateTime } from '../i18n/index.ts';
import { TableBox } from '../layout/TableBox.tsx';
import { ReachFigures } from './ReachFigures.tsx';

export function DashboardPage() {
  const { t, i18n } = useTranslation();
  const campaigns = useQuery({
    queryKey: ['campaigns', 'dashboard'],
    queryFn: () => unwrap(api.GET('/v1/campaigns', { params: { query: { limit: 100 } } })),
    refetchInterval: 10_000,
  });
  const active = (campaigns.data?.campaigns ?? []).filter((c) => c.status === 'running' || c.status === 'paused' || (c.status === 'draft' && c.sendAt !== null));
  return (
    <Stack component="section" aria-labelledby="dashboard-title" gap="lg">
      <Title id="dashboard-title" order={1} size="h2">
        {t('dashboard.title')}
      </Title>
      <section aria-labelledby="active-title">
        <Title id="active-title" order={2} size="h4" mb="xs">
          {t('dashboard.active')}
        </Title>
        {campaigns.isError && <Alert color="red">{errorSentence(campaigns.error, t)}</Alert>}
        {campaigns.isSuccess && active.length === 0 && <Text>{t('dashboard.noneActive')}</Text>}
        {active.length > 0 && (
          <TableBox label={t('dashboard.active')}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('campaigns.name')}</Table.Th>
                  <Table.Th scope="col">{t('campaigns.channel')}</Table.Th>
                  <Table.Th scope="col">{t('campaigns.status')}</Table.Th>
                  <Table.Th scope="col">{t('dashboard.when')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {active.map((c) => (
                  <Table.Tr key={c.id}>
                    <Table.Td>
                      <Link to={`/campaigns/${c.id}`}>{c.name}</Link>
                    </Table.Td>
                    <Table.Td>{codeText(t, 'channel', c.channel)}</Table.Td>
                    <Table.Td>
                      <Badge variant="outline" color={STATUS_COLORS[c.status]}>
                        {c.status === 'draft' ? t('dashboard.scheduled') : codeText(t, 'campaignStatus', c.status)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{formatDateTime((c.status === 'draft' ? c.sendAt : c.launchedAt) ?? c.createdAt, i18n.language)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </TableBox>
        )}
      </section>
      <ReachFigures purpose="marketing" />
    </Stack>
  );
}
