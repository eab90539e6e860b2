/**
 * Prediction models (marketer, analyst): one card per model with what it predicts, its held-out
 * ROC AUC, when its scores were computed and whether they are the ones that rank offers, and the
 * chosen model's calibration (predicted beside observed per tenth of the scores) as a chart with
 * the same figures in a table. No scores are shown:
 * they are profiling, used by segments and offers, never listed here. A person who may manage models
 * trains one with the form (the new model's AUC, size and calibration are shown when it is done) and
 * computes a model's scores from its card; a status line says what is under way, and then what came of it.
 */
import { Alert, Badge, Button, Card, Group, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { api, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import { GOOD, OFF, WARN } from '../admin/status-colours.ts';
import { CHART_COLORS, CountFigure } from '../charts/CountFigure.tsx';
import { MIN_OUTCOMES_TO_JUDGE, modelNotes } from '../../../src/core/predictions/model-notes.ts';
import { codeText } from '../i18n/codes.ts';
import { formatDateTime } from '../i18n/index.ts';
import { allows } from '../session/permissions.ts';
import { useSession } from '../session/session.ts';
import { TrainModelForm, type TrainedModel } from './TrainModelForm.tsx';

interface Summary {
  id: number;
  kind: 'propensity' | 'churn';
  category: string | null;
  horizonDays: number;
}

function describe(t: TFunction, m: Summary): string {
  if (m.kind === 'propensity') return t('predictions.kindPropensity', { category: codeText(t, 'category', m.category ?? ''), days: m.horizonDays });
  return m.category === null ? t('predictions.kindChurn', { days: m.horizonDays }) : t('predictions.kindChurnIn', { category: codeText(t, 'category', m.category), days: m.horizonDays });
}

export function ModelsPage() {
  const { t, i18n } = useTranslation();
  const models = useQuery({ queryKey: ['prediction-models'], queryFn: () => unwrap(api.GET('/v1/predictions/models')) });
  const [chosen, setChosen] = useState<number | null>(null);
  const shownId = chosen ?? models.data?.models[0]?.id ?? null;
  const model = useQuery({
    queryKey: ['prediction-model', shownId],
    enabled: shownId !== null,
    queryFn: () => unwrap(api.GET('/v1/predictions/models/{id}', { params: { path: { id: shownId ?? 0 } } })),
  });
  const role = useSession().data?.user.role;
  const mayManage = role !== undefined && allows(role, 'predictions.manage');
  const queryClient = useQueryClient();
  const [trained, setTrained] = useState<TrainedModel | null>(null);
  const score = useMutation({
    mutationFn: (id: number) => unwrap(api.POST('/v1/predictions/models/{id}/score', { params: { path: { id } } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['prediction-models'] }),
  });
  const auc = (value: number | null): string =>
    value === null ? t('predictions.aucNone') : t('predictions.auc', { auc: value.toLocaleString(i18n.language, { maximumFractionDigits: 3, minimumFractionDigits: 3 }) });
  const percent = (n: number | null): string => `${(n ?? 0).toLocaleString(i18n.language, { maximumFractionDigits: 1, minimumFractionDigits: 1 })} %`;
  return (
    <>
      <Title order={1} size="h2" mb="xs">
        {t('predictions.title')}
      </Title>
      <Text mb="md">{t('predictions.intro')}</Text>
      {models.isError && <Alert color="red">{errorSentence(models.error, t)}</Alert>}
      {models.data !== undefined && models.data.models.length === 0 && <Text>{t('predictions.none')}</Text>}
      {mayManage && (
        <Card withBorder padding="md" mb="lg">
          <TrainModelForm
            onTrained={(m) => {
              setTrained(m);
              setChosen(m.id);
            }}
          />
          {trained !== null && (
            <Alert color="green" mt="md" role="status">
              {t('predictions.trainedTitle', { id: trained.id })}: {auc(trained.auc)} · {t('predictions.trainedOn', { n: trained.trainedOn.toLocaleString(i18n.language), m: trained.evaluatedOn.toLocaleString(i18n.language) })}
            </Alert>
          )}
        </Card>
      )}
      <div role="status" aria-live="polite">
        {score.isPending && (
          <Group gap="xs" mb="sm">
            <Loader size="sm" aria-hidden />
            <Text size="sm">{t('predictions.scoring', { id: score.variables })}</Text>
          </Group>
        )}
        {score.isSuccess && (
          <Alert color="green" mb="sm">
            {t('predictions.scored', { id: score.data.model, n: score.data.scored.toLocaleString(i18n.language), at: formatDateTime(score.data.computedAt, i18n.language) })}
          </Alert>
        )}
      </div>
      {score.isError && (
        <Alert color="red" role="alert" mb="sm">
          {errorSentence(score.error, t)}
        </Alert>
      )}
      {models.data !== undefined && models.data.models.length > 0 && (
        <SimpleGrid component="ul" aria-label={t('predictions.listLabel')} cols={{ base: 1, sm: 2, lg: 3 }} spacing="md" p={0} m={0} style={{ listStyle: 'none' }}>
          {models.data.models.map((m) => (
            <Card component="li" key={m.id} withBorder padding="md">
              <Stack gap={6}>
                <Group justify="space-between" gap="xs">
                  <Title order={2} size="h4">
                    {t('predictions.model', { id: m.id })}
                  </Title>
                  <Badge variant="outline" color={m.auc !== null && m.auc >= 0.6 ? GOOD : OFF}>
                    {auc(m.auc)}
                  </Badge>
                </Group>
                <Text>{describe(t, m)}</Text>
                {m.usedForOffers && (
                  <div>
                    <Badge variant="light" color={GOOD}>
                      {t('predictions.usedForOffers')}
                    </Badge>
                    <Text size="sm" mt={4}>
                      {t('predictions.usedForOffersHint', { category: codeText(t, 'category', m.category ?? '') })}
                    </Text>
                  </div>
                )}
                <Text size="sm" c="dimmed">
                  {t('predictions.asOf', { at: formatDateTime(m.asOf, i18n.language) })}
                </Text>
                <Text size="sm" c="dimmed">
                  {t('predictions.trainedOn', { n: m.trainedOn.toLocaleString(i18n.language), m: m.evaluatedOn.toLocaleString(i18n.language) })}
                </Text>
                <Text size="sm" c="dimmed">
                  {m.scoredAt === null ? t('predictions.notScored') : t('predictions.scoredAt', { at: formatDateTime(m.scoredAt, i18n.language) })}
                </Text>
                <Button variant="default" size="xs" onClick={() => setChosen(m.id)} aria-pressed={shownId === m.id} aria-label={`${t('predictions.showCalibration')}: ${t('predictions.model', { id: m.id })}`}>
                  {t('predictions.showCalibration')}
                </Button>
                {mayManage && (
                  <Button
                    variant="default"
                    size="xs"
                    onClick={() => score.mutate(m.id)}
                    loading={score.isPending && score.variables === m.id}
                    disabled={score.isPending}
                    aria-label={`${t('predictions.score')}: ${t('predictions.model', { id: m.id })}`}
                  >
                    {t('predictions.score')}
                  </Button>
                )}
              </Stack>
            </Card>
          ))}
        </SimpleGrid>
      )}
      {model.isError && <Alert color="red">{errorSentence(model.error, t)}</Alert>}
      {model.data !== undefined && (
        <Stack mt="lg">
          <HeldOutOutcomes calibration={model.data.calibration} />
          {modelNotes(model.data).includes('no_better_than_chance') && (
            <Alert color={WARN} title={t('predictions.chanceTitle')}>
              {t('predictions.chance', { auc: (model.data.auc ?? 0).toLocaleString(i18n.language, { maximumFractionDigits: 3, minimumFractionDigits: 3 }) })}
            </Alert>
          )}
          <CountFigure
            title={t('predictions.calibrationTitle', { id: model.data.id })}
            rows={model.data.calibration.map((b) => ({
              key: String(b.decile),
              label: t('predictions.decile', { n: b.decile }),
              values: { predicted: b.predicted * 100, observed: b.observed * 100 },
            }))}
            series={[
              { key: 'predicted', label: t('predictions.predicted'), color: CHART_COLORS[0] },
              { key: 'observed', label: t('predictions.observed'), color: CHART_COLORS[2] },
            ]}
            format={percent}
          />
        </Stack>
      )}
    </>
  );
}

/** Fewer outcomes than this in the held-out period and the AUC says little (a caution is shown), and offers draw no lift. */
const FEW_OUTCOMES = MIN_OUTCOMES_TO_JUDGE;

/**
 * How many of the held-out customers did what the model predicts (from the calibration: customers
 * × observed rate per tenth), and a caution when they are too few to judge the model by, as when a
 * model is trained as of a day after which the register has little history.
 */
function HeldOutOutcomes({ calibration }: { calibration: readonly { customers: number; observed: number }[] }) {
  const { t, i18n } = useTranslation();
  const customers = calibration.reduce((sum, b) => sum + b.customers, 0);
  const outcomes = Math.round(calibration.reduce((sum, b) => sum + b.customers * b.observed, 0));
  const text = t('predictions.heldOutOutcomes', { n: outcomes.toLocaleString(i18n.language), m: customers.toLocaleString(i18n.language) });
  if (outcomes >= FEW_OUTCOMES) return <Text size="sm">{text}</Text>;
  return (
    <Alert color={WARN} title={t('predictions.fewOutcomesTitle')}>
      {text} {t('predictions.fewOutcomes', { min: FEW_OUTCOMES })}
    </Alert>
  );
}
