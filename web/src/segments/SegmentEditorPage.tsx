/**
 * The segment builder (`/segments/new`, `/segments/:id`): a name and a rule, built as one group of
 * conditions (or as JSON for rules the form cannot show), with the number of customers it selects
 * counted live on the server (`POST /v1/segments/count`) as the rule changes. Saved segments are
 * computed on demand here or by the server's refresh.
 */
import { Alert, Anchor, Button, Checkbox, Group, NativeSelect, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { Link, useNavigate, useParams } from 'react-router';
import type { SegmentRule } from '../../../src/core/segments/rule.ts';
import { ConfirmAction } from '../admin/ConfirmAction.tsx';
import { api, ApiError, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import { productCategories } from '../api/product-categories.ts';
import { codeText } from '../i18n/codes.ts';
import { formatDateTime } from '../i18n/index.ts';
import { allows } from '../session/permissions.ts';
import { useSession } from '../session/session.ts';
import { badDaysRow, builderOf, complete, DAY_ROWS, INTEREST_ROWS, missingValues, ruleOf, ROW_KINDS, VALUELESS_ROWS, type BuilderRow, type BuilderState, type MissingValue, type RowKind } from './rule-builder.ts';
import { memberCountText } from './member-count.ts';
import { jsonSyntaxPlace, segmentErrorSentence } from './segment-errors.ts';

const EMPTY: BuilderState = { match: 'all', rows: [{ kind: 'city', value: '', negate: false }] };

/** The id of condition `index`'s value field (0-based), where a refusal puts the focus. */
const valueId = (index: number): string => `segment-condition-${index + 1}-value`;

/** "Condition 1: choose a topic. Condition 3: give a city." */
function missingSentence(t: TFunction, missing: { index: number; missing: MissingValue }[]): string {
  return missing.map((m) => t('segments.missingAt', { n: m.index + 1, what: t(`segments.missing.${m.missing}`) })).join(' ');
}

/** The rule as it stands, or null while it is incomplete (not counted yet). */
function currentRule(mode: 'form' | 'json', form: BuilderState, json: string): SegmentRule | null {
  if (mode === 'form') return complete(form) ? ruleOf(form) : null;
  try {
    return JSON.parse(json) as SegmentRule;
  } catch {
    return null;
  }
}

/** The value turns a text into the rule after people stop typing, so the count is not asked at every key. */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

export function SegmentEditorPage() {
  const { t, i18n } = useTranslation();
  const { id } = useParams();
  const isNew = id === undefined || id === 'new';
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const role = useSession().data?.user.role;
  const mayWrite = role !== undefined && allows(role, 'segments.write');

  const segment = useQuery({ queryKey: ['segment', id], enabled: !isNew, queryFn: () => unwrap(api.GET('/v1/segments/{id}', { params: { path: { id: Number(id) } } })) });
  const categories = useQuery({ queryKey: ['product-categories'], queryFn: productCategories }).data ?? [];
  const topics = useQuery({ queryKey: ['interestTopics'], queryFn: () => unwrap(api.GET('/v1/interests/topics')) }).data?.topics ?? [];
  const language = (['fi', 'sv', 'en'].includes(i18n.language) ? i18n.language : 'en') as 'fi' | 'sv' | 'en';
  const topicChoices = topics.map((x) => ({ value: x.code, label: x.names[language] }));

  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [mode, setMode] = useState<'form' | 'json'>('form');
  const [form, setForm] = useState<BuilderState>(EMPTY);
  const [json, setJson] = useState(JSON.stringify(ruleOf(EMPTY), null, 2));
  const [loadedId, setLoadedId] = useState<number | null>(null);
  // Set by a press of Create/Save: from then on what stops the save is said at once, near the button.
  const [tried, setTried] = useState(false);
  // After a save the focus goes to the page's heading, under which the saved state is said.
  const heading = useRef<HTMLHeadingElement>(null);
  const [justSaved, setJustSaved] = useState(false);
  useEffect(() => {
    if (justSaved && segment.data !== undefined) heading.current?.focus();
  }, [justSaved, segment.data]);

  // A stored segment fills the form once (the form if it can show the rule, JSON otherwise).
  useEffect(() => {
    const s = segment.data;
    if (s === undefined || loadedId === s.id) return;
    setLoadedId(s.id);
    setName(s.name);
    setDescription(s.description ?? '');
    const rule = s.rule as SegmentRule;
    const shown = builderOf(rule);
    setJson(JSON.stringify(rule, null, 2));
    if (shown === null) setMode('json');
    else setForm(shown);
  }, [segment.data, loadedId]);

  const rule = useSettled(currentRule(mode, form, json), 400);
  const ruleKey = JSON.stringify(rule);
  const count = useQuery({
    queryKey: ['segment-count', ruleKey],
    enabled: rule !== null,
    retry: false,
    queryFn: () => unwrap(api.POST('/v1/segments/count', { body: { rule } })),
  });

  const save = useMutation({
    mutationFn: async () => {
      const body = { name, description: description.trim() === '' ? null : description, rule: currentRule(mode, form, json) ?? (mode === 'json' ? json : null) };
      if (isNew) return unwrap(api.POST('/v1/segments', { body }));
      return unwrap(api.PATCH('/v1/segments/{id}', { params: { path: { id: Number(id) } }, body }));
    },
    onSuccess: (saved) => {
      setJustSaved(true);
      void queryClient.invalidateQueries({ queryKey: ['segments'] });
      queryClient.setQueryData(['segment', String(saved.id)], saved);
      if (isNew) void navigate(`/segments/${saved.id}`);
    },
  });
  const compute = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/segments/{id}/refresh', { params: { path: { id: Number(id) } } })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['segment', id] });
      void queryClient.invalidateQueries({ queryKey: ['segments'] });
    },
  });
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE('/v1/segments/{id}', { params: { path: { id: Number(id) } } })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['segments'] });
      void navigate('/segments');
    },
  });

  const setRow = (i: number, change: Partial<BuilderRow>): void => setForm({ ...form, rows: form.rows.map((r, j) => (j === i ? { ...r, ...change } : r)) });
  const missing = mode === 'form' ? missingValues(form) : [];
  const nameMissing = name.trim() === '';
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setTried(true);
    // What the form knows is missing is said here, naming each condition, and nothing is sent.
    const firstMissing = missing[0];
    const daysRow = mode === 'form' ? badDaysRow(form) : null;
    if (nameMissing || firstMissing !== undefined || daysRow !== null) {
      const target = nameMissing ? 'segment-name' : valueId(daysRow ?? firstMissing?.index ?? 0);
      document.getElementById(target)?.focus();
      return;
    }
    save.mutate();
  };
  const switchMode = (): void => {
    if (mode === 'form') {
      setJson(JSON.stringify(ruleOf(form), null, 2));
      setMode('json');
      return;
    }
    const parsed = currentRule('json', form, json);
    const shown = parsed === null ? null : builderOf(parsed);
    if (shown !== null) {
      setForm(shown);
      setMode('form');
    }
  };
  const badDays = mode === 'form' ? badDaysRow(form) : null;
  const syntax = mode === 'json' ? jsonSyntaxError(json, t) : null;
  const rowError =
    badDays !== null
      ? t('segments.errors.daysAt', { n: badDays + 1 })
      : syntax !== null
        ? syntax
        : save.error instanceof ApiError || count.error instanceof ApiError
          ? segmentErrorSentence(save.error ?? count.error, t, mode)
          : null;

  const problems = [
    ...(nameMissing ? [t('segments.errors.name')] : []),
    ...(badDays !== null ? [t('segments.errors.daysAt', { n: badDays + 1 })] : []),
    ...(missing.length > 0 ? [missingSentence(t, missing)] : []),
  ];
  const refusal = tried && problems.length > 0 ? t(isNew ? 'segments.notCreated' : 'segments.notSaved', { problems: problems.join(' ') }) : null;

  if (segment.isError) return <Alert color="red">{errorSentence(segment.error, t)}</Alert>;
  return (
    <section aria-labelledby="segment-title">
      <Text size="sm" mb="xs">
        <Anchor component={Link} to="/segments">
          {t('segments.back')}
        </Anchor>
      </Text>
      <Title id="segment-title" order={1} size="h2" mb="md" ref={heading} tabIndex={-1}>
        {isNew ? t('segments.new') : segment.data?.name ?? ''}
      </Title>
      {justSaved && !isNew && (
        <Alert color="green" mb="md" role="status">
          {t('segments.saved')}
        </Alert>
      )}
      <form onSubmit={submit}>
        <Stack gap="md" maw={900}>
          <TextInput
            id="segment-name"
            label={t('segments.name')}
            required={mayWrite}
            value={name}
            disabled={!mayWrite}
            onChange={(e) => setName(e.currentTarget.value)}
            error={tried && nameMissing ? t('segments.errors.name') : save.error instanceof ApiError && save.error.field === 'name' ? segmentErrorSentence(save.error, t) : undefined}
          />
          <TextInput label={t('segments.description')} value={description} disabled={!mayWrite} onChange={(e) => setDescription(e.currentTarget.value)} />
          <fieldset style={{ border: 0, padding: 0, margin: 0 }} disabled={!mayWrite}>
            <legend>
              <Text fw={600}>{t('segments.rule')}</Text>
            </legend>
            {mode === 'form' ? (
              <Stack gap="sm">
                <NativeSelect
                  label={t('segments.match')}
                  value={form.match}
                  onChange={(e) => setForm({ ...form, match: e.currentTarget.value === 'any' ? 'any' : 'all' })}
                  data={[
                    { value: 'all', label: t('segments.matchAll') },
                    { value: 'any', label: t('segments.matchAny') },
                  ]}
                  maw={360}
                />
                <ol style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label={t('segments.conditions')}>
                  {form.rows.map((row, i) => (
                    <li key={i}>
                      <Group align="end" gap="sm" mb="xs" wrap="wrap">
                        <NativeSelect
                          label={t('segments.conditionN', { n: i + 1 })}
                          value={row.kind}
                          onChange={(e) => setRow(i, { kind: e.currentTarget.value as RowKind, value: DAY_ROWS.includes(e.currentTarget.value as RowKind) ? '30' : '' })}
                          data={ROW_KINDS.map((k) => ({ value: k, label: k in INTEREST_ROWS ? t(`interests.rows.${k as keyof typeof INTEREST_ROWS}`) : t(`segments.rows.${k as Exclude<RowKind, keyof typeof INTEREST_ROWS>}`) }))}
                        />
                        <RowValue row={row} index={i} categories={categories} topics={topicChoices} onChange={(value) => setRow(i, { value })} />
                        <Checkbox label={t('segments.negate')} checked={row.negate} onChange={(e) => setRow(i, { negate: e.currentTarget.checked })} mb={8} />
                        <Button variant="subtle" color="red" size="xs" mb={4} aria-label={t('segments.removeRow', { n: i + 1 })} onClick={() => setForm({ ...form, rows: form.rows.filter((_, j) => j !== i) })}>
                          {t('segments.remove')}
                        </Button>
                      </Group>
                    </li>
                  ))}
                </ol>
                <Group>
                  <Button variant="default" size="xs" onClick={() => setForm({ ...form, rows: [...form.rows, { kind: 'city', value: '', negate: false }] })}>
                    {t('segments.addRow')}
                  </Button>
                </Group>
              </Stack>
            ) : (
              <Textarea label={t('segments.json')} description={t('segments.jsonHint')} autosize minRows={8} value={json} onChange={(e) => setJson(e.currentTarget.value)} styles={{ input: { fontFamily: 'monospace' } }} />
            )}
            <Button variant="subtle" size="xs" mt="xs" onClick={switchMode}>
              {mode === 'form' ? t('segments.toJson') : t('segments.toForm')}
            </Button>
          </fieldset>

          <Alert color={rowError === null ? 'blue' : 'red'} role="status" aria-live="polite" title={t('segments.liveCount')}>
            {rowError !== null
              ? rowError
              : rule === null
                ? missing.length > 0
                  ? `${t('segments.incomplete')} ${missingSentence(t, missing)}`
                  : t('segments.incomplete')
                : count.isFetching && count.data === undefined
                  ? t('segments.counting')
                  : count.data === undefined
                    ? ''
                    : count.data.members === null
                      ? t('segments.small', { min: count.data.suppressedBelow ?? '' })
                      : t('segments.countNow', { n: memberCountText(t, i18n.language, count.data.members, count.data.roundedTo), count: count.data.members, at: formatDateTime(count.data.asOf, i18n.language) })}
            <Text size="xs" mt={4}>
              {t('segments.objectorsNote')}
            </Text>
          </Alert>

          {refusal !== null ? (
            <Alert color="red" role="alert">
              {refusal}
            </Alert>
          ) : (
            save.isError && (
              <Alert color="red" role="alert">
                {t(isNew ? 'segments.notCreated' : 'segments.notSaved', { problems: segmentErrorSentence(save.error, t, mode) })}
              </Alert>
            )
          )}
          {mayWrite && (
            <Group>
              <Button type="submit" loading={save.isPending}>
                {isNew ? t('segments.create') : t('segments.save')}
              </Button>
            </Group>
          )}
        </Stack>
      </form>

      {!isNew && segment.data !== undefined && (
        <Stack mt="xl" gap="sm" maw={900}>
          <Title order={2} size="h3">
            {t('segments.membership')}
          </Title>
          <Text>
            {segment.data.computedAt === null
              ? t('segments.notComputed')
              : segment.data.members === null
                ? t('segments.small', { min: segment.data.suppressedBelow ?? '' })
                : t('segments.membersAsOf', { n: memberCountText(t, i18n.language, segment.data.members, segment.data.roundedTo), count: segment.data.members, at: formatDateTime(segment.data.computedAt, i18n.language) })}
          </Text>
          <Text size="sm">{t(segment.data.timeDependent ? 'segments.wholeHint' : 'segments.incrementalHint')}</Text>
          {compute.isError && <Alert color="red">{errorSentence(compute.error, t)}</Alert>}
          {remove.isError && <Alert color="red" role="alert">{segmentErrorSentence(remove.error, t)}</Alert>}
          <Group>
            {mayWrite && (
              <Button variant="default" loading={compute.isPending} onClick={() => compute.mutate()}>
                {t('segments.computeNow')}
              </Button>
            )}
            {segment.data.computedAt !== null && role !== undefined && allows(role, 'campaigns.write') && (
              <Button variant="default" component={Link} to={`/campaigns/new?segment=${segment.data.id}`}>
                {t('segments.campaign')}
              </Button>
            )}
            {mayWrite && (
              <ConfirmAction
                label={t('segments.delete')}
                ariaLabel={t('segments.deleteNamed', { name: segment.data.name })}
                confirmLabel={t('segments.deleteConfirm')}
                confirmAriaLabel={t('segments.deleteConfirmNamed', { name: segment.data.name })}
                busy={remove.isPending}
                onConfirm={() => remove.mutate()}
              />
            )}
          </Group>
        </Stack>
      )}
    </section>
  );
}

/** Why the JSON text is no JSON at all, with the line and column where reading stopped; null when it parses. */
function jsonSyntaxError(text: string, t: TFunction): string | null {
  try {
    JSON.parse(text);
    return null;
  } catch {
    const place = jsonSyntaxPlace(text);
    return place === null ? t('segments.errors.jsonSyntax') : t('segments.errors.jsonSyntaxAt', place);
  }
}

function RowValue({ row, index, categories, topics, onChange }: { row: BuilderRow; index: number; categories: string[]; topics: { value: string; label: string }[]; onChange: (value: string) => void }) {
  const { t } = useTranslation();
  const label = t('segments.valueN', { n: index + 1 });
  const id = valueId(index);
  if (VALUELESS_ROWS.includes(row.kind)) return null;
  if (row.kind === 'locale') return <NativeSelect id={id} label={label} value={row.value} onChange={(e) => onChange(e.currentTarget.value)} data={[{ value: '', label: '–' }, ...['fi', 'sv', 'en'].map((l) => ({ value: l, label: t(`templates.languageNames.${l}`) }))]} />;
  if (row.kind === 'kind') return <NativeSelect id={id} label={label} value={row.value} onChange={(e) => onChange(e.currentTarget.value)} data={[{ value: '', label: '–' }, { value: 'person', label: t('segments.person') }, { value: 'business', label: t('segments.business') }]} />;
  if ((row.kind === 'orderedCategory' || row.kind === 'activeCategory') && categories.length > 0) {
    return <NativeSelect id={id} label={label} value={row.value} onChange={(e) => onChange(e.currentTarget.value)} data={[{ value: '', label: '–' }, ...categories.map((c) => ({ value: c, label: codeText(t, 'category', c) }))]} />;
  }
  if (row.kind in INTEREST_ROWS) return <NativeSelect id={id} label={label} value={row.value} onChange={(e) => onChange(e.currentTarget.value)} data={[{ value: '', label: '–' }, ...topics]} />;
  if (DAY_ROWS.includes(row.kind)) return <TextInput id={id} label={label} inputMode="numeric" w={160} rightSection={<Text size="xs">{t('segments.days')}</Text>} rightSectionWidth={48} value={row.value} onChange={(e) => onChange(e.currentTarget.value)} />;
  return <TextInput id={id} label={label} miw={200} value={row.value} onChange={(e) => onChange(e.currentTarget.value)} />;
}
