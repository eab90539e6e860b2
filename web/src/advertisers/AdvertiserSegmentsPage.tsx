/**
 * Audiences for advertisers [S28] (`/v1/advertiser-segments`): the segments offered, under the name
 * and with the rounded size advertisers see; for marketers and administrators, offering a segment,
 * withdrawing one, and a signed link to the catalogue page to send to an advertiser. Never members.
 */
import { Alert, Anchor, Button, Group, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
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

/** The sentence under a field the server named, or null when the error names none of the form's fields. */
function fieldText(error: unknown, field: string, t: (key: string) => string): string | undefined {
  if (!(error instanceof ApiError) || error.field !== field) return undefined;
  return t(`advertisers.errors.${field}`);
}

function OfferForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState({ segment: '', name: '', description: '' });
  const segments = useQuery({ queryKey: ['segments'], queryFn: () => unwrap(api.GET('/v1/segments')) });
  const offer = useMutation({
    mutationFn: () => unwrap(api.PUT('/v1/advertiser-segments/{segmentId}', { params: { path: { segmentId: Number(draft.segment) } }, body: { name: draft.name, description: draft.description } })),
    onSuccess: () => {
      setDraft({ segment: '', name: '', description: '' });
      onDone();
    },
  });
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    offer.mutate();
  };
  const underField = ['name', 'description', 'segmentId'].some((f) => fieldText(offer.error, f, t) !== undefined);
  return (
    <form onSubmit={submit} aria-labelledby="offer-to-advertisers" noValidate>
      <Title id="offer-to-advertisers" order={2} size="h4" mb="xs">
        {t('advertisers.offer')}
      </Title>
      <Stack maw={640} gap="xs">
        <NativeSelect
          label={t('advertisers.segment')}
          required
          value={draft.segment}
          error={fieldText(offer.error, 'segmentId', t)}
          data={[{ value: '', label: '—' }, ...(segments.data?.segments ?? []).map((s) => ({ value: String(s.id), label: s.name }))]}
          onChange={(e) => setDraft({ ...draft, segment: e.currentTarget.value })}
        />
        <TextInput label={t('advertisers.publicName')} description={t('advertisers.publicNameHint')} required value={draft.name} error={fieldText(offer.error, 'name', t)} onChange={(e) => setDraft({ ...draft, name: e.currentTarget.value })} />
        <TextInput label={t('advertisers.description')} required value={draft.description} error={fieldText(offer.error, 'description', t)} onChange={(e) => setDraft({ ...draft, description: e.currentTarget.value })} />
        <Group>
          <Button type="submit" loading={offer.isPending} disabled={draft.segment === ''}>
            {t('advertisers.offerButton')}
          </Button>
        </Group>
        {offer.isError && !underField && (
          <Alert color="red" role="alert">
            {errorSentence(offer.error, t)}
          </Alert>
        )}
      </Stack>
    </form>
  );
}

function LinkForm() {
  const { t, i18n } = useTranslation();
  const [days, setDays] = useState('30');
  const link = useMutation({ mutationFn: () => unwrap(api.POST('/v1/advertiser-segments/links', { body: { days: /^\d+$/.test(days) ? Number(days) : Number.NaN } })) });
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    link.mutate();
  };
  return (
    <form onSubmit={submit} aria-labelledby="advertiser-link" noValidate>
      <Title id="advertiser-link" order={2} size="h4" mb="xs">
        {t('advertisers.link')}
      </Title>
      <Text size="sm" mb="xs">
        {t('advertisers.linkIntro')}
      </Text>
      <Group align="flex-end">
        <TextInput label={t('advertisers.days')} inputMode="numeric" value={days} error={fieldText(link.error, 'days', t)} onChange={(e) => setDays(e.currentTarget.value)} w={160} />
        <Button type="submit" loading={link.isPending}>
          {t('advertisers.makeLink')}
        </Button>
      </Group>
      <div role="status" aria-live="polite">
        {link.data !== undefined && (
          <Text mt="xs">
            <Anchor href={link.data.url} target="_blank" rel="noreferrer">
              {link.data.url}
            </Anchor>{' '}
            {t('advertisers.validUntil', { at: formatDateTime(link.data.expiresAt, i18n.language) })}
          </Text>
        )}
      </div>
    </form>
  );
}

export function AdvertiserSegmentsPage() {
  const { t, i18n } = useTranslation();
  const role = useSession().data?.user.role;
  const queryClient = useQueryClient();
  const list = useQuery({ queryKey: ['advertiser-segments'], queryFn: () => unwrap(api.GET('/v1/advertiser-segments')) });
  const mayManage = role !== undefined && allows(role, 'advertiser_segments.manage');
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['advertiser-segments'] });
  const withdraw = useMutation({ mutationFn: (segmentId: number) => unwrap(api.DELETE('/v1/advertiser-segments/{segmentId}', { params: { path: { segmentId } } })), onSuccess: refresh });
  const rows = list.data?.segments ?? [];
  const size = (n: number | null): string => (n === null ? t('advertisers.fewer') : t('advertisers.about', { n: formatNumber(n, i18n.language) }));
  return (
    <section aria-labelledby="advertisers-title">
      <SectionHeader id="advertisers-title" title={t('advertisers.title')} intro={t('advertisers.intro')} error={list.error ?? withdraw.error} />
      <Stack gap="lg">
        {list.isSuccess && rows.length === 0 && <Text>{t('advertisers.empty')}</Text>}
        {rows.length > 0 && (
          <TableBox label={t('advertisers.title')}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('advertisers.publicName')}</Table.Th>
                  <Table.Th scope="col">{t('advertisers.description')}</Table.Th>
                  <Table.Th scope="col" style={{ textAlign: 'right' }}>
                    {t('advertisers.size')}
                  </Table.Th>
                  <Table.Th scope="col">{t('advertisers.computedAt')}</Table.Th>
                  {mayManage && <Table.Th scope="col">{t('advertisers.actions')}</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((s) => (
                  <Table.Tr key={s.segmentId}>
                    <Table.Th scope="row">{s.name}</Table.Th>
                    <Table.Td>{s.description}</Table.Td>
                    <Table.Td style={{ textAlign: 'right' }}>{size(s.size)}</Table.Td>
                    <Table.Td>{s.computedAt === null ? t('advertisers.notComputed') : formatDateTime(s.computedAt, i18n.language)}</Table.Td>
                    {mayManage && (
                      <Table.Td>
                        <Button size="xs" variant="light" color="red" onClick={() => withdraw.mutate(s.segmentId)} aria-label={t('advertisers.withdrawNamed', { name: s.name })}>
                          {t('advertisers.withdraw')}
                        </Button>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </TableBox>
        )}
        {mayManage && <OfferForm onDone={refresh} />}
        {mayManage && <LinkForm />}
      </Stack>
    </section>
  );
}
