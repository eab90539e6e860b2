/**
 * Ad audiences (`GET /v1/ad-audiences`): each with its size on the platform, its last sync and that
 * sync's additions and removals; a new one for the roles that manage them. Counts only: nobody sees
 * an identifier here, in clear or hashed.
 */
import { Alert, Anchor, Button, Group, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, ApiError, unwrap } from '../api/client.ts';
import { formatDateTime, formatNumber } from '../i18n/index.ts';
import { TableBox } from '../layout/TableBox.tsx';
import { allows } from '../session/permissions.ts';
import { useSession } from '../session/session.ts';
import { adAudienceError } from './ad-audience-errors.ts';

const PLATFORMS = ['meta', 'google'] as const;
type Field = 'name' | 'externalId';

/** What the console can tell of a new audience before sending it, by the server's rules: a name of 1–200 characters, the id in digits. */
export function newAdAudienceErrors(draft: { name: string; externalId: string }): Partial<Record<Field, true>> {
  const name = draft.name.trim();
  return {
    ...(name === '' || name.length > 200 ? { name: true } : {}),
    ...(/^\d{1,30}$/.test(draft.externalId.trim()) ? {} : { externalId: true }),
  };
}

function NewAdAudienceForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState({ name: '', platform: 'meta' as (typeof PLATFORMS)[number], externalId: '', segment: '' });
  // After a press of Create the fields say what they lack in the console's language (not the browser's).
  const [tried, setTried] = useState(false);
  const segments = useQuery({ queryKey: ['segments'], queryFn: () => unwrap(api.GET('/v1/segments')) });
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/ad-audiences', {
          body: { name: draft.name.trim(), platform: draft.platform, externalId: draft.externalId.trim(), ...(draft.segment === '' ? {} : { segment: Number(draft.segment) }) },
        }),
      ),
    onSuccess: onDone,
  });
  const own = tried ? newAdAudienceErrors(draft) : {};
  const errorOf = (field: Field): string | undefined =>
    own[field] === true || (create.error instanceof ApiError && create.error.code === 'VALIDATION_FAILED' && create.error.field === field) ? t(`adAudiences.errors.${field}`) : undefined;
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setTried(true);
    const wrong = Object.keys(newAdAudienceErrors(draft));
    if (wrong.length > 0) {
      document.getElementById(`new-ad-audience-${wrong[0] ?? 'name'}`)?.focus();
      return;
    }
    create.mutate();
  };
  const underField = errorOf('name') !== undefined || errorOf('externalId') !== undefined;
  return (
    <form onSubmit={submit} aria-labelledby="new-ad-audience" noValidate>
      <Title id="new-ad-audience" order={2} size="h4" mb="xs">
        {t('adAudiences.new')}
      </Title>
      <Group align="flex-end" wrap="wrap">
        <TextInput id="new-ad-audience-name" label={t('adAudiences.name')} required value={draft.name} error={errorOf('name')} onChange={(e) => setDraft({ ...draft, name: e.currentTarget.value })} />
        <NativeSelect
          label={t('adAudiences.platform')}
          value={draft.platform}
          data={PLATFORMS.map((p) => ({ value: p, label: t(`adAudiences.platforms.${p}`) }))}
          onChange={(e) => setDraft({ ...draft, platform: e.currentTarget.value as (typeof PLATFORMS)[number] })}
        />
        <TextInput
          id="new-ad-audience-externalId"
          label={t('adAudiences.externalId')}
          description={t('adAudiences.externalIdHint')}
          required
          inputMode="numeric"
          value={draft.externalId}
          error={errorOf('externalId')}
          onChange={(e) => setDraft({ ...draft, externalId: e.currentTarget.value })}
        />
        <NativeSelect
          label={t('adAudiences.segment')}
          value={draft.segment}
          data={[{ value: '', label: t('adAudiences.everyone') }, ...(segments.data?.segments ?? []).map((s) => ({ value: String(s.id), label: s.name }))]}
          onChange={(e) => setDraft({ ...draft, segment: e.currentTarget.value })}
        />
        <Button type="submit" loading={create.isPending}>
          {t('adAudiences.create')}
        </Button>
      </Group>
      {create.isError && !underField && (
        <Alert color="red" mt="xs" role="alert">
          {adAudienceError(create.error, t)}
        </Alert>
      )}
    </form>
  );
}

export function AdAudiencesPage() {
  const { t, i18n } = useTranslation();
  const role = useSession().data?.user.role;
  const queryClient = useQueryClient();
  const list = useQuery({ queryKey: ['ad-audiences'], queryFn: () => unwrap(api.GET('/v1/ad-audiences')) });
  const mayManage = role !== undefined && allows(role, 'ad_audiences.manage');
  const n = (value: number | null): string => (value === null ? t('adAudiences.small') : formatNumber(value, i18n.language));
  const rows = list.data?.audiences ?? [];
  return (
    <section aria-labelledby="ad-audiences-title">
      <Title id="ad-audiences-title" order={1} size="h2" mb="xs">
        {t('adAudiences.title')}
      </Title>
      <Text mb="md">{t('adAudiences.intro')}</Text>
      {list.isError && (
        <Alert color="red" mb="md" role="alert">
          {adAudienceError(list.error, t)}
        </Alert>
      )}
      <Stack gap="lg">
        {list.isSuccess && rows.length === 0 && <Text>{t('adAudiences.empty')}</Text>}
        {rows.length > 0 && (
          <TableBox label={t('adAudiences.title')}>
            <Table striped highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('adAudiences.name')}</Table.Th>
                  <Table.Th scope="col">{t('adAudiences.platform')}</Table.Th>
                  <Table.Th scope="col" style={{ textAlign: 'right' }}>
                    {t('adAudiences.size')}
                  </Table.Th>
                  <Table.Th scope="col">{t('adAudiences.lastSync')}</Table.Th>
                  <Table.Th scope="col" style={{ textAlign: 'right' }}>
                    {t('adAudiences.added')}
                  </Table.Th>
                  <Table.Th scope="col" style={{ textAlign: 'right' }}>
                    {t('adAudiences.removed')}
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((a) => (
                  <Table.Tr key={a.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/ad-audiences/${a.id}`}>
                        {a.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{t(`adAudiences.platforms.${a.platform}`)}</Table.Td>
                    <Table.Td style={{ textAlign: 'right' }}>{n(a.identifiers)}</Table.Td>
                    <Table.Td>{a.lastSync === null ? t('adAudiences.never') : formatDateTime(a.lastSync.finishedAt, i18n.language)}</Table.Td>
                    <Table.Td style={{ textAlign: 'right' }}>{a.lastSync === null ? '–' : formatNumber(a.lastSync.added, i18n.language)}</Table.Td>
                    <Table.Td style={{ textAlign: 'right' }}>{a.lastSync === null ? '–' : formatNumber(a.lastSync.removed, i18n.language)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </TableBox>
        )}
        {mayManage && <NewAdAudienceForm onDone={() => void queryClient.invalidateQueries({ queryKey: ['ad-audiences'] })} />}
      </Stack>
    </section>
  );
}
