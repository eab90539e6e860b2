/**
 * A ticket's CSAT question and answer on the ticket view (`GET /v1/tickets/{id}/feedback`, audited
 * by the server). An agent sees it for the tickets assigned to them; for another's ticket the server
 * refuses, and nothing is shown.
 */
import { Badge, Group, Paper, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client.ts';
import { formatDateTime } from '../i18n/index.ts';

export function TicketFeedback({ id }: { id: number }) {
  const { t, i18n } = useTranslation();
  const shown = useQuery({ queryKey: ['ticket-feedback', id], queryFn: () => unwrap(api.GET('/v1/tickets/{id}/feedback', { params: { path: { id } } })), retry: false });
  const f = shown.data?.feedback;
  if (f == null) return null;
  return (
    <Paper withBorder p="sm" aria-labelledby="ticket-feedback">
      <Title id="ticket-feedback" order={2} size="h4">
        {t('feedback.ticketTitle')}
      </Title>
      <Group gap="xs" mt="xs">
        <Badge variant="outline" tt="none">
          {t(`feedback.states.${f.state}`)}
        </Badge>
        {f.state === 'skipped' && <Text size="sm">{t('feedback.skippedBecause', { reasons: f.reasons.join(', ') })}</Text>}
      </Group>
      {f.answeredAt === null ? (
        f.state === 'sent' && <Text mt="xs">{t('feedback.notAnswered')}</Text>
      ) : (
        <>
          <Text mt="xs" fw={600}>
            {t('feedback.scoreOf', { score: f.score ?? '–' })} <Text span c="dimmed" size="sm">{formatDateTime(f.answeredAt, i18n.language)}</Text>
          </Text>
          {f.comment !== null && <Text style={{ whiteSpace: 'pre-wrap' }}>{f.comment}</Text>}
        </>
      )}
    </Paper>
  );
}
