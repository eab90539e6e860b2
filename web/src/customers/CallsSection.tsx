/**
 * A customer's calls on the customer view (docs/calls-and-recordings.md): when, which way, for what,
 * how it ended, and each recording with a player. The server audits the list as one read and every
 * playback (each request the player makes for the audio) as a playback of that recording.
 */
import { Alert, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import { formatDateTime } from '../i18n/index.ts';
import { TableBox } from '../layout/TableBox.tsx';
import { allows } from '../session/permissions.ts';
import { useSession } from '../session/session.ts';

export function CallsSection({ customerId }: { customerId: string }) {
  const { t, i18n } = useTranslation();
  const role = useSession().data?.user.role;
  const canRead = role !== undefined && allows(role, 'calls.read');
  const canPlay = role !== undefined && allows(role, 'recordings.play');
  const calls = useQuery({
    queryKey: ['calls', customerId],
    enabled: canRead,
    queryFn: () => unwrap(api.GET('/v1/customers/{id}/calls', { params: { path: { id: customerId }, query: { limit: 50 } } })),
  });
  if (!canRead) return null;
  const rows = calls.data?.calls ?? [];
  return (
    <section aria-labelledby="calls-title">
      <Title id="calls-title" order={2} size="h4" mb="xs">
        {t('calls.title')}
      </Title>
      {calls.isError && <Alert color="red">{errorSentence(calls.error, t)}</Alert>}
      {calls.isSuccess && rows.length === 0 && <Text>{t('calls.empty')}</Text>}
      {rows.length > 0 && (
        <TableBox label={t('calls.title')}>
          <Table maw={1100}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('calls.started')}</Table.Th>
                <Table.Th scope="col">{t('calls.direction')}</Table.Th>
                <Table.Th scope="col">{t('calls.purpose')}</Table.Th>
                <Table.Th scope="col">{t('calls.outcome')}</Table.Th>
                <Table.Th scope="col">{t('calls.agent')}</Table.Th>
                <Table.Th scope="col">{t('calls.recordings')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>{formatDateTime(c.startedAt, i18n.language)}</Table.Td>
                  <Table.Td>{t(`calls.directions.${c.direction}`)}</Table.Td>
                  <Table.Td>{t(`calls.purposes.${c.purpose}`)}</Table.Td>
                  <Table.Td>
                    {t(`calls.outcomes.${c.outcome}`)}
                    {c.callbackAt !== null && ` (${formatDateTime(c.callbackAt, i18n.language)})`}
                    {c.optedOut && (
                      <Text size="sm" c="gray.7">
                        {t('calls.optedOut')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{c.agent}</Table.Td>
                  <Table.Td>
                    {c.recordings.length === 0 && t('calls.noRecording')}
                    <Stack gap={4}>
                      {c.recordings.map((r) => (
                        <div key={r.id}>
                          {canPlay && <audio controls preload="none" src={`/v1/recordings/${r.id}/audio`} aria-label={t('calls.player', { id: r.id, at: formatDateTime(r.startedAt, i18n.language) })} />}
                          <Text size="sm" c="gray.7">
                            {t('calls.keptUntil', { at: formatDateTime(r.retentionEndsAt, i18n.language) })}
                          </Text>
                        </div>
                      ))}
                    </Stack>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </TableBox>
      )}
    </section>
  );
}
