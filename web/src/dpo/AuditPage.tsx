/**
 * The audit log (`GET /v1/audit`): who read or changed personal data, newest first, filtered by
 * customer, actor, action and time (in the URL), paged on the server, with the same view as CSV
 * (`GET /v1/audit.csv`). The server records this read too (`audit.read`).
 */
import { Alert, Anchor, Button, Stack, Table, Text, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import { formatDateTime } from '../i18n/index.ts';
import { TableBox } from '../layout/TableBox.tsx';
import { FilterForm, useFilters, type FilterField } from './FilterForm.tsx';

const PAGE = 50;

export function AuditPage() {
  const { t, i18n } = useTranslation();
  const fields: FilterField[] = [
    { name: 'customer', label: t('dpo.customer') },
    { name: 'actor', label: t('dpo.audit.actor') },
    { name: 'action', label: t('dpo.audit.action') },
    { name: 'from', label: t('dpo.from'), type: 'date' },
    { name: 'to', label: t('dpo.before'), type: 'date' },
  ];
  const filters = useFilters(fields);
  const entries = useInfiniteQuery({
    queryKey: ['audit', filters],
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam }) => unwrap(api.GET('/v1/audit', { params: { query: { ...filters, limit: PAGE, ...(pageParam === undefined ? {} : { after: pageParam }) } } })),
    getNextPageParam: (last) => (last.next === null ? undefined : Number(last.next)),
  });
  const rows = entries.data?.pages.flatMap((p) => p.entries) ?? [];
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('dpo.audit.title')}
      </Title>
      <Text>{t('dpo.audit.intro')}</Text>
      <FilterForm fields={fields} label={t('dpo.filters')} />
      <div>
        <Anchor href={`/v1/audit.csv?${new URLSearchParams(filters).toString()}`} download>
          {t('dpo.audit.export')}
        </Anchor>
      </div>
      {entries.isError && (
        <Alert color="red" role="alert">
          {errorSentence(entries.error, t)}
        </Alert>
      )}
      {entries.isSuccess && rows.length === 0 && <Text>{t('dpo.audit.none')}</Text>}
      {rows.length > 0 && (
        <TableBox label={t('dpo.audit.title')}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('dpo.when')}</Table.Th>
                <Table.Th scope="col">{t('dpo.audit.actor')}</Table.Th>
                <Table.Th scope="col">{t('dpo.audit.role')}</Table.Th>
                <Table.Th scope="col">{t('dpo.audit.action')}</Table.Th>
                <Table.Th scope="col">{t('dpo.customer')}</Table.Th>
                <Table.Th scope="col">{t('dpo.audit.detail')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td>{formatDateTime(e.at, i18n.language)}</Table.Td>
                  <Table.Td>
                    {e.actorName ?? e.actor}
                    {e.actorName !== null && (
                      <Text size="xs" c="dimmed">
                        {e.actor}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{t(`roles.${e.role}`, { defaultValue: e.role })}</Table.Td>
                  <Table.Td>{e.action}</Table.Td>
                  <Table.Td>
                    {e.customerId === null ? '–' : (
                      <Anchor component={Link} to={`/customers/${encodeURIComponent(e.customerId)}`}>
                        {e.customerId}
                      </Anchor>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" ff="monospace">
                      {JSON.stringify(e.detail)}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </TableBox>
      )}
      {entries.hasNextPage && (
        <div>
          <Button variant="default" loading={entries.isFetchingNextPage} onClick={() => void entries.fetchNextPage()}>
            {t('dpo.more')}
          </Button>
        </div>
      )}
    </Stack>
  );
}
