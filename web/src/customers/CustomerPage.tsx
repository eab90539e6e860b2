/**
 * One customer: profile and contact details, and the "may we?" grid — each purpose × channel with
 * the verdict and its reasons, as `decide` answers now (the server audits the read).
 */
import { Alert, Badge, Stack, Table, Text, Title } from '@mantine/core';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { TableBox } from '../layout/TableBox.tsx';
import { useParams } from 'react-router';
import type { Channel, Purpose } from '../../../src/core/vocabulary.ts';
import { api, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import { allows } from '../session/permissions.ts';
import { useSession } from '../session/session.ts';
import { MessagesSection, OrdersSection } from './HistorySections.tsx';
import { LedgerSection } from './LedgerSection.tsx';

/** The grid's rows and columns: what an agent is asked about on the phone. */
const GRID_PURPOSES: Purpose[] = ['service', 'marketing', 'partner_marketing', 'profiling'];
const GRID_CHANNELS: Channel[] = ['email', 'sms', 'phone', 'post'];
/** White text on these is above 7:1 (WCAG AAA); the library's light greens are below 4.5:1. */
const ALLOWED_COLOUR = '#1b5e20';
const BLOCKED_COLOUR = '#b71c1c';

export function CustomerPage() {
  const { t } = useTranslation();
  const id = useParams()['id'] ?? '';
  const role = useSession().data?.user.role;
  const customer = useQuery({ queryKey: ['customer', id], queryFn: () => unwrap(api.GET('/v1/customers/{id}', { params: { path: { id } } })) });
  const cells = GRID_PURPOSES.flatMap((purpose) => GRID_CHANNELS.map((channel) => ({ purpose, channel })));
  const verdicts = useQueries({
    queries: cells.map(({ purpose, channel }) => ({
      queryKey: ['decide', id, purpose, channel],
      enabled: customer.isSuccess,
      queryFn: () => unwrap(api.GET('/v1/decide', { params: { query: { customer: id, purpose, channel } } })),
    })),
  });

  if (customer.isError) {
    return (
      <Alert color="red" role="alert">
        {errorSentence(customer.error, t)}
      </Alert>
    );
  }
  const c = customer.data;
  if (c === undefined) return null;
  return (
    <Stack>
      <Title order={1} size="h2">
        {c.name} <Text span c="gray.7">({c.id})</Text>
      </Title>
      <section aria-labelledby="profile-title">
        <Title id="profile-title" order={2} size="h4">
          {t('customers.addresses')}
        </Title>
        <TableBox label={t('customers.addresses')}>
          <Table maw={640}>
            <Table.Tbody>
              <Table.Tr>
                <Table.Th scope="row">{t('customers.kind')}</Table.Th>
                <Table.Td>{c.kind}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th scope="row">{t('customers.email')}</Table.Th>
                <Table.Td>{c.emails.join(', ')}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th scope="row">{t('customers.phone')}</Table.Th>
                <Table.Td>{c.phones.join(', ')}</Table.Td>
              </Table.Tr>
              {c.address !== null && (
                <Table.Tr>
                  <Table.Th scope="row">{t('customers.address')}</Table.Th>
                  <Table.Td>{`${c.address.street}, ${c.address.postalCode} ${c.address.city}`}</Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </TableBox>
      </section>
      <section aria-labelledby="maywe-title">
        <Title id="maywe-title" order={2} size="h4">
          {t('customers.mayWe')}
        </Title>
        <TableBox label={t('customers.mayWe')}>
          <Table withTableBorder maw={900}>
            <Table.Thead>
              <Table.Tr>
                <Table.Td />
                {GRID_CHANNELS.map((ch) => (
                  <Table.Th scope="col" key={ch}>
                    {t(`channels.${ch}`)}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {GRID_PURPOSES.map((purpose, row) => (
                <Table.Tr key={purpose}>
                  <Table.Th scope="row">{t(`purposes.${purpose}`)}</Table.Th>
                  {GRID_CHANNELS.map((channel, col) => {
                    const verdict = verdicts[row * GRID_CHANNELS.length + col]?.data;
                    return (
                      <Table.Td key={channel}>
                        {verdict !== undefined && (
                          <Stack gap={2}>
                            <Badge color={verdict.allowed ? ALLOWED_COLOUR : BLOCKED_COLOUR} variant="filled">
                              {verdict.allowed ? t('customers.allowed') : t('customers.blocked')}
                            </Badge>
                            <Text size="xs">{verdict.reasons.join(', ')}</Text>
                          </Stack>
                        )}
                      </Table.Td>
                    );
                  })}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </TableBox>
      </section>
      <LedgerSection customerId={c.id} canRecord={role !== undefined && allows(role, 'ledger.append')} />
      {role !== undefined && allows(role, 'customers.orders') && <OrdersSection customerId={c.id} />}
      {role !== undefined && allows(role, 'customers.messages') && <MessagesSection customerId={c.id} />}
    </Stack>
  );
}
