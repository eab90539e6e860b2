/**
 * The suppression list (`GET /v1/suppressions`): searched by address (start or whole), channel,
 * reason and state, the filters in the URL, newest first, paged on the server. Who may manage it
 * (`suppressions.manage`: the DPO, an administrator) adds a manual entry with a note and lifts an
 * entry with a note; an agent only looks. The server audits every search and change.
 */
import { Alert, Button, Stack, Table, Text, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CHANNELS, LIFTABLE_BY_HAND, SUPPRESSION_REASONS } from '../../../src/core/vocabulary.ts';
import { api, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import { FilterForm, useFilters, type FilterField } from '../dpo/FilterForm.tsx';
import { codeText } from '../i18n/codes.ts';
import { formatDateTime } from '../i18n/index.ts';
import { TableBox } from '../layout/TableBox.tsx';
import { allows } from '../session/permissions.ts';
import { useSession } from '../session/session.ts';
import { AddSuppressionForm, LiftSuppressionForm, type SuppressionEntry } from './SuppressionForms.tsx';

const PAGE = 50;

export function SuppressionsPage() {
  const { t, i18n } = useTranslation();
  const role = useSession().data?.user.role;
  const canManage = role !== undefined && allows(role, 'suppressions.manage');
  const [lifting, setLifting] = useState<SuppressionEntry | null>(null);
  const fields: FilterField[] = [
    { name: 'address', label: t('suppressions.address') },
    { name: 'match', label: t('suppressions.match'), options: (['prefix', 'exact'] as const).map((m) => ({ value: m, label: t(`suppressions.matches.${m}`) })) },
    { name: 'channel', label: t('suppressions.channel'), options: CHANNELS.filter((c) => c !== 'web').map((c) => ({ value: c, label: codeText(t, 'channel', c) })) },
    { name: 'reason', label: t('suppressions.reason'), options: SUPPRESSION_REASONS.map((r) => ({ value: r, label: t(`suppressions.reasons.${r}`) })) },
    { name: 'state', label: t('suppressions.state'), options: (['active', 'lifted'] as const).map((s) => ({ value: s, label: t(`suppressions.states.${s}`) })) },
  ];
  const filters = useFilters(fields);
  const list = useInfiniteQuery({
    queryKey: ['suppressions', filters],
    initialPageParam: undefined as number | undefined,
    // The URL's values are checked by the server (a wrong channel is answered with the field named).
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/v1/suppressions', { params: { query: { ...(filters as Record<string, never>), limit: PAGE, ...(pageParam === undefined ? {} : { after: pageParam }) } } })),
    getNextPageParam: (last) => (last.next === null ? undefined : Number(last.next)),
  });
  const rows = list.data?.pages.flatMap((p) => p.suppressions) ?? [];
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('suppressions.title')}
      </Title>
      <Text>{t('suppressions.intro')}</Text>
      <FilterForm fields={fields} label={t('dpo.filters')} />
      {list.isError && (
        <Alert color="red" role="alert">
          {errorSentence(list.error, t)}
        </Alert>
      )}
      {list.isSuccess && rows.length === 0 && <Text>{t('suppressions.none')}</Text>}
      {rows.length > 0 && (
        <TableBox label={t('suppressions.title')}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">#</Table.Th>
                <Table.Th scope="col">{t('suppressions.address')}</Table.Th>
                <Table.Th scope="col">{t('suppressions.channel')}</Table.Th>
                <Table.Th scope="col">{t('suppressions.reason')}</Table.Th>
                <Table.Th scope="col">{t('suppressions.from')}</Table.Th>
                <Table.Th scope="col">{t('suppressions.by')}</Table.Th>
                <Table.Th scope="col">{t('suppressions.note')}</Table.Th>
                <Table.Th scope="col">{t('suppressions.state')}</Table.Th>
                {canManage && <Table.Th scope="col">{t('suppressions.actions')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td>{e.id}</Table.Td>
                  <Table.Td>{e.address}</Table.Td>
                  <Table.Td>{codeText(t, 'channel', e.channel)}</Table.Td>
                  <Table.Td>{t(`suppressions.reasons.${e.reason}`)}</Table.Td>
                  <Table.Td>{formatDateTime(e.at, i18n.language)}</Table.Td>
                  <Table.Td>{e.sourceName ?? e.source}</Table.Td>
                  <Table.Td>{e.note ?? ''}</Table.Td>
                  <Table.Td>
                    {e.lift === null ? t('suppressions.states.active') : t('suppressions.lifted', { at: formatDateTime(e.lift.at, i18n.language) })}
                    {e.lift !== null && (
                      <Text size="xs">
                        {e.lift.sourceName ?? e.lift.source}
                        {e.lift.note === null ? '' : `: ${e.lift.note}`}
                      </Text>
                    )}
                  </Table.Td>
                  {canManage && (
                    <Table.Td>
                      {e.lift === null && LIFTABLE_BY_HAND.includes(e.reason) ? (
                        <Button size="xs" variant="default" aria-label={t('suppressions.liftLabel', { id: e.id })} onClick={() => setLifting(e)}>
                          {t('suppressions.lift')}
                        </Button>
                      ) : e.lift === null ? (
                        <Text size="xs">{t('suppressions.notLiftable')}</Text>
                      ) : null}
                    </Table.Td>
                  )}
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
      {canManage && lifting !== null && <LiftSuppressionForm key={lifting.id} entry={lifting} onDone={() => setLifting(null)} />}
      {canManage && <AddSuppressionForm />}
    </Stack>
  );
}
