/**
 * What may be done with a campaign in its state (for roles with `campaigns.write`): a draft is
 * launched (now, also when scheduled for later), scheduled or its schedule cleared; a running one
 * paused; a paused one resumed; a draft, running or paused one cancelled. Launch and cancel ask
 * first, since neither can be undone. Each change is `POST /v1/campaigns/{id}/…`
 * (src/http/routes/campaign-changes.ts); a refusal is shown as a sentence.
 */
import { Alert, Button, Group, List, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, ApiError, unwrap } from '../api/client.ts';
import { formatDateTime, formatNumber } from '../i18n/index.ts';
import { WARN } from '../admin/status-colours.ts';
import { campaignErrorSentence } from './campaignErrors.ts';

export type Campaign = Awaited<ReturnType<typeof readCampaign>>;
type Change = 'launch' | 'launchDespite' | 'pause' | 'resume' | 'cancel' | 'schedule' | 'unschedule';

/** A campaign RECENT_DUPLICATE names: launched lately with the same template or product to people this one selects. */
export interface RecentSend {
  campaignId: number;
  name: string;
  launchedAt: string;
  overlap: number;
}

function recentOf(err: unknown): RecentSend[] {
  if (!(err instanceof ApiError) || err.code !== 'RECENT_DUPLICATE') return [];
  const recent = err.details?.['recent'];
  return Array.isArray(recent) ? (recent as RecentSend[]) : [];
}

/** GET /v1/campaigns/{id}: the campaign with its deliveries counted. */
export function readCampaign(id: number) {
  return unwrap(api.GET('/v1/campaigns/{id}', { params: { path: { id } } }));
}

function change(id: number, what: Change, at: string | null, despite: number[]): Promise<unknown> {
  const path = { params: { path: { id } } };
  switch (what) {
    case 'launch':
      return unwrap(api.POST('/v1/campaigns/{id}/launch', { ...path, body: { now: true } }));
    case 'launchDespite':
      return unwrap(api.POST('/v1/campaigns/{id}/launch', { ...path, body: { now: true, despiteRecent: despite } }));
    case 'pause':
      return unwrap(api.POST('/v1/campaigns/{id}/pause', path));
    case 'resume':
      return unwrap(api.POST('/v1/campaigns/{id}/resume', path));
    case 'cancel':
      return unwrap(api.POST('/v1/campaigns/{id}/cancel', path));
    case 'schedule':
      return unwrap(api.POST('/v1/campaigns/{id}/schedule', { ...path, body: { at } }));
    case 'unschedule':
      return unwrap(api.POST('/v1/campaigns/{id}/schedule', { ...path, body: { at: null } }));
  }
}

/** A `datetime-local` value (the browser's own time zone) as an instant, or null when empty or unreadable. */
function localToInstant(value: string): string | null {
  const date = new Date(value);
  return value === '' || Number.isNaN(date.getTime()) ? null : date.toISOString();
}

export function CampaignActions({ campaign }: { campaign: Campaign }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState<'launch' | 'cancel' | null>(null);
  const [when, setWhen] = useState('');
  // The campaigns a refused launch named as recent duplicates: launching despite them names them back.
  const [recent, setRecent] = useState<RecentSend[]>([]);
  const mutation = useMutation({
    mutationFn: (what: Change): Promise<unknown> => change(campaign.id, what, localToInstant(when), recent.map((r) => r.campaignId)),
    // Asked once: after an answer, success or refusal, the question closes.
    onSettled: (_data, error) => {
      setConfirming(null);
      setRecent(recentOf(error));
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['campaign', campaign.id] });
      await queryClient.invalidateQueries({ queryKey: ['campaigns'] });
    },
  });
  const s = campaign.status;
  if (s === 'done' || s === 'cancelled') return null;
  const busy = mutation.isPending;
  const act = (what: Change) => () => mutation.mutate(what);

  return (
    <Stack gap="sm" component="section" aria-label={t('campaign.actions')}>
      {confirming === null && (
        <Group gap="sm" wrap="wrap">
          {s === 'draft' && <Button onClick={() => setConfirming('launch')}>{t(campaign.sendAt === null ? 'campaign.launch' : 'campaign.launchNow')}</Button>}
          {s === 'running' && (
            <Button variant="default" loading={busy} onClick={act('pause')}>
              {t('campaign.pause')}
            </Button>
          )}
          {s === 'paused' && (
            <Button loading={busy} onClick={act('resume')}>
              {t('campaign.resume')}
            </Button>
          )}
          <Button variant="outline" color="red.9" onClick={() => setConfirming('cancel')}>
            {t('campaign.cancel')}
          </Button>
        </Group>
      )}
      {confirming !== null && (
        <Alert color={confirming === 'cancel' ? 'red' : 'indigo'} title={t(`campaign.confirm.${confirming}Title`, { name: campaign.name })}>
          <Text mb="sm">{t(`campaign.confirm.${confirming}Text`)}</Text>
          <Group gap="sm">
            <Button {...(confirming === 'cancel' ? { color: 'red.9' } : {})} loading={busy} onClick={act(confirming)}>
              {t(`campaign.confirm.${confirming}Yes`)}
            </Button>
            <Button variant="default" disabled={busy} onClick={() => setConfirming(null)}>
              {t('campaign.confirm.back')}
            </Button>
          </Group>
        </Alert>
      )}
      {s === 'draft' && confirming === null && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            mutation.mutate('schedule');
          }}
        >
          <Group align="end" gap="sm" wrap="wrap">
            <TextInput type="datetime-local" label={t('campaign.scheduleAt')} value={when} onChange={(e) => setWhen(e.currentTarget.value)} />
            <Button type="submit" variant="default" loading={busy} disabled={localToInstant(when) === null}>
              {t('campaign.scheduleAction')}
            </Button>
            {campaign.sendAt !== null && (
              <Button variant="subtle" loading={busy} onClick={act('unschedule')}>
                {t('campaign.unschedule')}
              </Button>
            )}
          </Group>
        </form>
      )}
      {mutation.isError && recent.length === 0 && (
        <Alert color="red" role="alert">
          {campaignErrorSentence(mutation.error, t)}
        </Alert>
      )}
      {recent.length > 0 && (
        <Alert variant="outline" color={WARN} role="alert" title={t('recentCampaigns.title')}>
          <List size="sm" mb="sm">
            {recent.map((r) => (
              <List.Item key={r.campaignId}>
                {t('recentCampaigns.item', { name: r.name, id: r.campaignId, at: formatDateTime(r.launchedAt, i18n.language), overlap: formatNumber(r.overlap, i18n.language) })}
              </List.Item>
            ))}
          </List>
          <Text size="sm" mb="sm">
            {t('recentCampaigns.advice')}
          </Text>
          <Group gap="sm">
            <Button component={Link} to={`/campaigns/new?copy=${campaign.id}&exclude=${recent.map((r) => r.campaignId).join(',')}`} variant="default">
              {t('recentCampaigns.copyLeavingOut')}
            </Button>
            <Button color={WARN} loading={busy} onClick={act('launchDespite')}>
              {t('recentCampaigns.launchAnyway')}
            </Button>
          </Group>
        </Alert>
      )}
    </Stack>
  );
}
