/**
 * Own-product ads on the sites [S8, S14] (`/v1/site-ads`): the ads with their placements and state;
 * for marketers and administrators, a new ad and stopping or restarting one; for everyone who may
 * read them, an ad's report: impressions, clicks and click-through rate by day and by placement,
 * people (site_ads consent) and aggregate (without) apart, as a chart with its table.
 */
import { Alert, Button, Checkbox, Group, NativeSelect, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import { CHART_COLORS, CountFigure } from '../charts/CountFigure.tsx';
import { formatNumber } from '../i18n/index.ts';
import { SectionHeader } from '../layout/SectionHeader.tsx';
import { TableBox } from '../layout/TableBox.tsx';
import { allows } from '../session/permissions.ts';
import { useSession } from '../session/session.ts';

const FIELDS = ['name', 'headline', 'text', 'imageUrl', 'targetUrl', 'sku', 'placements'] as const;
type Field = (typeof FIELDS)[number];

function fieldText(error: unknown, field: Field, t: (key: string) => string): string | undefined {
  if (!(error instanceof ApiError) || error.field === undefined || !error.field.startsWith(field)) return undefined;
  return t(`siteAds.errors.${field}`);
}

const EMPTY = { name: '', headline: '', text: '', imageUrl: '', targetUrl: '', sku: '', placements: '', active: true };

function CreateForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(EMPTY);
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/site-ads', {
          body: {
            name: draft.name,
            headline: draft.headline,
            text: draft.text,
            imageUrl: draft.imageUrl.trim() === '' ? null : draft.imageUrl.trim(),
            targetUrl: draft.targetUrl.trim(),
            sku: draft.sku.trim() === '' ? null : draft.sku.trim(),
            placements: draft.placements.split(',').map((p) => p.trim()).filter((p) => p !== ''),
            validFrom: null,
            validUntil: null,
            active: draft.active,
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
  const input = (field: Exclude<Field, never>, required: boolean, hint?: string) => (
    <TextInput
      label={t(`siteAds.fields.${field}`)}
      description={hint}
      required={required}
      value={draft[field]}
      error={fieldText(create.error, field, t)}
      onChange={(e) => setDraft({ ...draft, [field]: e.currentTarget.value })}
    />
  );
  return (
    <form onSubmit={submit} aria-labelledby="site-ad-new" noValidate>
      <Title id="site-ad-new" order={2} size="h4" mb="xs">
        {t('siteAds.create')}
      </Title>
      <Stack maw={640} gap="xs">
        {input('name', true, t('siteAds.nameHint'))}
        {input('headline', true)}
        {input('text', true)}
        {input('imageUrl', false, t('siteAds.imageHint'))}
        {input('targetUrl', true, t('siteAds.targetHint'))}
        {input('sku', false)}
        {input('placements', true, t('siteAds.placementsHint'))}
        <Checkbox label={t('siteAds.activeNow')} checked={draft.active} onChange={(e) => setDraft({ ...draft, active: e.currentTarget.checked })} />
        <Group>
          <Button type="submit" loading={create.isPending}>
            {t('siteAds.createButton')}
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

function Report({ adId }: { adId: number }) {
  const { t, i18n } = useTranslation();
  const report = useQuery({ queryKey: ['site-ads', adId, 'report'], queryFn: () => unwrap(api.GET('/v1/site-ads/{id}/report', { params: { path: { id: adId } } })) });
  const n = (v: number | null): string => (v === null ? '–' : formatNumber(v, i18n.language));
  const ctr = (v: number | null): string => (v === null ? '–' : `${formatNumber(Math.round(v * 10000) / 100, i18n.language)} %`);
  if (report.isError) return <Alert color="red" role="alert">{errorSentence(report.error, t)}</Alert>;
  const r = report.data;
  if (r === undefined) return null;
  const series = [
    { key: 'peopleImpressions', label: t('siteAds.peopleImpressions'), color: CHART_COLORS[0] },
    { key: 'aggregateImpressions', label: t('siteAds.aggregateImpressions'), color: CHART_COLORS[1] },
    { key: 'clicks', label: t('siteAds.clicks'), color: CHART_COLORS[2] },
  ];
  const values = (x: { people: { impressions: number; clicks: number }; aggregate: { impressions: number; clicks: number } }) => ({
    peopleImpressions: x.people.impressions,
    aggregateImpressions: x.aggregate.impressions,
    clicks: x.people.clicks + x.aggregate.clicks,
  });
  return (
    <Stack gap="sm" aria-labelledby="site-ad-report">
      <Title id="site-ad-report" order={2} size="h4">
        {t('siteAds.reportTitle', { from: r.from, to: r.to })}
      </Title>
      <TableBox label={t('siteAds.totals')}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('siteAds.basis')}</Table.Th>
              <Table.Th scope="col" style={{ textAlign: 'right' }}>{t('siteAds.impressions')}</Table.Th>
              <Table.Th scope="col" style={{ textAlign: 'right' }}>{t('siteAds.clicks')}</Table.Th>
              <Table.Th scope="col" style={{ textAlign: 'right' }}>{t('siteAds.ctr')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(['people', 'aggregate', 'total'] as const).map((basis) => (
              <Table.Tr key={basis}>
                <Table.Th scope="row">{t(`siteAds.bases.${basis}`)}</Table.Th>
                <Table.Td style={{ textAlign: 'right' }}>{n(r[basis].impressions)}</Table.Td>
                <Table.Td style={{ textAlign: 'right' }}>{n(r[basis].clicks)}</Table.Td>
                <Table.Td style={{ textAlign: 'right' }}>{ctr(r[basis].ctr)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </TableBox>
      {r.byDay.length === 0 && <Text>{t('siteAds.noCounts')}</Text>}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <CountFigure title={t('siteAds.byDay')} rows={r.byDay.map((d) => ({ key: d.day, label: d.day, values: values(d) }))} series={series} format={n} />
        <CountFigure title={t('siteAds.byPlacement')} rows={r.byPlacement.map((p) => ({ key: p.placement, label: p.placement, values: values(p) }))} series={series} format={n} />
      </SimpleGrid>
    </Stack>
  );
}

export function SiteAdsPage() {
  const { t } = useTranslation();
  const role = useSession().data?.user.role;
  const queryClient = useQueryClient();
  const list = useQuery({ queryKey: ['site-ads'], queryFn: () => unwrap(api.GET('/v1/site-ads')) });
  const mayManage = role !== undefined && allows(role, 'site_ads.manage');
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['site-ads'] });
  const toggle = useMutation({ mutationFn: (ad: { id: number; active: boolean }) => unwrap(api.PATCH('/v1/site-ads/{id}', { params: { path: { id: ad.id } }, body: { active: !ad.active } })), onSuccess: refresh });
  const ads = list.data?.ads ?? [];
  const [chosen, setChosen] = useState('');
  const reportOf = chosen === '' ? ads[0]?.id : Number(chosen);
  return (
    <section aria-labelledby="site-ads-title">
      <SectionHeader id="site-ads-title" title={t('siteAds.title')} intro={t('siteAds.intro')} error={list.error ?? toggle.error} />
      <Stack gap="lg">
        {list.isSuccess && ads.length === 0 && <Text>{t('siteAds.empty')}</Text>}
        {ads.length > 0 && (
          <TableBox label={t('siteAds.title')}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('siteAds.fields.name')}</Table.Th>
                  <Table.Th scope="col">{t('siteAds.fields.headline')}</Table.Th>
                  <Table.Th scope="col">{t('siteAds.fields.placements')}</Table.Th>
                  <Table.Th scope="col">{t('siteAds.fields.sku')}</Table.Th>
                  <Table.Th scope="col">{t('siteAds.state')}</Table.Th>
                  {mayManage && <Table.Th scope="col">{t('siteAds.actions')}</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {ads.map((ad) => (
                  <Table.Tr key={ad.id}>
                    <Table.Th scope="row">{ad.name}</Table.Th>
                    <Table.Td>{ad.headline}</Table.Td>
                    <Table.Td>{ad.placements.join(', ')}</Table.Td>
                    <Table.Td>{ad.sku ?? '–'}</Table.Td>
                    <Table.Td>{ad.active ? t('siteAds.active') : t('siteAds.stopped')}</Table.Td>
                    {mayManage && (
                      <Table.Td>
                        <Button size="xs" variant="light" onClick={() => toggle.mutate(ad)} aria-label={t(ad.active ? 'siteAds.stopNamed' : 'siteAds.startNamed', { name: ad.name })}>
                          {ad.active ? t('siteAds.stop') : t('siteAds.start')}
                        </Button>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </TableBox>
        )}
        {ads.length > 0 && (
          <NativeSelect label={t('siteAds.reportOf')} maw={420} value={String(reportOf ?? '')} data={ads.map((ad) => ({ value: String(ad.id), label: ad.name }))} onChange={(e) => setChosen(e.currentTarget.value)} />
        )}
        {reportOf !== undefined && <Report adId={reportOf} />}
        {mayManage && <CreateForm onDone={refresh} />}
      </Stack>
    </section>
  );
}
