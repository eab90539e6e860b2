/**
 * The audience explorer: purpose, channel and product → who may be contacted, counted over everyone
 * (`GET /v1/audience`), as charts with their tables. The question lives in the URL, so a view can be
 * shared and reloaded.
 */
import { Anchor, Alert, Button, Group, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { CHANNELS, PURPOSES, type Channel, type Purpose } from '../../../src/core/vocabulary.ts';
import { api, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import { CHART_COLORS, CountFigure, type ChartRow } from '../charts/CountFigure.tsx';
import { codeText } from '../i18n/codes.ts';
import { allows } from '../session/permissions.ts';
import { useSession } from '../session/session.ts';
import { formatDateTime, formatNumber } from '../i18n/index.ts';

function isPurpose(v: string | null): v is Purpose {
  return v !== null && (PURPOSES as readonly string[]).includes(v);
}
function isChannel(v: string | null): v is Channel {
  return v !== null && (CHANNELS as readonly string[]).includes(v);
}

/** Counts by code (legal basis or blocking reason) as chart rows, labelled in words. */
function rowsOf(counts: Record<string, number | null>, label: (code: string) => string): ChartRow[] {
  return Object.entries(counts).map(([code, n]) => ({ key: code, label: label(code), values: { n } }));
}

export function AudiencesPage() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const purpose = isPurpose(params.get('purpose')) ? (params.get('purpose') as Purpose) : 'marketing';
  const channel = isChannel(params.get('channel')) ? (params.get('channel') as Channel) : 'email';
  const product = params.get('product') ?? '';
  // From a segment's count: only its members (kept in the URL with the rest of the question).
  const segment = params.get('segment') ?? '';
  const segmentInfo = useQuery({ queryKey: ['segment', segment], enabled: segment !== '', queryFn: () => unwrap(api.GET('/v1/segments/{id}', { params: { path: { id: Number(segment) } } })) });
  const role = useSession().data?.user.role;
  const [draft, setDraft] = useState({ purpose, channel, product });
  const asked = params.has('purpose');

  const counts = useQuery({
    queryKey: ['audience', purpose, channel, product, segment],
    enabled: asked,
    queryFn: () => unwrap(api.GET('/v1/audience', { params: { query: { purpose, channel, ...(product === '' ? {} : { product }), ...(segment === '' ? {} : { segment: Number(segment) }) } } })),
  });

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setParams({ purpose: draft.purpose, channel: draft.channel, ...(draft.product.trim() === '' ? {} : { product: draft.product.trim() }), ...(segment === '' ? {} : { segment }) });
  };
  const n = (value: number | null | undefined): string =>
    value === null || value === undefined ? t('audiences.withheld') : formatNumber(value, i18n.language);

  return (
    <section aria-labelledby="audiences-title">
      <Title id="audiences-title" order={1} size="h2" mb="xs">
        {t('audiences.title')}
      </Title>
      <Text mb="md">{t('audiences.intro')}</Text>
      {segment !== '' && (
        <Text mb="md" fw={600}>
          {t('segments.onlySegment', { name: segmentInfo.data?.name ?? `#${segment}` })}
        </Text>
      )}
      <form onSubmit={submit}>
        <Group align="end" wrap="wrap">
          <NativeSelect
            label={t('audiences.purpose')}
            value={draft.purpose}
            onChange={(e) => setDraft({ ...draft, purpose: e.currentTarget.value as Purpose })}
            data={PURPOSES.map((p) => ({ value: p, label: codeText(t, 'purpose', p) }))}
          />
          <NativeSelect
            label={t('audiences.channel')}
            value={draft.channel}
            onChange={(e) => setDraft({ ...draft, channel: e.currentTarget.value as Channel })}
            data={CHANNELS.map((c) => ({ value: c, label: codeText(t, 'channel', c) }))}
          />
          <TextInput label={t('audiences.product')} value={draft.product} onChange={(e) => setDraft({ ...draft, product: e.currentTarget.value })} />
          <Button type="submit">{t('audiences.count')}</Button>
        </Group>
      </form>
      {counts.isError && (
        <Alert color="red" mt="md" role="alert">
          {errorSentence(counts.error, t)}
        </Alert>
      )}
      {counts.data !== undefined && (
        <Stack mt="lg" gap="md">
          <Text size="sm" c="gray.7">
            {t('audiences.asOf', { at: formatDateTime(counts.data.asOf, i18n.language) })}
          </Text>
          {counts.data.suppressedBelow !== undefined && (
            <Text size="sm" c="gray.7">
              {t('audiences.withheldNote', { n: counts.data.suppressedBelow })}
            </Text>
          )}
          <Group gap="xl">
            <Text>
              {t('audiences.evaluated')}: <strong>{n(counts.data.evaluated)}</strong>
            </Text>
            <Text>
              {t('audiences.allowed')}: <strong>{n(counts.data.allowed)}</strong>
            </Text>
          </Group>
          {purpose === 'marketing' && (channel === 'phone' || channel === 'post') && role !== undefined && allows(role, 'contact_lists.export') && (
            <Text>
              {/* A plain link: the browser downloads the CSV with the session cookie; the server audits every customer in it. */}
              <Anchor href={`/v1/exports/${channel === 'phone' ? 'calls' : 'post'}.csv${product === '' ? '' : `?product=${encodeURIComponent(product)}`}`} download>
                {t(channel === 'phone' ? 'contactLists.calls' : 'contactLists.post')}
              </Anchor>{' '}
              <Text span size="sm" c="dimmed">
                {t('contactLists.audited')}
              </Text>
            </Text>
          )}
          <CountFigure title={t('audiences.byBasis')} rows={rowsOf(counts.data.byBasis, (c) => codeText(t, 'basis', c))} series={[{ key: 'n', label: t('chart.customers'), color: CHART_COLORS[1] }]} format={n} />
          <CountFigure title={t('audiences.blocked')} rows={rowsOf(counts.data.blocked, (c) => codeText(t, 'reason', c))} series={[{ key: 'n', label: t('chart.customers'), color: CHART_COLORS[5] }]} format={n} />
        </Stack>
      )}
    </section>
  );
}
