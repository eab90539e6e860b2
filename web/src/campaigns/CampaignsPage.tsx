/** Campaigns, newest first, paged on the server (`GET /v1/campaigns`, keyset by id); a campaign's name opens it. */
import { Alert, Badge, Button, Table, Text, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { TableBox } from '../layout/TableBox.tsx';
import { api, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import { codeText } from '../i18n/codes.ts';
import { formatDateTime } from '../i18n/index.ts';
import { STATUS_COLORS } from './status.ts';

const PAGE = 50;

export function CampaignsPage() {
  const { t, i18n } = useTranslation();
  const campaigns = useInfiniteQuery({
    queryKey: ['campaigns'],
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam }) => unwrap(api.GET('/v1/campaigns', { params: { query: { limit: PAGE, ...(pageParam === undefined ? {} : { after: pageParam }) } } })),
    getNextPageParam: (last) => (last.next === null ? undefined : Number(last.next)),
  });
  const rows = campaigns.data?.pages.flatMap((p) => p.campaigns) ?? [];
  return (
    <section aria-labelledby="campaigns-title">
      <Title id="campaigns-title" order={1} size="h2" mb="md">
        {t('campaigns.title')}
      </Title>
      {campaigns.isError && <Alert color="red">{errorSentence(campaigns.error, t)}</Alert>}
      {campaigns.isSuccess && rows.length === 0 && <Text>{t('campaigns.empty')}</Text>}
      {rows.length > 0 && (
        <TableBox label={t('campaigns.title')}>
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('campaigns.name')}</Table.Th>
                <Table.Th scope="col">{t('campaigns.purpose')}</Table.Th>
                <Table.Th scope="col">{t('campaigns.channel')}</Table.Th>
                <Table.Th scope="col">{t('campaigns.status')}</Table.Th>
                <Table.Th scope="col">{t('campaigns.created')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>
                    <Link to={`/campaigns/${c.id}`}>{c.name}</Link>
                  </Table.Td>
                  <Table.Td>{codeText(t, 'purpose', c.purpose)}</Table.Td>
                  <Table.Td>{codeText(t, 'channel', c.channel)}</Table.Td>
                  <Table.Td>
                    <Badge variant="outline" tt="none" color={STATUS_COLORS[c.status]}>
                      {codeText(t, 'campaignStatus', c.status)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{formatDateTime(c.createdAt, i18n.language)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </TableBox>
      )}
      {campaigns.hasNextPage && (
        <Button variant="default" mt="md" loading={campaigns.isFetchingNextPage} onClick={() => void campaigns.fetchNextPage()}>
          {t('campaigns.more')}
        </Button>
      )}
    </section>
  );
}
