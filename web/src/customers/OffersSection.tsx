/**
 * A customer's next best offers on the agent's customer view: a channel choice (phone first: the
 * agent is on a call), the offers the decision allows, ranked, each with its price, explanation
 * and reason, and buttons to record the customer's answer, each named with the offer it answers.
 * Each read is audited by the server.
 */
import { Alert, Button, Card, Group, NativeSelect, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import { codeText } from '../i18n/codes.ts';

type OfferChannel = 'phone' | 'web' | 'email';
const CHANNELS: OfferChannel[] = ['phone', 'web', 'email'];

export function OffersSection({ customerId }: { customerId: string }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [channel, setChannel] = useState<OfferChannel>('phone');
  const [recorded, setRecorded] = useState<string | null>(null);
  // Offers answered in this session: their answer is shown in place of the buttons, so one is not
  // recorded twice. Kept in the query cache, not the component, so the page's reloads keep it.
  const answersKey = ['offer-answers', customerId];
  const answered = useQuery({ queryKey: answersKey, queryFn: () => new Map<number, 'accepted' | 'declined'>(), staleTime: Infinity, gcTime: Infinity }).data ?? new Map<number, 'accepted' | 'declined'>();
  const statusRef = useRef<HTMLDivElement>(null);
  const lang = (['fi', 'sv', 'en'] as const).find((l) => i18n.language.startsWith(l)) ?? 'en';
  const offers = useQuery({
    queryKey: ['customer-offers', customerId, channel, lang],
    queryFn: () => unwrap(api.GET('/v1/customers/{id}/offers', { params: { path: { id: customerId }, query: { channel, lang } } })),
  });
  const record = useMutation({
    mutationFn: (v: { offerId: number; code: string; outcome: 'accepted' | 'declined' }) =>
      unwrap(api.POST('/v1/customers/{id}/offers/{offerId}/outcomes', { params: { path: { id: customerId, offerId: v.offerId } }, body: { channel, outcome: v.outcome } })).then(() => v),
    onSuccess: (v) => {
      queryClient.setQueryData(answersKey, (m: ReadonlyMap<number, 'accepted' | 'declined'> | undefined) => new Map(m).set(v.offerId, v.outcome));
      setRecorded(t('offers.section.recordedStatus', { outcome: t(`offers.section.${v.outcome}`), code: v.code }));
      statusRef.current?.focus();
      void queryClient.invalidateQueries({ queryKey: ['customer-offers', customerId] });
    },
  });
  return (
    <section aria-labelledby="offers-title">
      <Title id="offers-title" order={2} size="h4" mb="xs">
        {t('offers.section.title')}
      </Title>
      <NativeSelect
        label={t('offers.section.channel')}
        value={channel}
        onChange={(e) => setChannel(e.currentTarget.value as OfferChannel)}
        data={CHANNELS.map((c) => ({ value: c, label: codeText(t, 'channel', c) }))}
        maw={240}
        mb="xs"
      />
      {offers.isError && <Alert color="red">{errorSentence(offers.error, t)}</Alert>}
      {offers.data !== undefined && (
        <Stack gap="xs">
          <Text size="sm" c="dimmed">
            {offers.data.personal ? t('offers.section.personal') : t('offers.section.notPersonal')}
          </Text>
          {offers.data.offers.length === 0 && <Text>{t('offers.section.none')}</Text>}
          <Stack component="ol" gap="xs" p={0} m={0} style={{ listStyle: 'none' }}>
            {offers.data.offers.map((o) => (
              <Card component="li" key={o.offerId} withBorder padding="sm" maw={720}>
                <Text fw={600}>
                  {o.rank}. {o.name} — {o.price}
                </Text>
                <Text size="sm">{o.explanation}</Text>
                {o.reason !== null && <Text size="sm">{t('offers.section.why', { reason: o.reason })}</Text>}
                {answered.has(o.offerId) ? (
                  <Text size="sm" mt={6} fw={600}>
                    {t('offers.section.answered', { outcome: t(`offers.section.${answered.get(o.offerId) ?? 'accepted'}`) })}
                  </Text>
                ) : (
                  <Group mt={6} gap="xs">
                    {(['accepted', 'declined'] as const).map((outcome) => (
                      // Named with the offer it answers ("Accepted: Kotipiha 12 kk"): every card has the same two buttons.
                      <Button
                        key={outcome}
                        size="xs"
                        variant="default"
                        loading={record.isPending}
                        onClick={() => record.mutate({ offerId: o.offerId, code: o.code, outcome })}
                        aria-label={t('offers.section.answerFor', { outcome: t(`offers.section.${outcome}`), name: o.name })}
                      >
                        {t(`offers.section.${outcome}`)}
                      </Button>
                    ))}
                  </Group>
                )}
              </Card>
            ))}
          </Stack>
        </Stack>
      )}
      {record.isError && <Alert color="red">{errorSentence(record.error, t)}</Alert>}
      <div role="status" aria-live="polite" ref={statusRef} tabIndex={-1}>
        {recorded !== null && <Text mt="xs">{recorded}</Text>}
      </div>
    </section>
  );
}
