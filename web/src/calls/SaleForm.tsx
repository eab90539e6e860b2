/**
 * A phone sale on the work screen: the offer Lupa ranked for the phone, the subscription's terms as
 * the written offer will state them (the same lines, from src/core/calls/written-offer.ts, in the
 * customer's language), why it binds (the customer's written acceptance, or their explicit request
 * to be called, with its evidence), and how the written offer goes out. Recording the sale records
 * the call (outcome `sale`) once, then makes the sale; the call is not recorded twice on a retry.
 */
import { Alert, Button, Card, NativeSelect, Radio, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SubscriptionKind } from '../../../src/core/calls/phone-sale.ts';
import { offerLocale, termLines } from '../../../src/core/calls/written-offer.ts';
import type { Sku } from '../../../src/core/records.ts';
import { api, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import { formatDateTime } from '../i18n/index.ts';

type Basis = 'written_acceptance' | 'requested_call';

/** A price typed as euros (`29,90` or `29.90`) in cents, or null when it is not one. */
function cents(text: string): number | null {
  const m = /^\s*(\d{1,7})(?:[.,](\d{1,2}))?\s*$/.exec(text);
  return m === null ? null : Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
}

export function SaleForm({ customerId, locale, recordCall, onDone }: { customerId: string; locale: string; recordCall: () => Promise<number>; onDone: (status: string) => void }) {
  const { t, i18n } = useTranslation();
  const lang = (['fi', 'sv', 'en'] as const).find((l) => i18n.language.startsWith(l)) ?? 'en';
  const offers = useQuery({
    queryKey: ['customer-offers', customerId, 'phone', lang],
    queryFn: () => unwrap(api.GET('/v1/customers/{id}/offers', { params: { path: { id: customerId }, query: { channel: 'phone', lang } } })),
  });
  const [offerId, setOfferId] = useState('');
  const [kind, setKind] = useState<SubscriptionKind>('continuous');
  const [regular, setRegular] = useState('');
  const [basis, setBasis] = useState<Basis>('written_acceptance');
  const [evidence, setEvidence] = useState('');
  const [delivery, setDelivery] = useState<'email' | 'sms'>('email');
  const [regularError, setRegularError] = useState<string | null>(null);
  const callId = useRef<number | null>(null);
  const list = offers.data?.offers ?? [];
  const offer = list.find((o) => String(o.offerId) === offerId) ?? list[0];
  const regularCents = cents(regular);
  const sell = useMutation({
    mutationFn: async () => {
      callId.current ??= await recordCall();
      return unwrap(
        api.POST('/v1/phone-sales', {
          body: {
            callId: callId.current,
            ...(offer === undefined ? {} : { offerId: offer.offerId }),
            kind,
            ...(kind === 'continuous' && regularCents !== null ? { regularMonthlyCents: regularCents } : {}),
            basis,
            ...(basis === 'requested_call' ? { requestEvidence: evidence } : {}),
            delivery,
          },
        }),
      );
    },
    onSuccess: (sale) =>
      onDone(
        sale.state === 'pending'
          ? t('callLists.salePending', { id: sale.id, to: sale.deliveredTo, until: formatDateTime(sale.acceptBy, i18n.language) })
          : t('callLists.saleBound', { id: sale.id, to: sale.deliveredTo }),
      ),
  });
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (kind === 'continuous' && regularCents === null) {
      setRegularError(t('callLists.regularPriceMissing'));
      return;
    }
    setRegularError(null);
    sell.mutate();
  };
  // A continuous subscription's terms name its full monthly price: none are read out before it is given.
  const priceMissing = kind === 'continuous' && regularCents === null;
  const preview =
    offer === undefined || priceMissing
      ? []
      : termLines(
          { sku: offer.product.sku as Sku, productName: offer.product.name, offerId: offer.offerId, offerCode: offer.code, kind, periodMonths: offer.periodMonths, priceCents: offer.priceCents, currency: offer.currency, regularMonthlyCents: kind === 'continuous' ? (regularCents ?? 0) : null },
          offerLocale(locale),
        );
  return (
    <Card withBorder padding="md" maw={900} component="section" aria-labelledby="sale-title">
      <Title id="sale-title" order={2} size="h4" mb="xs">
        {t('callLists.saleTitle')}
      </Title>
      {offers.isError && <Alert color="red">{errorSentence(offers.error, t)}</Alert>}
      {offers.isSuccess && list.length === 0 && <Text>{t('offers.section.none')}</Text>}
      {offer !== undefined && !sell.isSuccess && (
        <form onSubmit={submit}>
          <Stack gap="sm">
            <NativeSelect label={t('callLists.offer')} value={String(offer.offerId)} onChange={(e) => setOfferId(e.currentTarget.value)} data={list.map((o) => ({ value: String(o.offerId), label: `${o.name} — ${o.price}` }))} />
            <Radio.Group label={t('callLists.kind')} value={kind} onChange={(v) => setKind(v as SubscriptionKind)}>
              <Stack gap={4} mt={4}>
                <Radio value="continuous" label={t('callLists.kinds.continuous')} />
                <Radio value="fixed_term" label={t('callLists.kinds.fixed_term')} />
              </Stack>
            </Radio.Group>
            {kind === 'continuous' && <TextInput label={t('callLists.regularPrice')} description={t('callLists.regularPriceHint')} value={regular} onChange={(e) => { setRegular(e.currentTarget.value); setRegularError(null); }} error={regularError} inputMode="decimal" maw={240} />}
            <div>
              <Text fw={600} size="sm">
                {t('callLists.termsToRead')}
              </Text>
              {priceMissing ? (
                <Text size="sm">{t('callLists.termsNeedPrice')}</Text>
              ) : (
                <ul>
                  {preview.map((line) => (
                    <li key={line}>{line}</li>
                  ))}
                </ul>
              )}
            </div>
            <Radio.Group label={t('callLists.basis')} value={basis} onChange={(v) => setBasis(v as Basis)}>
              <Stack gap={4} mt={4}>
                <Radio value="written_acceptance" label={t('callLists.bases.written_acceptance')} />
                <Radio value="requested_call" label={t('callLists.bases.requested_call')} />
              </Stack>
            </Radio.Group>
            {basis === 'requested_call' && <Textarea label={t('callLists.requestEvidence')} description={t('callLists.requestEvidenceHint')} value={evidence} onChange={(e) => setEvidence(e.currentTarget.value)} required maw={600} />}
            <NativeSelect label={t('callLists.delivery')} value={delivery} onChange={(e) => setDelivery(e.currentTarget.value as 'email' | 'sms')} data={[{ value: 'email', label: t('callLists.deliveries.email') }, { value: 'sms', label: t('callLists.deliveries.sms') }]} maw={240} />
            {sell.isError && <Alert color="red">{errorSentence(sell.error, t)}</Alert>}
            <Button type="submit" loading={sell.isPending} w="fit-content">
              {t('callLists.recordSale')}
            </Button>
          </Stack>
        </form>
      )}
    </Card>
  );
}
