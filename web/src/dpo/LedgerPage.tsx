/**
 * The ledger across customers (`GET /v1/ledger`): consents, withdrawals and objections filtered by
 * customer, purpose, channel, source, kind and time (in the URL), newest recorded first, paged on the
 * server. Every customer shown is audited as read by the server.
 */
import { Alert, Anchor, Button, Stack, Table, Text, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { CHANNELS, OBJECTION_SCOPES, PURPOSES } from '../../../src/core/vocabulary.ts';
import { api, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import { codeText, ledgerLine } from '../i18n/codes.ts';
import { formatDateTime } from '../i18n/index.ts';
import { TableBox } from '../layout/TableBox.tsx';
import { FilterForm, useFilters, type FilterField } from './FilterForm.tsx';

const PAGE = 50;

export function LedgerPage() {
  const { t, i18n } = useTranslation();
  const fields: FilterField[] = [
    { name: 'customer', label: t('dpo.customer') },
    {
      name: 'purpose',
      label: t('dpo.purpose'),
      options: [...PURPOSES.map((p) => ({ value: p, label: codeText(t, 'purpose', p) })), ...OBJECTION_SCOPES.map((s) => ({ value: s, label: t(`dpo.scopes.${s}`) }))],
    },
    { name: 'channel', label: t('dpo.channel'), options: CHANNELS.map((c) => ({ value: c, label: t(`channels.${c}`) })) },
    { name: 'source', label: t('dpo.source') },
    { name: 'kind', label: t('dpo.ledger.kind'), options: (['consent', 'objection'] as const).map((k) => ({ value: k, label: t(`dpo.ledger.kinds.${k}`) })) },
    { name: 'from', label: t('dpo.from'), type: 'date' },
    { name: 'to', label: t('dpo.before'), type: 'date' },
  ];
  const filters = useFilters(fields);
  const records = useInfiniteQuery({
    queryKey: ['ledger-search', filters],
    initialPageParam: undefined as number | undefined,
    // The URL's values are checked by the server (a wrong purpose is answered with the field named).
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/v1/ledger', { params: { query: { ...(filters as Record<string, never>), limit: PAGE, ...(pageParam === undefined ? {} : { after: pageParam }) } } })),
    getNextPageParam: (last) => (last.next === null ? undefined : Number(last.next)),
  });
  const rows = records.data?.pages.flatMap((p) => p.records) ?? [];
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('dpo.ledger.title')}
      </Title>
      <Text>{t('dpo.ledger.intro')}</Text>
      <FilterForm fields={fields} label={t('dpo.filters')} />
      {records.isError && (
        <Alert color="red" role="alert">
          {errorSentence(records.error, t)}
        </Alert>
      )}
      {records.isSuccess && rows.length === 0 && <Text>{t('dpo.ledger.none')}</Text>}
      {rows.length > 0 && (
        <TableBox label={t('dpo.ledger.title')}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('dpo.when')}</Table.Th>
                <Table.Th scope="col">{t('dpo.customer')}</Table.Th>
                <Table.Th scope="col">{t('dpo.ledger.what')}</Table.Th>
                <Table.Th scope="col">{t('dpo.source')}</Table.Th>
                <Table.Th scope="col">{t('dpo.ledger.evidence')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.seq}>
                  <Table.Td>{formatDateTime(r.at, i18n.language)}</Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/customers/${encodeURIComponent(r.customerId)}`}>
                      {r.customerId}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    {ledgerLine(t, r)}
                  </Table.Td>
                  <Table.Td>{codeText(t, 'source', r.source)}</Table.Td>
                  <Table.Td>{[r.noticeVersion, r.evidenceRef].filter((v) => v !== null).join('; ')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </TableBox>
      )}
      {records.hasNextPage && (
        <div>
          <Button variant="default" loading={records.isFetchingNextPage} onClick={() => void records.fetchNextPage()}>
            {t('dpo.more')}
          </Button>
        </div>
      )}
    </Stack>
  );
}
