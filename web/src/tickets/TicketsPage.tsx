/**
 * The ticket inbox (`GET /v1/tickets`): newest first, filtered by queue and status (in the URL),
 * each ticket with its SLA state. The server audits every ticket listed as read.
 */
import { Alert, Button, Stack, Table, Text, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { TICKET_STATUSES } from '../../../src/core/tickets/ticket.ts';
import { api, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import { FilterForm, useFilters, type FilterField } from '../dpo/FilterForm.tsx';
import { formatDateTime } from '../i18n/index.ts';
import { TableBox } from '../layout/TableBox.tsx';
import { SlaBadge } from './SlaBadge.tsx';

const PAGE = 50;

export function TicketsPage() {
  const { t, i18n } = useTranslation();
  const fields: FilterField[] = [
    { name: 'queue', label: t('tickets.queue') },
    { name: 'status', label: t('tickets.status'), options: [{ value: 'new,open,waiting', label: t('tickets.unsolved') }, ...TICKET_STATUSES.map((s) => ({ value: s, label: t(`tickets.statuses.${s}`) }))] },
  ];
  const filters = useFilters(fields);
  const list = useInfiniteQuery({
    queryKey: ['tickets', filters],
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam }) => unwrap(api.GET('/v1/tickets', { params: { query: { ...(filters as Record<string, never>), limit: PAGE, ...(pageParam === undefined ? {} : { before: pageParam }) } } })),
    getNextPageParam: (last) => (last.next === null ? undefined : last.next),
  });
  const rows = list.data?.pages.flatMap((p) => p.tickets) ?? [];
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('tickets.title')}
      </Title>
      <Text>{t('tickets.intro')}</Text>
      <FilterForm fields={fields} label={t('tickets.filters')} />
      {list.isError && (
        <Alert color="red" role="alert">
          {errorSentence(list.error, t)}
        </Alert>
      )}
      {list.isSuccess && rows.length === 0 && <Text>{t('tickets.none')}</Text>}
      {rows.length > 0 && (
        <TableBox label={t('tickets.title')}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">#</Table.Th>
                <Table.Th scope="col">{t('tickets.subject')}</Table.Th>
                <Table.Th scope="col">{t('tickets.requester')}</Table.Th>
                <Table.Th scope="col">{t('tickets.status')}</Table.Th>
                <Table.Th scope="col">{t('tickets.priority')}</Table.Th>
                <Table.Th scope="col">{t('tickets.queue')}</Table.Th>
                <Table.Th scope="col">{t('tickets.slaState')}</Table.Th>
                <Table.Th scope="col">{t('tickets.created')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((ticket) => (
                <Table.Tr key={ticket.id}>
                  <Table.Td>{ticket.id}</Table.Td>
                  <Table.Td>
                    <Link to={`/tickets/${ticket.id}`}>{ticket.subject}</Link>
                  </Table.Td>
                  <Table.Td>{ticket.contactName ?? ticket.contact ?? ''}</Table.Td>
                  <Table.Td>{t(`tickets.statuses.${ticket.status}`)}</Table.Td>
                  <Table.Td>{t(`tickets.priorities.${ticket.priority}`)}</Table.Td>
                  <Table.Td>{ticket.queue}</Table.Td>
                  <Table.Td>
                    <SlaBadge state={ticket.sla.overall} />
                  </Table.Td>
                  <Table.Td>{formatDateTime(ticket.createdAt, i18n.language)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </TableBox>
      )}
      {list.hasNextPage && (
        <div>
          <Button variant="default" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            {t('dpo.more')}
          </Button>
        </div>
      )}
    </Stack>
  );
}
