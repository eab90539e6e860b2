/**
 * Decision replay: a campaign's delivery (`GET /v1/campaigns/{id}/deliveries/{customerId}`, decided
 * as of the campaign's decision time) or a question at a time (`GET /v1/decide` with `at`), beside
 * the same question answered now (`GET /v1/decide` without `at`). The question is in the URL; every
 * answer is a read of the customer's records, audited by the server.
 */
import { Alert, Button, Group, List, NativeSelect, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { CHANNELS, PURPOSES, type Channel, type Purpose } from '../../../src/core/vocabulary.ts';
import { api, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import { formatDateTime } from '../i18n/index.ts';
import { allows } from '../session/permissions.ts';
import { useSession } from '../session/session.ts';
import { DecisionCard } from './DecisionCard.tsx';
import { reasonSentence, type Decision } from './decision-text.ts';

type Mode = 'delivery' | 'question';
const FIELDS = ['campaign', 'customer', 'purpose', 'channel', 'product', 'at'] as const;
type Draft = Record<(typeof FIELDS)[number], string>;

/** An instant as a `datetime-local` value in this browser's time zone, and back. */
function toLocalInput(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}
function fromLocalInput(value: string): string {
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

/** How the answer now differs from the answer then: the verdict, only its grounds (basis, reasons), or nothing. */
function comparison(then: Decision, now: Decision): 'same' | 'changed' | 'groundsChanged' {
  if (then.allowed !== now.allowed) return 'changed';
  return then.basis === now.basis && then.reasons.join() === now.reasons.join() ? 'same' : 'groundsChanged';
}

export function DecisionsPage() {
  const { t } = useTranslation();
  const role = useSession().data?.user.role;
  const byDelivery = role !== undefined && allows(role, 'campaigns.recipients');
  const [params, setParams] = useSearchParams();
  const q = Object.fromEntries(FIELDS.map((f) => [f, params.get(f) ?? ''])) as Draft;
  const mode: Mode = q.campaign !== '' || (byDelivery && q.purpose === '' && q.customer === '') ? 'delivery' : 'question';
  const [draftMode, setDraftMode] = useState<Mode>(byDelivery ? mode : 'question');
  const [draft, setDraft] = useState<Draft>({ ...q, purpose: q.purpose || 'marketing', channel: q.channel || 'email', at: q.at === '' ? '' : toLocalInput(q.at) });
  const field = (name: keyof Draft) => ({ value: draft[name], onChange: (e: { currentTarget: { value: string } }) => setDraft({ ...draft, [name]: e.currentTarget.value }) });

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const customer = draft.customer.trim();
    if (customer === '') return;
    if (draftMode === 'delivery') setParams({ campaign: draft.campaign.trim(), customer });
    else {
      const at = fromLocalInput(draft.at);
      setParams({ customer, purpose: draft.purpose, channel: draft.channel, ...(draft.product.trim() === '' ? {} : { product: draft.product.trim() }), ...(at === '' ? {} : { at }) });
    }
  };

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('dpo.decisions.title')}
      </Title>
      <Text>{t('dpo.decisions.intro')}</Text>
      <form onSubmit={submit} aria-label={t('dpo.decisions.title')}>
        <Group align="end" wrap="wrap">
          {byDelivery && (
            <NativeSelect
              label={t('dpo.decisions.mode')}
              value={draftMode}
              onChange={(e) => setDraftMode(e.currentTarget.value as Mode)}
              data={[
                { value: 'delivery', label: t('dpo.decisions.byDelivery') },
                { value: 'question', label: t('dpo.decisions.byQuestion') },
              ]}
            />
          )}
          {draftMode === 'delivery' && <TextInput label={t('dpo.decisions.campaign')} required inputMode="numeric" {...field('campaign')} />}
          <TextInput label={t('dpo.customer')} required {...field('customer')} />
          {draftMode === 'question' && (
            <>
              <NativeSelect label={t('dpo.purpose')} {...field('purpose')} data={PURPOSES.map((p) => ({ value: p, label: t(`purposes.${p}`) }))} />
              <NativeSelect label={t('dpo.channel')} {...field('channel')} data={CHANNELS.map((c) => ({ value: c, label: t(`channels.${c}`) }))} />
              <TextInput label={t('dpo.decisions.product')} {...field('product')} />
              <TextInput label={t('dpo.decisions.at')} type="datetime-local" required {...field('at')} />
            </>
          )}
          <Button type="submit">{t('dpo.decisions.show')}</Button>
        </Group>
      </form>
      {mode === 'delivery' && q.campaign !== '' && q.customer !== '' && <DeliveryReplay campaign={q.campaign} customer={q.customer} />}
      {mode === 'question' && q.customer !== '' && q.at !== '' && (
        <QuestionReplay customer={q.customer} purpose={q.purpose as Purpose} channel={q.channel as Channel} product={q.product} at={q.at} />
      )}
    </Stack>
  );
}

function decideNow(customer: string, purpose: Purpose, channel: Channel, product: string | null) {
  return {
    queryKey: ['decide', customer, purpose, channel, product ?? ''],
    queryFn: () => unwrap(api.GET('/v1/decide', { params: { query: { customer, purpose, channel, ...(product === null || product === '' ? {} : { product }) } } })),
  };
}

function ThenAndNow({ id, thenTitle, then, now }: { id: string; thenTitle: string; then: Decision; now: Decision | undefined }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs">
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <DecisionCard headingId={`${id}-then`} title={thenTitle} decision={then} />
        {now !== undefined && <DecisionCard headingId={`${id}-now`} title={t('dpo.decisions.now')} decision={now} />}
      </SimpleGrid>
      {now !== undefined && <Text fw={600}>{t(`dpo.decisions.${comparison(then, now)}`)}</Text>}
    </Stack>
  );
}

function QuestionReplay({ customer, purpose, channel, product, at }: { customer: string; purpose: Purpose; channel: Channel; product: string; at: string }) {
  const { t, i18n } = useTranslation();
  const query = { customer, purpose, channel, ...(product === '' ? {} : { product }) };
  const then = useQuery({ queryKey: ['decide', customer, purpose, channel, product, at], queryFn: () => unwrap(api.GET('/v1/decide', { params: { query: { ...query, at } } })) });
  const now = useQuery({ ...decideNow(customer, purpose, channel, product), enabled: then.isSuccess });
  const error = then.error ?? now.error;
  if (error !== null) return <Alert color="red" role="alert">{errorSentence(error, t)}</Alert>;
  if (then.data === undefined) return null;
  return <ThenAndNow id="question" thenTitle={t('dpo.decisions.then', { at: formatDateTime(then.data.evidence.asOf, i18n.language) })} then={then.data} now={now.data} />;
}

function DeliveryReplay({ campaign, customer }: { campaign: string; customer: string }) {
  const { t, i18n } = useTranslation();
  const replay = useQuery({
    queryKey: ['delivery', campaign, customer],
    queryFn: () => unwrap(api.GET('/v1/campaigns/{id}/deliveries/{customerId}', { params: { path: { id: Number(campaign), customerId: customer } } })),
  });
  const decisions = replay.data?.decisions ?? [];
  const nows = useQueries({ queries: decisions.map((d) => decideNow(customer, d.decision.evidence.purpose, d.decision.evidence.channel, d.decision.evidence.product)) });
  if (replay.isError) return <Alert color="red" role="alert">{errorSentence(replay.error, t)}</Alert>;
  const data = replay.data;
  if (data === undefined) return null;
  const thenTitle = t('dpo.decisions.thenDelivery', { at: formatDateTime(data.asOf, i18n.language) });
  return (
    <Stack>
      <div>
        <Text>{t('dpo.decisions.delivery', { state: t(`dpo.decisions.states.${data.delivery.state}`, { defaultValue: data.delivery.state }) })}</Text>
        <List size="sm">
          {data.delivery.reasons.map((code) => (
            <List.Item key={code}>{reasonSentence(code, t)}</List.Item>
          ))}
        </List>
      </div>
      {decisions.map((d, i) => (
        <ThenAndNow key={d.purpose} id={`delivery-${i}`} thenTitle={thenTitle} then={d.decision} now={nows[i]?.data} />
      ))}
    </Stack>
  );
}
