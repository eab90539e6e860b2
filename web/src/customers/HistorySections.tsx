/** A customer's orders and subscriptions, and the messages sent to them (first page of each; the server audits the reads). */
import { Alert, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { TableBox } from '../layout/TableBox.tsx';
import { api, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import { codeText } from '../i18n/codes.ts';
import { formatDateTime } from '../i18n/index.ts';

export function OrdersSection({ customerId }: { customerId: string }) {
  const { t, i18n } = useTranslation();
  const orders = useQuery({ queryKey: ['orders', customerId], queryFn: () => unwrap(api.GET('/v1/customers/{id}/orders', { params: { path: { id: customerId } } })) });
  return (
    <section aria-labelledby="orders-title">
      <Title id="orders-title" order={2} size="h4" mb="xs">
        {t('orders.title')}
      </Title>
      {orders.isError && <Alert color="red">{errorSentence(orders.error, t)}</Alert>}
      {orders.isSuccess && orders.data.orders.length === 0 && <Text>{t('orders.empty')}</Text>}
      {orders.isSuccess && orders.data.orders.length > 0 && (
        <TableBox label={t('orders.title')}>
          <Table maw={1000}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('orders.product')}</Table.Th>
                <Table.Th scope="col">{t('orders.started')}</Table.Th>
                <Table.Th scope="col">{t('orders.ended')}</Table.Th>
                <Table.Th scope="col">{t('orders.soldVia')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {orders.data.orders.map((o) => (
                <Table.Tr key={o.id}>
                  <Table.Td>
                    {o.sku} <Text span size="sm">({codeText(t, 'category', o.category)})</Text>
                  </Table.Td>
                  <Table.Td>{formatDateTime(o.startedAt, i18n.language)}</Table.Td>
                  <Table.Td>{o.endedAt === null ? t('orders.ongoing') : formatDateTime(o.endedAt, i18n.language)}</Table.Td>
                  <Table.Td>{codeText(t, 'soldVia', o.soldVia)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </TableBox>
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
