/**
 * Remarketing lists [S20] (`/v1/remarketing-lists`): every list with its rule and size as last
 * refreshed (rounded for a role that may not read customer records, as the server sends it); for
 * marketers and administrators, a new list and **Refresh now**. Never who is on a list.
 */
import { Alert, Button, Group, NumberInput, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import { formatDateTime, formatNumber } from '../i18n/index.ts';
import { SectionHeader } from '../layout/SectionHeader.tsx';
import { TableBox } from '../layout/TableBox.tsx';
import { allows } from '../session/permissions.ts';
import { useSession } from '../session/session.ts';

const FIELDS = ['name', 'event', 'withinDays', 'pagePrefix', 'notFollowedBy', 'site'] as const;
const EMPTY = { name: '', event: '', withinDays: 30 as number | string, pagePrefix: '', notFollowedBy: '', site: '' };

function fieldText(error: unknown, field: string, t: (key: string) => string): string | undefined {
  if (!(error instanceof ApiError) || error.field !== field) return undefined;
  return t(`remarketing.errors.${field}`);
}

function CreateForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(EMPTY);
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/remarketing-lists', {
          body: {
            name: draft.name,
            event: draft.event,
            withinDays: typeof draft.withinDays === 'number' ? draft.withinDays : Number.NaN,
            pagePrefix: draft.pagePrefix === '' ? null : draft.pagePrefix,
            notFollowedBy: draft.notFollowedBy === '' ? null : draft.notFollowedBy,
            site: draft.site === '' ? null : draft.site,
          },
        }),
      ),
    onSuccess: () => {
      setDraft(EMPTY);
      onDone();
    },
  });
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    create.mutate();
  };
  const underField = FIELDS.some((f) => fieldText(create.error, f, t) !== undefined);
  const text = (field: Exclude<(typeof FIELDS)[number], 'withinDays'>, required = false) => (
    <TextInput
      label={t(`remarketing.fields.${field}`)}
      description={t(`remarketing.hints.${field}`)}
      required={required}
      value={draft[field]}
      error={fieldText(create.error, field, t)}
      onChange={(e) => setDraft({ ...draft, [field]: e.currentTarget.value })}
    />
  );
  return (
    <form onSubmit={submit} aria-labelledby="new-remarketing-list" noValidate>
      <Title id="new-remarketing-list" order={2} size="h4" mb="xs">
        {t('remarketing.create')}
      </Title>
      <Stack maw={640} gap="xs">
        {text('name', true)}
        {text('event', true)}
        <NumberInput label={t('remarketing.fields.withinDays')} required min={1} max={540} allowDecimal={false} value={draft.withinDays} error={fieldText(create.error, 'withinDays', t)} onChange={(v) => setDraft({ ...draft, withinDays: v })} />
        {text('pagePrefix')}
        {text('notFollowedBy')}
        {text('site')}
        <Group>
          <Button type="submit" loading={create.isPending}>
            {t('remarketing.createButton')}
          </Button>
        </Group>
        {create.isError && !underField && (
          <Alert color="red" role="alert">
            {errorSentence(create.error, t)}
          </Alert>
        )}
      </Stack>
    </form>
  );
}

export function RemarketingPage() {
  const { t, i18n } = useTranslation();
  const role = useSession().data?.user.role;
  const queryClient = useQueryClient();
  const lists = useQuery({ queryKey: ['remarketing-lists'], queryFn: () => unwrap(api.GET('/v1/remarketing-lists')) });
  const mayManage = role !== undefined && allows(role, 'remarketing.manage');
  const reload = () => void queryClient.invalidateQueries({ queryKey: ['remarketing-lists'] });
  const refresh = useMutation({ mutationFn: (id: number) => unwrap(api.POST('/v1/remarketing-lists/{id}/refresh', { params: { path: { id } } })), onSuccess: reload });
  const rows = lists.data?.lists ?? [];
  const size = (l: (typeof rows)[number]): string => {
    if (l.members === null) return t('remarketing.fewer', { n: l.suppressedBelow ?? 0 });
    const n = formatNumber(l.members, i18n.language);
    return l.roundedTo === undefined ? n : t('remarketing.about', { n });
  };
  const rule = (l: (typeof rows)[number]): string =>
    [
      t('remarketing.rule.did', { event: l.event, days: l.withinDays }),
      l.pagePrefix === null ? null : t('remarketing.rule.page', { prefix: l.pagePrefix }),
      l.notFollowedBy === null ? null : t('remarketing.rule.notFollowedBy', { event: l.notFollowedBy }),
      l.site === null ? null : t('remarketing.rule.site', { site: l.site }),
    ]
      .filter((p) => p !== null)
      .join(', ');
  return (
    <section aria-labelledby="remarketing-title">
      <SectionHeader id="remarketing-title" title={t('remarketing.title')} intro={t('remarketing.intro')} error={lists.error ?? refresh.error} />
      <Stack gap="lg">
        {lists.isSuccess && rows.length === 0 && <Text>{t('remarketing.empty')}</Text>}
        {rows.length > 0 && (
          <TableBox label={t('remarketing.title')}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('remarketing.fields.name')}</Table.Th>
                  <Table.Th scope="col">{t('remarketing.ruleHeading')}</Table.Th>
                  <Table.Th scope="col" style={{ textAlign: 'right' }}>
                    {t('remarketing.size')}
                  </Table.Th>
                  <Table.Th scope="col">{t('remarketing.refreshedAt')}</Table.Th>
                  {mayManage && <Table.Th scope="col">{t('remarketing.actions')}</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((l) => (
                  <Table.Tr key={l.id}>
                    <Table.Th scope="row">{l.name}</Table.Th>
                    <Table.Td>{rule(l)}</Table.Td>
                    <Table.Td style={{ textAlign: 'right' }}>{size(l)}</Table.Td>
                    <Table.Td>{l.refreshedAt === null ? t('remarketing.never') : formatDateTime(l.refreshedAt, i18n.language)}</Table.Td>
                    {mayManage && (
                      <Table.Td>
                        <Button size="xs" variant="light" loading={refresh.isPending && refresh.variables === l.id} onClick={() => refresh.mutate(l.id)} aria-label={t('remarketing.refreshNamed', { name: l.name })}>
                          {t('remarketing.refresh')}
                        </Button>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </TableBox>
        )}
        {mayManage && <CreateForm onDone={reload} />}
      </Stack>
    </section>
  );
}
