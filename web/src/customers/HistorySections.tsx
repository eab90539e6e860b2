/**
 * A customer's orders and subscriptions as a timeline (newest first, a page at a time: each order is
 * an "ordered" entry and, when it ended, an "ended" one), and the messages sent to them (first page);
 * the server audits the reads.
 */
import { Alert, Button, Table, Text, Title } from '@mantine/core';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { TableBox } from '../layout/TableBox.tsx';
import { api, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import { codeText } from '../i18n/codes.ts';
import { formatDateTime } from '../i18n/index.ts';
import { Timeline, type TimelineEntry } from './Timeline.tsx';

const ORDERS_PAGE = 20;

export function OrdersSection({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  // Newest first from the server, a page at a time: the timeline shows what has been read so far.
  const orders = useInfiniteQuery({
    queryKey: ['orders', customerId, 'newest'],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/v1/customers/{id}/orders', { params: { path: { id: customerId }, query: { order: 'newest', limit: ORDERS_PAGE, ...(pageParam === undefined ? {} : { after: pageParam }) } } })),
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const rows = orders.data?.pages.flatMap((p) => p.orders) ?? [];
  const entries: TimelineEntry[] = rows.flatMap((o) => {
    const product = t('timeline.product', { name: o.productName, category: codeText(t, 'category', o.category) });
    const started: TimelineEntry = {
      key: `${o.id}-started`,
      at: o.startedAt,
      what: t('timeline.ordered', { product, soldVia: codeText(t, 'soldVia', o.soldVia) }),
      details: o.endedAt === null ? t('timeline.ongoing', { id: o.id }) : t('timeline.orderId', { id: o.id }),
    };
    return o.endedAt === null ? [started] : [started, { key: `${o.id}-ended`, at: o.endedAt, what: t(Date.parse(o.endedAt) > Date.now() ? 'timeline.ends' : 'timeline.ended', { product }), details: t('timeline.orderId', { id: o.id }) }];
  });
  return (
    <section aria-labelledby="orders-title">
      <Title id="orders-title" order={2} size="h4" mb="xs">
        {t('orders.title')}
      </Title>
      {orders.isError && <Alert color="red">{errorSentence(orders.error, t)}</Alert>}
      {orders.isSuccess && rows.length === 0 && <Text>{t('orders.empty')}</Text>}
      {entries.length > 0 && <Timeline label={t('orders.title')} entries={entries} />}
      {orders.hasNextPage && (
        <Button variant="default" mt="xs" loading={orders.isFetchingNextPage} onClick={() => void orders.fetchNextPage()}>
          {t('timeline.more')}
        </Button>
      )}
    </section>
  );
}

export function MessagesSection({ customerId }: { customerId: string }) {
  const { t, i18n } = useTranslation();
  const messages = useQuery({ queryKey: ['messages', customerId], queryFn: () => unwrap(api.GET('/v1/customers/{id}/messages', { params: { path: { id: customerId } } })) });
  return (
    <section aria-labelledby="messages-title">
      <Title id="messages-title" order={2} size="h4" mb="xs">
        {t('messages.title')}
      </Title>
      {messages.isError && <Alert color="red">{errorSentence(messages.error, t)}</Alert>}
      {messages.isSuccess && messages.data.messages.length === 0 && <Text>{t('messages.empty')}</Text>}
      {messages.isSuccess && messages.data.messages.length > 0 && (
        <TableBox label={t('messages.title')}>
          <Table maw={1000}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('messages.campaign')}</Table.Th>
                <Table.Th scope="col">{t('messages.state')}</Table.Th>
                <Table.Th scope="col">{t('messages.sentAt')}</Table.Th>
                <Table.Th scope="col">{t('messages.reasons')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {messages.data.messages.map((m) => (
                <Table.Tr key={m.id}>
                  <Table.Td>{m.campaign.name}</Table.Td>
                  <Table.Td>{codeText(t, 'deliveryState', m.state)}</Table.Td>
                  <Table.Td>{m.sentAt === null ? '' : formatDateTime(m.sentAt, i18n.language)}</Table.Td>
                  <Table.Td>{m.reasons.map((r) => codeText(t, 'reason', r)).join('; ')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </TableBox>
      )}
    </section>
  );
}
