/**
 * Create or edit one offer (marketer, administrator): every field of the catalogue, the server's
 * check of it shown under the field it names in the person's language, a status message on save.
 */
import { Alert, Button, Checkbox, Group, NativeSelect, SimpleGrid, Stack, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import { codeText } from '../i18n/codes.ts';
import { bodyOf, EMPTY_OFFER, fieldError, formOf, formProblems, type OfferLike } from './offer-form.ts';

const CHANNELS = ['web', 'phone', 'email'] as const;
const RELATIONSHIPS = ['any', 'active', 'former', 'none'] as const;

export function OfferForm({ editing, onDone }: { editing: (OfferLike & { id: number }) | null; onDone: (code: string) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [f, setF] = useState(editing === null ? EMPTY_OFFER : formOf(editing));
  const set = (patch: Partial<typeof f>) => setF((old) => ({ ...old, ...patch }));
  const products = useQuery({ queryKey: ['products', 'all'], queryFn: () => unwrap(api.GET('/v1/products', { params: { query: { limit: 100 } } })) });
  const segments = useQuery({ queryKey: ['segments'], queryFn: () => unwrap(api.GET('/v1/segments')) });
  const save = useMutation({
    mutationFn: () => {
      const body = bodyOf(f);
      return editing === null ? unwrap(api.POST('/v1/offers', { body })) : unwrap(api.PATCH('/v1/offers/{id}', { params: { path: { id: editing.id } }, body }));
    },
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: ['offers'] });
      onDone(saved.code);
    },
  });
  // Every wrong field found before sending; the server's answer (a taken code, an unknown product) after.
  const [problems, setProblems] = useState<ApiError[]>([]);
  const err = (field: string, value?: string) => {
    const local = problems.find((p) => p.field === field);
    return local !== undefined ? fieldError(local, field, t, value) : problems.length === 0 ? fieldError(save.error, field, t, value) : undefined;
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found = formProblems(f, new Date().toISOString());
    setProblems(found);
    if (found.length === 0) save.mutate();
  };
  // An error the form shows under its field needs no second sentence above the button.
  const underField = save.error instanceof ApiError && (save.error.code === 'OFFER_EXISTS' || err(save.error.field ?? '') !== undefined);
  const general = problems.length === 0 && save.isError && !underField;
  return (
    <form onSubmit={submit} noValidate aria-labelledby="offer-form-title">
      <Title id="offer-form-title" order={2} size="h4" mb="xs">
        {editing === null ? t('offers.newTitle') : t('offers.editTitle', { code: editing.code })}
      </Title>
      <Stack maw={720}>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('offers.code')} required value={f.code} onChange={(e) => set({ code: e.currentTarget.value })} error={err('code')} />
          <TextInput label={t('offers.name')} required value={f.name} onChange={(e) => set({ name: e.currentTarget.value })} error={err('name')} />
          <NativeSelect
            label={t('offers.product')}
            required
            value={f.sku}
            onChange={(e) => set({ sku: e.currentTarget.value })}
            error={err('sku')}
            data={[{ value: '', label: '—' }, ...(products.data?.products ?? []).map((p) => ({ value: p.sku, label: `${p.name} (${p.sku})` }))]}
          />
          <TextInput label={t('offers.price')} required inputMode="decimal" value={f.price} onChange={(e) => set({ price: e.currentTarget.value })} error={err('priceCents')} />
          <TextInput label={t('offers.period')} required inputMode="numeric" value={f.period} onChange={(e) => set({ period: e.currentTarget.value })} error={err('periodMonths')} />
          <TextInput label={t('offers.priority')} inputMode="numeric" value={f.priority} onChange={(e) => set({ priority: e.currentTarget.value })} error={err('priority')} />
          <TextInput label={t('offers.validFrom')} type="date" value={f.validFrom} onChange={(e) => set({ validFrom: e.currentTarget.value })} error={err('validFrom')} />
          <TextInput label={t('offers.validUntil')} type="date" value={f.validUntil} onChange={(e) => set({ validUntil: e.currentTarget.value })} error={err('validUntil')} />
        </SimpleGrid>
        <Checkbox.Group label={t('offers.channels')} value={f.channels} onChange={(channels) => set({ channels })} error={err('channels')}>
          <Group mt={4}>
            {CHANNELS.map((c) => (
              <Checkbox key={c} value={c} label={codeText(t, 'channel', c)} />
            ))}
          </Group>
        </Checkbox.Group>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NativeSelect label={t('offers.relationship')} value={f.relationship} onChange={(e) => set({ relationship: e.currentTarget.value })} data={RELATIONSHIPS.map((r) => ({ value: r, label: t(`offers.relationships.${r}`) }))} />
          <NativeSelect
            label={t('offers.segment')}
            value={f.segmentId}
            onChange={(e) => set({ segmentId: e.currentTarget.value })}
            data={[{ value: '', label: t('offers.anySegment') }, ...(segments.data?.segments ?? []).map((s) => ({ value: String(s.id), label: s.name }))]}
          />
          <TextInput label={t('offers.minDays')} inputMode="numeric" value={f.minDays} onChange={(e) => set({ minDays: e.currentTarget.value })} error={err('minDaysSinceLastOffer')} />
        </SimpleGrid>
        <Checkbox label={t('offers.excludeSubscribed')} checked={f.excludeSubscribed} onChange={(e) => set({ excludeSubscribed: e.currentTarget.checked })} />
        {(['fi', 'sv', 'en'] as const).map((lang) => (
          <Textarea
            key={lang}
            label={t(`offers.explanation${lang === 'fi' ? 'Fi' : lang === 'sv' ? 'Sv' : 'En'}`)}
            description={t('offers.explanationHint')}
            required
            autosize
            minRows={2}
            value={f[lang]}
            onChange={(e) => set({ [lang]: e.currentTarget.value })}
            error={err(`explanation.${lang}`, f[lang])}
          />
        ))}
        {general && <Alert color="red" role="alert">{errorSentence(save.error, t)}</Alert>}
        <Group>
          <Button type="submit" loading={save.isPending}>
            {t('offers.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
