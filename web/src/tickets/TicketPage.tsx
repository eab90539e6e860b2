/**
 * One ticket (`GET /v1/tickets/{id}`, audited by the server): its thread oldest first (internal
 * notes marked), attachments as downloads, the SLA clocks, and for an agent the reply box (send, or
 * keep as an internal note) and the status, priority and assignee.
 */
import { Alert, Anchor, Badge, Button, Checkbox, Group, NativeSelect, Paper, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { TICKET_PRIORITIES, TICKET_STATUSES } from '../../../src/core/tickets/ticket.ts';
import { api, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import type { paths } from '../api/schema.d.ts';
import { formatDateTime } from '../i18n/index.ts';
import { allows } from '../session/permissions.ts';
import { useSession } from '../session/session.ts';
import { SlaBadge } from './SlaBadge.tsx';
import { TicketFeedback } from '../feedback/TicketFeedback.tsx';

type Shown = paths['/v1/tickets/{id}']['get']['responses'][200]['content']['application/json'];
type Ticket = Shown['ticket'];
type Changes = NonNullable<paths['/v1/tickets/{id}']['patch']['requestBody']>['content']['application/json'];

export function TicketPage() {
  const { t, i18n } = useTranslation();
  const id = Number(useParams().id);
  const role = useSession().data?.user.role;
  const canWrite = role !== undefined && allows(role, 'tickets.write');
  const shown = useQuery({ queryKey: ['ticket', id], queryFn: () => unwrap(api.GET('/v1/tickets/{id}', { params: { path: { id } } })) });
  return (
    <Stack>
      <Anchor component={Link} to="/tickets">
        {t('tickets.back')}
      </Anchor>
      {shown.isError && (
        <Alert color="red" role="alert">
          {errorSentence(shown.error, t)}
        </Alert>
      )}
      {shown.data !== undefined && (
        <>
          <Title order={1} size="h2">
            {shown.data.ticket.subject} <Text span c="dimmed">[#{shown.data.ticket.id}]</Text>
          </Title>
          <TicketFacts ticket={shown.data.ticket} />
          <TicketFeedback id={id} />
          <Stack gap="sm" component="ol" aria-label={t('tickets.thread')} style={{ listStyle: 'none', padding: 0 }}>
            {shown.data.messages.map((m) => (
              <Paper key={m.id} component="li" withBorder p="sm" style={m.author === 'note' ? { borderStyle: 'dashed' } : undefined}>
                <Group gap="xs">
                  <Badge variant="outline" tt="none" color={m.author === 'customer' ? 'blue.9' : m.author === 'agent' ? 'teal.9' : 'grape.9'}>
                    {t(`tickets.authors.${m.author}`)}
                  </Badge>
                  <Text size="sm">{m.authorName ?? ''}</Text>
                  <Text size="sm" c="dimmed">
                    {formatDateTime(m.createdAt, i18n.language)}
                  </Text>
                </Group>
                <Text mt="xs" style={{ whiteSpace: 'pre-wrap' }}>
                  {m.body}
                </Text>
                {m.attachments.map((a) => (
                  <Anchor key={a.id} href={`/v1/tickets/${id}/attachments/${a.id}`} size="sm" display="block">
                    {t('tickets.attachment', { name: a.fileName, kb: Math.ceil(a.bytes / 1024) })}
                  </Anchor>
                ))}
              </Paper>
            ))}
          </Stack>
          {canWrite && <ReplyForm id={id} />}
          {canWrite && <ChangeForm key={shown.data.ticket.updatedAt} ticket={shown.data.ticket} />}
        </>
      )}
    </Stack>
  );
}

function TicketFacts({ ticket }: { ticket: Ticket }) {
  const { t, i18n } = useTranslation();
  return (
    <Group gap="lg">
      <Text size="sm">
        {t('tickets.requester')}: {ticket.contactName === null ? '' : `${ticket.contactName} `}
        {ticket.contact ?? ''}{' '}
        {ticket.customerId !== null && <Link to={`/customers/${encodeURIComponent(ticket.customerId)}`}>{t('tickets.customer', { id: ticket.customerId })}</Link>}
      </Text>
      <Text size="sm">
        {t('tickets.status')}: {t(`tickets.statuses.${ticket.status}`)} · {t('tickets.priority')}: {t(`tickets.priorities.${ticket.priority}`)} · {t('tickets.queue')}: {ticket.queue}
      </Text>
      <Group gap="xs">
        <SlaBadge state={ticket.sla.overall} />
        <Text size="sm">
          {t('tickets.firstResponseDue', { at: formatDateTime(ticket.firstResponseDue, i18n.language) })} · {t('tickets.resolutionDue', { at: formatDateTime(ticket.resolutionDue, i18n.language) })}
        </Text>
      </Group>
    </Group>
  );
}

function ReplyForm({ id }: { id: number }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [body, setBody] = useState('');
  const [note, setNote] = useState(false);
  const send = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/tickets/{id}/replies', { params: { path: { id } }, body: { body, note } })),
    onSuccess: async () => {
      setBody('');
      await client.invalidateQueries({ queryKey: ['ticket', id] });
    },
  });
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    send.mutate();
  };
  return (
    <form onSubmit={submit} aria-labelledby="ticket-reply">
      <Stack maw={720} gap="xs">
        <Title id="ticket-reply" order={2} size="h4">
          {t('tickets.replyTitle')}
        </Title>
        <Textarea label={t('tickets.replyBody')} description={note ? t('tickets.noteHint') : t('tickets.replyHint')} autosize minRows={4} required value={body} onChange={(e) => setBody(e.currentTarget.value)} />
        <Checkbox label={t('tickets.asNote')} checked={note} onChange={(e) => setNote(e.currentTarget.checked)} />
        <Group>
          <Button type="submit" loading={send.isPending} disabled={body.trim() === ''}>
            {note ? t('tickets.addNote') : t('tickets.send')}
          </Button>
        </Group>
        {send.isError && (
          <Alert color="red" role="alert">
            {errorSentence(send.error, t)}
          </Alert>
        )}
        <div role="status" aria-live="polite">
          {send.isSuccess && <Alert>{send.data.author === 'note' ? t('tickets.noteAdded') : t('tickets.sent')}</Alert>}
        </div>
      </Stack>
    </form>
  );
}

function ChangeForm({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [status, setStatus] = useState(ticket.status);
  const [priority, setPriority] = useState(ticket.priority);
  const [assignee, setAssignee] = useState(ticket.assignee ?? '');
  const save = useMutation({
    mutationFn: (changes: Changes) => unwrap(api.PATCH('/v1/tickets/{id}', { params: { path: { id: ticket.id } }, body: changes })),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['ticket', ticket.id] });
      await client.invalidateQueries({ queryKey: ['tickets'] });
    },
  });
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    save.mutate({ status, priority, assignee: assignee.trim() === '' ? null : assignee.trim() });
  };
  return (
    <form onSubmit={submit} aria-labelledby="ticket-change">
      <Stack maw={720} gap="xs">
        <Title id="ticket-change" order={2} size="h4">
          {t('tickets.changeTitle')}
        </Title>
        <Group align="end">
          <NativeSelect label={t('tickets.status')} value={status} onChange={(e) => setStatus(e.currentTarget.value as Ticket['status'])} data={TICKET_STATUSES.map((s) => ({ value: s, label: t(`tickets.statuses.${s}`) }))} />
          <NativeSelect label={t('tickets.priority')} value={priority} onChange={(e) => setPriority(e.currentTarget.value as Ticket['priority'])} data={TICKET_PRIORITIES.map((p) => ({ value: p, label: t(`tickets.priorities.${p}`) }))} />
          <TextInput label={t('tickets.assignee')} value={assignee} onChange={(e) => setAssignee(e.currentTarget.value)} />
          <Button type="submit" variant="default" loading={save.isPending}>
            {t('tickets.save')}
          </Button>
        </Group>
        {save.isError && (
          <Alert color="red" role="alert">
            {errorSentence(save.error, t)}
          </Alert>
        )}
      </Stack>
    </form>
  );
}
