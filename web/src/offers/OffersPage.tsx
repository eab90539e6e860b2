/**
 * The offer catalogue: every offer with its price, channels, validity and outcomes (shown,
 * accepted, declined, ignored) and acceptance rate; a marketer or administrator adds and edits
 * offers in the form below the list. A customer's ranked offers are on the customer's page.
 */
import { Alert, Button, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import { codeText } from '../i18n/codes.ts';
import { formatDateTime, formatNumber, formatPrice } from '../i18n/index.ts';
import { TableBox } from '../layout/TableBox.tsx';
import { allows } from '../session/permissions.ts';
import { useSession } from '../session/session.ts';
import { OfferForm } from './OfferForm.tsx';

export function OffersPage() {
  const { t, i18n } = useTranslation();
  const role = useSession().data?.user.role;
  const mayWrite = role !== undefined && allows(role, 'offers.write');
  const offers = useQuery({ queryKey: ['offers'], queryFn: () => unwrap(api.GET('/v1/offers')) });
  const [editing, setEditing] = useState<number | 'new'>('new');
  const [saves, setSaves] = useState(0);
  const [saved, setSaved] = useState<string | null>(null);
  const statusRef = useRef<HTMLDivElement>(null);
  const list = offers.data?.offers ?? [];
  const chosen = editing === 'new' ? null : (list.find((o) => o.id === editing) ?? null);
  const percent = (r: number | null | undefined) => (r === null || r === undefined ? '–' : `${formatNumber(Math.round(r * 1000) / 10, i18n.language)} %`);
  return (
    <>
      <Title order={1} size="h2" mb="xs">
        {t('offers.title')}
      </Title>
      <Text mb="md">{t('offers.intro')}</Text>
      {offers.isError && <Alert color="red">{errorSentence(offers.error, t)}</Alert>}
      {offers.isSuccess && list.length === 0 && <Text>{t('offers.none')}</Text>}
      {list.length > 0 && (
        <TableBox label={t('offers.listLabel')}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                {(['code', 'product', 'price', 'period', 'channels', 'validUntil', 'shown', 'accepted', 'declined', 'ignored', 'rate'] as const).map((k) => (
                  <Table.Th key={k}>{t(`offers.${k}`)}</Table.Th>
                ))}
                {mayWrite && <Table.Th>{t('offers.edit')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((o) => (
                <Table.Tr key={o.id}>
                  <Table.Td>
                    {o.code}
                    <Text size="sm" c="dimmed">
                      {o.name}
                    </Text>
                  </Table.Td>
                  <Table.Td>{o.product?.name ?? o.sku}</Table.Td>
                  <Table.Td>{formatPrice(o.priceCents, o.currency, i18n.language)}</Table.Td>
                  <Table.Td>{o.periodMonths}</Table.Td>
                  <Table.Td>{o.channels.map((c) => codeText(t, 'channel', c)).join(', ')}</Table.Td>
                  <Table.Td>{o.validUntil === null ? t('offers.noEnd') : formatDateTime(o.validUntil, i18n.language)}</Table.Td>
                  <Table.Td>{o.stats?.shown ?? 0}</Table.Td>
                  <Table.Td>{o.stats?.accepted ?? 0}</Table.Td>
                  <Table.Td>{o.stats?.declined ?? 0}</Table.Td>
                  <Table.Td>{o.stats?.ignored ?? 0}</Table.Td>
                  <Table.Td>{percent(o.acceptanceRate)}</Table.Td>
                  {mayWrite && (
                    <Table.Td>
                      <Button variant="default" size="xs" aria-label={t('offers.editLabel', { code: o.code })} onClick={() => setEditing(o.id)}>
                        {t('offers.edit')}
                      </Button>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </TableBox>
      )}
      <div role="status" aria-live="polite" ref={statusRef} tabIndex={-1}>
        {saved !== null && <Text mt="sm">{t('offers.savedStatus', { code: saved })}</Text>}
      </div>
      {mayWrite && (
        <section style={{ marginTop: 'var(--mantine-spacing-lg)' }}>
          {editing !== 'new' && (
            <Button variant="subtle" mb="xs" onClick={() => setEditing('new')}>
              {t('offers.newTitle')}
            </Button>
          )}
          <OfferForm
            key={`${String(editing)}-${saves}`}
            editing={chosen}
            onDone={(code) => {
              // A new form after each save: the one just saved is in the list above, not left in the fields.
              setSaves((n) => n + 1);
              setSaved(code);
              setEditing('new');
              statusRef.current?.focus();
            }}
          />
        </section>
      )}
    </>
  );
}
