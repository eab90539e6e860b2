/**
 * A new campaign draft (`POST /v1/campaigns`), or a copy of an earlier one (`?copy=ID`: its name,
 * purpose, channel, template, product, audience filter, pace, values and links, to change before
 * saving). The draft opens in the campaign view, where it is tested, scheduled or launched.
 */
import { Alert, Button, Group, NativeSelect, NumberInput, Stack, TextInput, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { CHANNELS, PURPOSES } from '../../../src/core/vocabulary.ts';
import { allows } from '../session/permissions.ts';
import { useSession } from '../session/session.ts';
import { api, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import type { paths } from '../api/schema';
import { codeText } from '../i18n/codes.ts';
import { draftOfCampaign, emptyCampaignDraft, requestOf, type CampaignDraft } from './campaign-draft.ts';

type Body = paths['/v1/campaigns']['post']['requestBody']['content']['application/json'];

export function NewCampaignPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const copyOf = params.get('copy');
  // `exclude`: the campaigns a same-offer warning named, whose recipients the copy leaves out.
  const excludeFromUrl = params.get('exclude') ?? '';
  // `segment`: the segment screen's "new campaign to this segment".
  const segmentFromUrl = params.get('segment') ?? '';
  const [draft, setDraft] = useState<CampaignDraft | null>(copyOf === null ? { ...emptyCampaignDraft(), segment: segmentFromUrl } : null);
  const source = useQuery({
    queryKey: ['campaign', copyOf],
    enabled: copyOf !== null,
    queryFn: () => unwrap(api.GET('/v1/campaigns/{id}', { params: { path: { id: Number(copyOf) } } })),
  });
  useEffect(() => {
    if (source.data !== undefined && draft === null) {
      const copy = draftOfCampaign(source.data, t('newCampaign.copyName', { name: source.data.name }));
      setDraft(excludeFromUrl === '' ? copy : { ...copy, exclude: excludeFromUrl });
    }
  }, [source.data, draft, t, excludeFromUrl]);
  const templates = useQuery({ queryKey: ['templates', 'all'], queryFn: () => unwrap(api.GET('/v1/templates', { params: { query: { limit: 100 } } })) });
  const role = useSession().data?.user.role;
  const segments = useQuery({ queryKey: ['segments'], enabled: role !== undefined && allows(role, 'segments.read'), queryFn: () => unwrap(api.GET('/v1/segments')) });
  const products = useQuery({ queryKey: ['products', 'all'], queryFn: () => unwrap(api.GET('/v1/products', { params: { query: { limit: 100 } } })) });
  const create = useMutation({
    mutationFn: (d: CampaignDraft) => unwrap(api.POST('/v1/campaigns', { body: requestOf(d) as Body })),
    onSuccess: (created) => void navigate(`/campaigns/${created.id}`),
  });

  if (source.isError) return <Alert color="red">{errorSentence(source.error, t)}</Alert>;
  if (draft === null) return null;
  const set = (patch: Partial<CampaignDraft>): void => setDraft({ ...draft, ...patch });
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    create.mutate(draft);
  };
  const none = { value: '', label: t('newCampaign.none') };

  return (
    <section aria-labelledby="new-campaign-title">
      <Title id="new-campaign-title" order={1} size="h2" mb="md">
        {copyOf === null ? t('newCampaign.title') : t('newCampaign.copyTitle')}
      </Title>
      <form onSubmit={submit}>
        <Stack gap="sm" maw={640}>
          <TextInput required label={t('campaigns.name')} value={draft.name} onChange={(e) => set({ name: e.currentTarget.value })} />
          <Group grow wrap="wrap">
            <NativeSelect label={t('campaigns.purpose')} value={draft.purpose} onChange={(e) => set({ purpose: e.currentTarget.value as CampaignDraft['purpose'] })} data={PURPOSES.map((p) => ({ value: p, label: codeText(t, 'purpose', p) }))} />
            <NativeSelect label={t('campaigns.channel')} value={draft.channel} onChange={(e) => set({ channel: e.currentTarget.value as CampaignDraft['channel'] })} data={CHANNELS.map((c) => ({ value: c, label: codeText(t, 'channel', c) }))} />
          </Group>
          <NativeSelect
            label={t('newCampaign.template')}
            description={t('newCampaign.templateHint')}
            value={draft.template}
            onChange={(e) => set({ template: e.currentTarget.value })}
            data={[none, ...(templates.data?.templates ?? []).map((tpl) => ({ value: tpl.id, label: `${tpl.id}${tpl.kind === null ? '' : ` (${t(`templates.kinds.${tpl.kind === 'service' ? 'service' : 'marketing'}`)})`}` }))]}
          />
          <NativeSelect
            label={t('newCampaign.product')}
            description={t('newCampaign.productHint')}
            value={draft.product}
            onChange={(e) => set({ product: e.currentTarget.value })}
            data={[none, ...(products.data?.products ?? []).map((p) => ({ value: p.sku, label: `${p.name} (${p.sku})` }))]}
          />
          <Title order={2} size="h4" mt="sm">
            {t('newCampaign.audience')}
          </Title>
          <TextInput label={t('newCampaign.postcodes')} description={t('newCampaign.postcodesHint')} value={draft.postcodes} onChange={(e) => set({ postcodes: e.currentTarget.value })} />
          <Group grow wrap="wrap">
            <NativeSelect
              label={t('newCampaign.language')}
              value={draft.locale}
              onChange={(e) => set({ locale: e.currentTarget.value })}
              data={[{ value: '', label: t('newCampaign.anyLanguage') }, ...['fi', 'sv', 'en'].map((l) => ({ value: l, label: t(`templates.languageNames.${l}`) }))]}
            />
            <NativeSelect
              label={t('newCampaign.orderedProduct')}
              value={draft.orderedSku}
              onChange={(e) => set({ orderedSku: e.currentTarget.value })}
              data={[none, ...(products.data?.products ?? []).map((p) => ({ value: p.sku, label: `${p.name} (${p.sku})` }))]}
            />
          </Group>
          {segments.data !== undefined && (
            <NativeSelect
              label={t('segments.campaignSegment')}
              description={t('segments.campaignSegmentHint')}
              value={draft.segment}
              onChange={(e) => set({ segment: e.currentTarget.value })}
              data={[{ value: '', label: t('segments.campaignSegmentNone') }, ...segments.data.segments.filter((s) => s.computedAt !== null).map((s) => ({ value: String(s.id), label: s.name }))]}
            />
          )}
          <TextInput label={t('newCampaign.exclude')} description={t('newCampaign.excludeHint')} value={draft.exclude} onChange={(e) => set({ exclude: e.currentTarget.value })} />
          <NumberInput label={t('newCampaign.perSecond')} description={t('newCampaign.perSecondHint')} min={1} value={draft.perSecond ?? ''} onChange={(v) => set({ perSecond: typeof v === 'number' ? v : null })} />
          <Textarea label={t('newCampaign.vars')} description={t('newCampaign.varsHint')} autosize minRows={2} value={draft.vars} onChange={(e) => set({ vars: e.currentTarget.value })} />
          <Textarea label={t('newCampaign.links')} description={t('newCampaign.linksHint')} autosize minRows={2} value={draft.links} onChange={(e) => set({ links: e.currentTarget.value })} />
          {create.isError && (
            <Alert color="red" role="alert">
              {errorSentence(create.error, t)}
            </Alert>
          )}
          <Group>
            <Button type="submit" loading={create.isPending}>
              {t('newCampaign.save')}
            </Button>
            <Button component={Link} to="/campaigns" variant="default">
              {t('admin.cancel')}
            </Button>
          </Group>
        </Stack>
      </form>
    </section>
  );
}
