/**
 * Who a campaign skipped and why (`GET /v1/campaigns/{id}/skipped`, paged on the server by customer
 * id), for roles with `campaigns.recipients`: customer ids and reason codes (docs/reasons.md), no
 * other personal data.
 */
import { Alert, Button, Table, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { codeText } from '../i18n/codes.ts';
import { api, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import { formatDateTime } from '../i18n/index.ts';
import { TableBox } from '../layout/TableBox.tsx';

const PAGE = 50;

export function SkippedRecipients({ campaignId }: { campaignId: number }) {
  const { t, i18n } = useTranslation();
  const skipped = useInfiniteQuery({
    queryKey: ['campaign', campaignId, 'skipped'],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => unwrap(api.GET('/v1/campaigns/{id}/skipped', { params: { path: { id: campaignId }, query: { limit: PAGE, ...(pageParam === undefined ? {} : { after: pageParam }) } } })),
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const rows = skipped.data?.pages.flatMap((p) => p.skipped) ?? [];
  if (skipped.isSuccess && rows.length === 0) return null;
  return (
    <section aria-labelledby="skipped-title">
      <Title id="skipped-title" order={2} size="h4" mb="xs">
        {t('campaign.skippedList.title')}
      </Title>
      {skipped.isError && <Alert color="red">{errorSentence(skipped.error, t)}</Alert>}
      {rows.length > 0 && (
        <TableBox label={t('campaign.skippedList.title')}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('campaign.skippedList.customer')}</Table.Th>
                <Table.Th scope="col">{t('campaign.skippedList.reasons')}</Table.Th>
                <Table.Th scope="col">{t('campaign.skippedList.decidedAt')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((d) => (
                <Table.Tr key={d.id}>
                  <Table.Td>{d.customerId}</Table.Td>
                  <Table.Td>
                    {d.reasons.map((r) => codeText(t, 'reason', r)).join('; ')}
                  </Table.Td>
                  <Table.Td>{formatDateTime(d.decidedAt, i18n.language)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </TableBox>
      )}
      {skipped.hasNextPage && (
        <Button variant="default" mt="sm" loading={skipped.isFetchingNextPage} onClick={() => void skipped.fetchNextPage()}>
          {t('campaigns.more')}
        </Button>
      )}
    </section>
  );
}
