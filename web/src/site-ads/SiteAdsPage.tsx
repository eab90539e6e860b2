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
import { catalogueProducts } from '../api/product-categories.ts';
import { PLACEMENT_PATTERN } from '../../../src/core/site-ads/site-ads.ts';
import { CHART_COLORS, CountFigure } from '../charts/CountFigure.tsx';
import { formatDayRange, formatNumber, formatShortDay } from '../i18n/index.ts';
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
type Draft = typeof EMPTY;

const placementsOf = (draft: Draft): string[] => draft.placements.split(',').map((p) => p.trim()).filter((p) => p !== '');

/**
 * Every field the console can check itself, by the server's rules (POST /v1/site-ads answers only
 * the first wrong field): lengths, the image's form, the target's form, the product against the
 * catalogue (`skus`, when read) and the placements. Whether the target is on the company's own
 * sites only the server knows: its answer is shown beside these. Values: the key of the sentence.
 */
export function siteAdFieldErrors(draft: Draft, skus: ReadonlySet<string> | null): Partial<Record<Field, string>> {
  const errors: Partial<Record<Field, string>> = {};
  const length = (field: 'name' | 'headline' | 'text', max: number): void => {
    if (draft[field].length === 0 || draft[field].length > max) errors[field] = `siteAds.errors.${field}`;
  };
  length('name', 100);
  length('headline', 80);
  length('text', 300);
  const image = draft.imageUrl.trim();
  if (image !== '' && !/^(https:\/\/[^\s]+|\/(?!\/)[^\s]*)$/.test(image)) errors.imageUrl = 'siteAds.errors.imageUrl';
  const target = draft.targetUrl.trim();
  let url: URL | null = null;
  try {
    url = /[\s\u0000-\u001f\u007f]/.test(target) ? null : new URL(target);
  } catch {
    url = null;
  }
  if (url === null || !['http:', 'https:'].includes(url.protocol)) errors.targetUrl = 'siteAds.errors.targetAddress';
  const sku = draft.sku.trim();
  if (sku !== '' && skus !== null && !skus.has(sku)) errors.sku = 'siteAds.errors.sku';
  const placements = placementsOf(draft);
  if (placements.length === 0 || placements.length > 20 || !placements.every((p) => PLACEMENT_PATTERN.test(p))) errors.placements = 'siteAds.errors.placements';
  return errors;
}

function CreateForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(EMPTY);
  // After a press of Create, every field the console can check says what is wrong with it, as it changes.
  const [tried, setTried] = useState(false);
  const products = useQuery({ queryKey: ['catalogue-products'], queryFn: catalogueProducts });
  const skus = products.data === undefined ? null : new Set(products.data.map((p) => p.sku));
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
            placements: placementsOf(draft),
            validFrom: null,
            validUntil: null,
            active: draft.active,
          },
        }),
      ),
    onSuccess: () => {
      setDraft(EMPTY);
      setTried(false);
      onDone();
    },
  });
  const own = tried ? siteAdFieldErrors(draft, skus) : {};
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setTried(true);
    // Sent even when the console found a mistake: the server's answer adds what only it can check
    // (a target off the company's sites), so every field's error shows at once.
    create.mutate();
  };
  const errorOf = (field: Field): string | undefined => {
    const key = own[field];
    return key !== undefined ? t(key) : fieldText(create.error, field, t);
  };
  const underField = FIELDS.some((f) => errorOf(f) !== undefined);
  const input = (field: Exclude<Field, never>, required: boolean, hint?: string) => (
    <TextInput
      label={t(`siteAds.fields.${field}`)}
      description={hint}
      required={required}
      value={draft[field]}
      error={errorOf(field)}
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
        {underField && !create.isPending && (
          <Alert color="red" role="alert">
            {t('siteAds.notCreated', { fields: FIELDS.filter((f) => errorOf(f) !== undefined).map((f) => t(`siteAds.fields.${f}`)).join(', ') })}
          </Alert>
        )}
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
  // People and aggregate apart, as the API reports them (and the totals above show them).
  const series = [
    { key: 'peopleImpressions', label: t('siteAds.peopleImpressions'), color: CHART_COLORS[0] },
    { key: 'aggregateImpressions', label: t('siteAds.aggregateImpressions'), color: CHART_COLORS[1] },
    { key: 'peopleClicks', label: t('siteAds.peopleClicks'), color: CHART_COLORS[2] },
    { key: 'aggregateClicks', label: t('siteAds.aggregateClicks'), color: CHART_COLORS[3] },
  ];
  const values = (x: { people: { impressions: number; clicks: number }; aggregate: { impressions: number; clicks: number } }) => ({
    peopleImpressions: x.people.impressions,
    aggregateImpressions: x.aggregate.impressions,
    peopleClicks: x.people.clicks,
    aggregateClicks: x.aggregate.clicks,
  });
  return (
    <Stack gap="sm" aria-labelledby="site-ad-report">
      <Title id="site-ad-report" order={2} size="h4">
        {t('siteAds.reportTitle', { period: formatDayRange(r.from, r.to, i18n.language) })}
      </Title>
      <Text size="sm" c="dimmed">
        {t('siteAds.utcDays')}
      </Text>
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
        <CountFigure title={t('siteAds.byDay')} rows={r.byDay.map((d) => ({ key: d.day, label: formatShortDay(d.day, i18n.language), values: values(d) }))} series={series} format={n} />
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
