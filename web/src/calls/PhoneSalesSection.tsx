/**
 * A customer's phone sales on the customer view, each with its evidence: the call it was made on,
 * its basis (written acceptance, or the law's exception with its evidence), the written offer and
 * when it was sent, the deadline, the acceptance and the order it became. The server audits the
 * list as a read of each sale.
 */
import { Alert, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import { formatDateTime } from '../i18n/index.ts';
import { TableBox } from '../layout/TableBox.tsx';
import { allows } from '../session/permissions.ts';
import { useSession } from '../session/session.ts';

export function PhoneSalesSection({ customerId }: { customerId: string }) {
  const { t, i18n } = useTranslation();
  const role = useSession().data?.user.role;
  const canRead = role !== undefined && allows(role, 'phone_sales.read');
  const sales = useQuery({
    queryKey: ['phone-sales', customerId],
    enabled: canRead,
    queryFn: () => unwrap(api.GET('/v1/phone-sales', { params: { query: { customerId, limit: 50 } } })),
  });
  if (!canRead) return null;
  const rows = sales.data?.sales ?? [];
  const when = (at: string | null): string => (at === null ? '—' : formatDateTime(at, i18n.language));
  return (
    <section aria-labelledby="phone-sales-title">
      <Title id="phone-sales-title" order={2} size="h4" mb="xs">
        {t('callLists.salesTitle')}
      </Title>
      {sales.isError && <Alert color="red">{errorSentence(sales.error, t)}</Alert>}
      {sales.isSuccess && rows.length === 0 && <Text>{t('callLists.noSales')}</Text>}
      {rows.length > 0 && (
        <TableBox label={t('callLists.salesTitle')}>
          <Table maw={1100}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('callLists.saleState')}</Table.Th>
                <Table.Th scope="col">{t('callLists.offer')}</Table.Th>
                <Table.Th scope="col">{t('callLists.basis')}</Table.Th>
                <Table.Th scope="col">{t('callLists.offerSent')}</Table.Th>
                <Table.Th scope="col">{t('callLists.acceptedAt')}</Table.Th>
                <Table.Th scope="col">{t('callLists.order')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>
                    {t(`callLists.states.${s.stateNow}`)}
                    <Text size="sm" c="gray.7">
                      {t('callLists.saleOfCall', { id: s.id, call: s.callId, agent: s.agent })}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <details>
                      <summary>{s.terms.productName}</summary>
                      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                        {s.writtenOffer.text}
                      </Text>
                    </details>
                  </Table.Td>
                  <Table.Td>
                    {t(`callLists.bases.${s.basis}`)}
                    {s.requestEvidence !== null && <Text size="sm">{s.requestEvidence}</Text>}
                  </Table.Td>
                  <Table.Td>
                    {when(s.offerSentAt)}
                    <Text size="sm" c="gray.7">
                      {t('callLists.acceptBy', { to: s.deliveredTo, at: when(s.acceptBy) })}
                    </Text>
                  </Table.Td>
                  <Table.Td>{when(s.acceptedAt)}</Table.Td>
                  <Table.Td>{s.orderId ?? '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </TableBox>
      )}
    </section>
  );
}
