/**
 * Segments (`GET /v1/segments`): their member counts as last computed, a refresh of them all, and a
 * new one for the roles that may build them. A count links to the audience explorer for it.
 */
import { Alert, Anchor, Button, Group, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import { consoleLanguage, formatDateTime, formatNumber } from '../i18n/index.ts';
import { TableBox } from '../layout/TableBox.tsx';
import { allows } from '../session/permissions.ts';
import { useSession } from '../session/session.ts';
import { memberCountText } from './member-count.ts';

export function SegmentsPage() {
  const { t, i18n } = useTranslation();
  const role = useSession().data?.user.role;
  const queryClient = useQueryClient();
  const count = (n: number, roundedTo?: number): string => memberCountText(t, i18n.language, n, roundedTo);
  const segments = useQuery({ queryKey: ['segments'], queryFn: () => unwrap(api.GET('/v1/segments')) });
  const refresh = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/segments/refresh')),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['segments'] }),
  });
  const addRfm = useMutation({
    // Named in the user's language; the server recognises them in any of the three afterwards.
    mutationFn: () => unwrap(api.POST('/v1/segments/rfm', { params: { query: { lang: consoleLanguage(i18n.language) } } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['segments'] }),
  });
  const mayWrite = role !== undefined && allows(role, 'segments.write');
  const rows = segments.data?.segments ?? [];
  return (
    <section aria-labelledby="segments-title">
      <Group justify="space-between" mb="xs">
        <Title id="segments-title" order={1} size="h2">
          {t('segments.title')}
        </Title>
        {mayWrite && (
          <Group>
            <Button variant="default" loading={addRfm.isPending} onClick={() => addRfm.mutate()}>
              {t('segments.addRfm')}
            </Button>
            <Button variant="default" loading={refresh.isPending} onClick={() => refresh.mutate()}>
              {t('segments.refreshAll')}
            </Button>
            <Button component={Link} to="/segments/new">
              {t('segments.new')}
            </Button>
          </Group>
        )}
      </Group>
      <Text mb="md">{t('segments.intro')}</Text>
      {refresh.isSuccess && (
        <Alert color="green" mb="md" role="status">
          {t('segments.refreshed', { n: refresh.data.refreshed.length, ms: formatNumber(Math.max(0, ...refresh.data.refreshed.map((r) => r.ms)), i18n.language) })}
        </Alert>
      )}
      {addRfm.isSuccess && (
        <Alert color="green" mb="md" role="status">
          {addRfm.data.created.length === 0 ? t('segments.rfmNone') : t('segments.rfmAdded', { n: addRfm.data.created.length, count: addRfm.data.created.length })}
        </Alert>
      )}
      {(segments.isError || refresh.isError || addRfm.isError) && (
        <Alert color="red" mb="md" role="alert">
          {errorSentence(segments.error ?? refresh.error ?? addRfm.error, t)}
        </Alert>
      )}
      {segments.isSuccess && rows.length === 0 && <Text>{t('segments.empty')}</Text>}
      {rows.length > 0 && (
        <TableBox label={t('segments.title')}>
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('segments.name')}</Table.Th>
                <Table.Th scope="col" style={{ textAlign: 'right' }}>
                  {t('segments.members')}
                </Table.Th>
                <Table.Th scope="col">{t('segments.computedAt')}</Table.Th>
                <Table.Th scope="col">{t('segments.refreshMode')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/segments/${s.id}`}>
                      {s.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td style={{ textAlign: 'right' }}>
                    {s.computedAt === null ? (
                      '–'
                    ) : s.members === null ? (
                      t('segments.small', { min: s.suppressedBelow ?? '' })
                    ) : role !== undefined && allows(role, 'audience') ? (
                      <Anchor component={Link} to={`/audiences?purpose=marketing&channel=email&segment=${s.id}`} aria-label={t('segments.membersLink', { n: count(s.members, s.roundedTo), name: s.name })}>
                        {count(s.members, s.roundedTo)}
                      </Anchor>
                    ) : (
                      count(s.members, s.roundedTo)
                    )}
                  </Table.Td>
                  <Table.Td>{s.computedAt === null ? t('segments.never') : formatDateTime(s.computedAt, i18n.language)}</Table.Td>
                  <Table.Td>{t(s.timeDependent ? 'segments.whole' : 'segments.incremental')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </TableBox>
      )}
    </section>
  );
}
