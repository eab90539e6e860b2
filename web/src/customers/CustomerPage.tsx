/**
 * One customer: profile and contact details, and the "may we?" grid — each purpose × channel with
 * the verdict and its reasons, as `decide` answers now, all read in one request
 * (`GET /v1/customers/{id}/permissions`; the server audits it as one read).
 */
import { Alert, Badge, Button, Group, NativeSelect, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TableBox } from '../layout/TableBox.tsx';
import { useParams } from 'react-router';
import type { Channel, Purpose } from '../../../src/core/vocabulary.ts';
import { api, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import { codeText } from '../i18n/codes.ts';
import { allows } from '../session/permissions.ts';
import { useSession } from '../session/session.ts';
import { MessagesSection, OrdersSection } from './HistorySections.tsx';
import { HistorySection } from './HistorySection.tsx';
import { LedgerSection } from './LedgerSection.tsx';
import { InterestsSection } from './InterestsSection.tsx';
import { CallsSection } from './CallsSection.tsx';
import { PhoneSalesSection } from '../calls/PhoneSalesSection.tsx';
import { OffersSection } from './OffersSection.tsx';
import { ProfileEditor } from './ProfileEditor.tsx';
import { CustomerTickets } from '../tickets/CustomerTickets.tsx';

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
  const [editing, setEditing] = useState(false);
  const customer = useQuery({ queryKey: ['customer', id], queryFn: () => unwrap(api.GET('/v1/customers/{id}', { params: { path: { id } } })) });
  // Marketing for a product can rest on an earlier purchase of it (soft opt-in): the grid answers for the product chosen.
  const [product, setProduct] = useState('');
  const products = useQuery({ queryKey: ['products', 'all'], queryFn: () => unwrap(api.GET('/v1/products', { params: { query: { limit: 100 } } })) });
  const permissions = useQuery({
    queryKey: ['permissions', id, product],
    enabled: customer.isSuccess,
    queryFn: () => unwrap(api.GET('/v1/customers/{id}/permissions', { params: { path: { id }, query: product === '' ? {} : { product } } })),
  });
  const verdictOf = (purpose: Purpose, channel: Channel) => permissions.data?.verdicts.find((v) => v.purpose === purpose && v.channel === channel);

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
        <Group justify="space-between" maw={640}>
          <Title id="profile-title" order={2} size="h4">
            {t('customers.addresses')}
          </Title>
          {!editing && role !== undefined && allows(role, 'customers.write') && (
            <Button variant="default" size="xs" onClick={() => setEditing(true)}>
              {t('profileEdit.edit')}
            </Button>
          )}
        </Group>
        {editing && <ProfileEditor customer={c} onDone={() => setEditing(false)} />}
        {!editing && (
        <TableBox label={t('customers.addresses')}>
          <Table maw={640}>
            <Table.Tbody>
              <Table.Tr>
                <Table.Th scope="row">{t('customers.kind')}</Table.Th>
                <Table.Td>{codeText(t, 'kind', c.kind)}</Table.Td>
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
        )}
      </section>
      <section aria-labelledby="maywe-title">
        <Title id="maywe-title" order={2} size="h4">
          {t('customers.mayWe')}
        </Title>
        <NativeSelect
          label={t('grid.product')}
          description={t('grid.productHint')}
          maw={420}
          mb="xs"
          value={product}
          onChange={(e) => setProduct(e.currentTarget.value)}
          data={[{ value: '', label: t('grid.noProduct') }, ...(products.data?.products ?? []).map((p) => ({ value: p.sku, label: `${p.name} (${p.sku})` }))]}
        />
        <TableBox label={t('customers.mayWe')}>
          <Table withTableBorder maw={900}>
            <Table.Thead>
              <Table.Tr>
                <Table.Td />
                {GRID_CHANNELS.map((ch) => (
                  <Table.Th scope="col" key={ch}>
                    {codeText(t, 'channel', ch)}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {GRID_PURPOSES.map((purpose) => (
                <Table.Tr key={purpose}>
                  <Table.Th scope="row">{codeText(t, 'purpose', purpose)}</Table.Th>
                  {GRID_CHANNELS.map((channel) => {
                    const verdict = verdictOf(purpose, channel);
                    return (
                      <Table.Td key={channel}>
                        {verdict !== undefined && (
                          <Stack gap={2}>
                            <Badge color={verdict.allowed ? ALLOWED_COLOUR : BLOCKED_COLOUR} variant="filled" tt="none">
                              {verdict.allowed ? t('customers.allowed') : t('customers.blocked')}
                            </Badge>
                            {verdict.reasons.map((reason) => (
                              <Text size="xs" key={reason}>
                                {codeText(t, 'reason', reason)}
                              </Text>
                            ))}
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
        {permissions.isError && (
          <Alert color="red" role="alert">
            {errorSentence(permissions.error, t)}
          </Alert>
        )}
      </section>
      {role !== undefined && allows(role, 'customers.history') && <HistorySection customerId={c.id} />}
      <LedgerSection customerId={c.id} canRecord={role !== undefined && allows(role, 'ledger.append')} />
      <InterestsSection customerId={c.id} />
      {role !== undefined && allows(role, 'customers.orders') && <OrdersSection customerId={c.id} />}
      {role !== undefined && allows(role, 'customers.messages') && <MessagesSection customerId={c.id} />}
      <CallsSection customerId={c.id} />
      <PhoneSalesSection customerId={c.id} />
      <CustomerTickets customerId={c.id} />
      {role !== undefined && allows(role, 'offers.customer') && <OffersSection customerId={c.id} />}
    </Stack>
  );
}
