/**
 * The customer's history (docs/customer-service.md#the-customers-history): one timeline of
 * everything Lupa holds about the customer, newest first, a page at a time from the server ("Load
 * more"), narrowed by filter chips of kinds. The server audits every page read.
 */
import { Alert, Button, Chip, Group, Text, Title } from '@mantine/core';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import { formatDateTime } from '../i18n/index.ts';
import { allows } from '../session/permissions.ts';
import { useSession } from '../session/session.ts';
import { Timeline, type TimelineEntry } from './Timeline.tsx';
import { HISTORY_GROUPS, historyLine, type HistoryGroup } from './history-lines.ts';

const PAGE = 25;
const GROUPS = Object.keys(HISTORY_GROUPS) as HistoryGroup[];

export function HistorySection({ customerId }: { customerId: string }) {
  const { t, i18n } = useTranslation();
  const lang = (['fi', 'sv', 'en'].includes(i18n.language) ? i18n.language : 'en') as 'fi' | 'sv' | 'en';
  // No chip chosen: every kind, also kinds the server adds later.
  const [groups, setGroups] = useState<string[]>([]);
  const kinds = groups.flatMap((g) => HISTORY_GROUPS[g as HistoryGroup]).join(',');
  const topics = useQuery({ queryKey: ['interestTopics'], queryFn: () => unwrap(api.GET('/v1/interests/topics')) });
  const history = useInfiniteQuery({
    queryKey: ['history', customerId, kinds],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/v1/customers/{id}/timeline', {
          params: { path: { id: customerId }, query: { limit: PAGE, ...(kinds === '' ? {} : { kinds }), ...(pageParam === undefined ? {} : { cursor: pageParam }) } },
        }),
      ),
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const topicName = (code: string): string => topics.data?.topics.find((x) => x.code === code)?.names[lang] ?? code;
  const role = useSession().data?.user.role;
  const canPlay = role !== undefined && allows(role, 'recordings.play');
  // A recording is played where it is listed; each request the player makes is audited as a playback.
  const withPlayer = (line: TimelineEntry, id: string, at: string): TimelineEntry => ({
    ...line,
    details: (
      <>
        <audio controls preload="none" src={`/v1/recordings/${id}/audio`} aria-label={t('history.player', { at: formatDateTime(at, i18n.language) })} />
        <br />
        {line.details}
      </>
    ),
  });
  const entries = (history.data?.pages.flatMap((p) => p.entries) ?? []).map((e) => {
    const line = historyLine(t, i18n.language, e, topicName);
    return e.kind === 'recording' && canPlay ? withPlayer(line, e.id, e.at) : line;
  });
  return (
    <section aria-labelledby="history-title">
      <Title id="history-title" order={2} size="h4" mb="xs">
        {t('history.title')}
      </Title>
      <Text size="sm" c="gray.7" mb="xs">
        {t('history.intro')}
      </Text>
      <Chip.Group multiple value={groups} onChange={setGroups}>
        <Group gap="xs" mb="sm" role="group" aria-label={t('history.filters')}>
          {GROUPS.map((g) => (
            <Chip key={g} value={g} size="sm">
              {t(`history.groups.${g}`)}
            </Chip>
          ))}
        </Group>
      </Chip.Group>
      {history.isError && <Alert color="red">{errorSentence(history.error, t)}</Alert>}
      {history.isSuccess && entries.length === 0 && <Text>{groups.length === 0 ? t('history.empty') : t('history.emptyFiltered')}</Text>}
      {entries.length > 0 && <Timeline label={t('history.title')} entries={entries} />}
      {history.hasNextPage && (
        <Button variant="default" mt="xs" loading={history.isFetchingNextPage} onClick={() => void history.fetchNextPage()}>
          {t('history.more')}
        </Button>
      )}
    </section>
  );
}
