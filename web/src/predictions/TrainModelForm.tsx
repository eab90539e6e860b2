/**
 * Train a prediction model (marketer, analyst, administrator: `predictions.manage`) with
 * `POST /v1/predictions/models`: what it predicts (propensity in a category, or churn in one or in
 * all), the horizon in days and the day whose records it reads (empty: now). Training reads every
 * customer's records twice and may take a while: a status line says it is under way, and the model
 * trained is handed to `onTrained` (the page shows its AUC and calibration). The server's refusal is
 * said under the field it names, in the person's language.
 */
import { Alert, Button, Group, Loader, NativeSelect, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { MAX_HORIZON_DAYS } from '../../../src/core/predictions/model.ts';
import { api, ApiError, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import { productCategories } from '../api/product-categories.ts';
import { codeText } from '../i18n/codes.ts';
import { helsinkiDayStart } from '../i18n/index.ts';

export interface TrainedModel {
  id: number;
  auc: number | null;
  trainedOn: number;
  evaluatedOn: number;
}

type Field = 'category' | 'horizonDays' | 'asOf';

/** The sentence under a field for the server's refusal of it, or undefined when the refusal is not about it. */
function fieldError(err: unknown, field: Field, t: TFunction): string | undefined {
  if (!(err instanceof ApiError) || err.field !== field) return undefined;
  if (field === 'asOf') return err.code === 'INVALID_DATE' ? t('predictions.errors.asOfFuture') : t('predictions.errors.asOfOutcomes');
  if (field === 'horizonDays') return t('predictions.errors.horizonDays', { max: MAX_HORIZON_DAYS });
  return t('predictions.errors.category');
}

export function TrainModelForm({ onTrained }: { onTrained: (model: TrainedModel) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const categories = useQuery({ queryKey: ['product-categories'], queryFn: productCategories }).data ?? [];
  const [kind, setKind] = useState<'propensity' | 'churn'>('propensity');
  const [category, setCategory] = useState('');
  const [horizon, setHorizon] = useState('90');
  const [asOfDay, setAsOfDay] = useState('');
  const train = useMutation({
    mutationFn: () => {
      // A horizon that is no number goes as null, and the server names the field.
      const body = {
        model: kind,
        horizonDays: horizon.trim() === '' ? Number.NaN : Number(horizon.trim()),
        ...(category === '' ? {} : { category }),
        ...(asOfDay === '' ? {} : { asOf: helsinkiDayStart(asOfDay) }),
      };
      return unwrap(api.POST('/v1/predictions/models', { body }));
    },
    onSuccess: (model) => {
      void queryClient.invalidateQueries({ queryKey: ['prediction-models'] });
      onTrained(model);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    train.mutate();
  };
  const underField = (['category', 'horizonDays', 'asOf'] as const).some((f) => fieldError(train.error, f, t) !== undefined);
  return (
    <form onSubmit={submit} noValidate aria-labelledby="train-title">
      <Title id="train-title" order={2} size="h4" mb="xs">
        {t('predictions.trainTitle')}
      </Title>
      <Stack maw={900} gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NativeSelect
            label={t('predictions.kind')}
            value={kind}
            onChange={(e) => setKind(e.currentTarget.value === 'churn' ? 'churn' : 'propensity')}
            data={[
              { value: 'propensity', label: t('predictions.kinds.propensity') },
              { value: 'churn', label: t('predictions.kinds.churn') },
            ]}
          />
          <NativeSelect
            label={t('predictions.category')}
            required={kind === 'propensity'}
            value={category}
            onChange={(e) => setCategory(e.currentTarget.value)}
            error={fieldError(train.error, 'category', t)}
            data={[{ value: '', label: kind === 'churn' ? t('predictions.allCategories') : '—' }, ...categories.map((c) => ({ value: c, label: codeText(t, 'category', c) }))]}
          />
          <TextInput
            label={t('predictions.horizonDays')}
            description={t('predictions.horizonHint', { max: MAX_HORIZON_DAYS })}
            required
            inputMode="numeric"
            value={horizon}
            onChange={(e) => setHorizon(e.currentTarget.value)}
            error={fieldError(train.error, 'horizonDays', t)}
          />
          <TextInput
            label={t('predictions.asOfDay')}
            description={t('predictions.asOfHint')}
            type="date"
            value={asOfDay}
            onChange={(e) => setAsOfDay(e.currentTarget.value)}
            error={fieldError(train.error, 'asOf', t)}
          />
        </SimpleGrid>
        {train.isError && !underField && (
          <Alert color="red" role="alert">
            {errorSentence(train.error, t)}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={train.isPending}>
            {t('predictions.train')}
          </Button>
          <div role="status" aria-live="polite">
            {train.isPending && (
              <Group gap="xs">
                <Loader size="sm" aria-hidden />
                <Text size="sm">{t('predictions.training')}</Text>
              </Group>
            )}
          </div>
        </Group>
      </Stack>
    </form>
  );
}
