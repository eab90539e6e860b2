/**
 * A template's editor: kind, languages, subject and MJML + Liquid per language, with a live preview
 * for a chosen customer and language (`POST /v1/templates/preview`, audited by the server) and
 * saving (`PUT /v1/templates/{id}`). The server compiles what is saved with the checks of `lupa
 * template add`; its errors are shown beside the text they concern, with the line.
 */
import { Alert, Button, Checkbox, Code, Group, NativeSelect, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { codeText } from '../i18n/codes.ts';
import { api, ApiError, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import type { paths } from '../api/schema';
import { allows } from '../session/permissions.ts';
import { useSession } from '../session/session.ts';
import { blankDraft, draftOf, lineOf, LOCALES, placeOf, type Locale, type TemplateDraft } from './template-draft.ts';
import { errorPhrase, phraseText } from '../i18n/phrases.ts';
import type { TFunction } from 'i18next';

type Definition = paths['/v1/templates/{id}']['put']['requestBody']['content']['application/json'];

/** What is wrong in the template, in the person's language when the server said it as a phrase. */
function templateProblem(t: TFunction, problem: ApiError): string {
  const says = errorPhrase(problem.details);
  return says === null ? problem.message : phraseText(t, says, problem.message);
}

export function TemplateEditorPage() {
  const { id: routeId } = useParams();
  const isNew = routeId === undefined || routeId === 'new';
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const role = useSession().data?.user.role;
  const canWrite = role !== undefined && allows(role, 'templates.write');
  const canPreview = role !== undefined && allows(role, 'templates.preview');

  const stored = useQuery({
    queryKey: ['template', routeId],
    enabled: !isNew,
    queryFn: () => unwrap(api.GET('/v1/templates/{id}', { params: { path: { id: routeId ?? '' } } })),
  });
  const [draft, setDraft] = useState<TemplateDraft | null>(isNew ? blankDraft() : null);
  useEffect(() => {
    if (stored.data !== undefined && draft === null) setDraft(draftOf(stored.data.definition));
  }, [stored.data, draft]);
  const [editing, setEditing] = useState<Locale>('fi');
  // No customer by default: the preview is filled with a sample name and reads nobody's data.
  const [customer, setCustomer] = useState('');
  // Live errors wait for the first change: a new template is incomplete before anything is typed.
  const [touched, setTouched] = useState(false);
  const [previewLocale, setPreviewLocale] = useState<Locale | ''>('');
  const [saved, setSaved] = useState(false);

  const body = draft === null ? null : (JSON.stringify({ ...draft, id: draft.id === '' ? 'preview' : draft.id }) as string);
  const [debounced] = useDebouncedValue(body, 600);
  const preview = useQuery({
    queryKey: ['template-preview', debounced, customer, previewLocale],
    enabled: canPreview && debounced !== null,
    retry: false,
    queryFn: () =>
      unwrap(
        api.POST('/v1/templates/preview', {
          params: { query: { ...(customer.trim() === '' ? {} : { customer: customer.trim() }), ...(previewLocale === '' ? {} : { locale: previewLocale }) } },
          body: JSON.parse(debounced ?? '{}') as Definition,
        }),
      ),
  });

  const save = useMutation({
    mutationFn: (d: TemplateDraft) => unwrap(api.PUT('/v1/templates/{id}', { params: { path: { id: d.id } }, body: d as Definition })),
    onSuccess: async (result) => {
      setSaved(true);
      await queryClient.invalidateQueries({ queryKey: ['templates'] });
      await queryClient.invalidateQueries({ queryKey: ['template', result.id] });
      if (isNew) void navigate(`/templates/${encodeURIComponent(result.id)}`, { replace: true });
    },
  });

  if (stored.isError) return <Alert color="red">{errorSentence(stored.error, t)}</Alert>;
  if (draft === null) return null;

  const content = draft.locales[editing];
  const update = (next: TemplateDraft): void => {
    setSaved(false);
    setTouched(true);
    setDraft(next);
  };
  const setContent = (patch: Partial<{ subject: string; mjml: string }>): void => {
    const current = draft.locales[editing] ?? { subject: '', mjml: '' };
    update({ ...draft, locales: { ...draft.locales, [editing]: { ...current, ...patch } } });
  };
  const include = (on: boolean): void => {
    const locales = { ...draft.locales };
    if (on) locales[editing] = draft.locales[draft.defaultLocale] ?? { subject: '', mjml: '' };
    else delete locales[editing];
    update({ ...draft, locales });
  };

  // The newest error about the text: saving's, else the live preview's (the same compiler's).
  const problem = save.error ?? (touched && preview.error instanceof ApiError && preview.error.code === 'TEMPLATE_INVALID' ? preview.error : null);
  const place = problem instanceof ApiError ? placeOf(problem.field, problem.details, problem.message) : null;
  const sourceOf = (part: string | null): string => (part === 'subject' ? (content?.subject ?? '') : (content?.mjml ?? ''));
  const errorHere = place !== null && place.locale === editing;

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    save.mutate(draft);
  };

  return (
    <section aria-labelledby="template-title">
      <Title id="template-title" order={1} size="h2" mb="md">
        {isNew ? t('templates.newTitle') : t('templates.editTitle', { id: draft.id })}
      </Title>
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="xl">
        <form onSubmit={submit} aria-label={t('templates.form')}>
          <Stack gap="sm">
            {isNew && (
              <TextInput
                required={canWrite}
                label={t('templates.id')}
                description={t('templates.idHint')}
                value={draft.id}
                onChange={(e) => update({ ...draft, id: e.currentTarget.value.trim() })}
                readOnly={!canWrite}
              />
            )}
            <Group grow align="end" wrap="wrap">
              <NativeSelect
                label={t('templates.kind')}
                description={t('templates.kindHint')}
                value={draft.kind}
                disabled={!canWrite}
                onChange={(e) => update({ ...draft, kind: e.currentTarget.value === 'service' ? 'service' : 'marketing' })}
                data={[
                  { value: 'marketing', label: t('templates.kinds.marketing') },
                  { value: 'service', label: t('templates.kinds.service') },
                ]}
              />
              <NativeSelect
                label={t('templates.defaultLanguage')}
                value={draft.defaultLocale}
                disabled={!canWrite}
                onChange={(e) => update({ ...draft, defaultLocale: e.currentTarget.value as Locale })}
                data={LOCALES.filter((l) => draft.locales[l] !== undefined).map((l) => ({ value: l, label: t(`templates.languageNames.${l}`) }))}
              />
            </Group>
            <Group align="end" wrap="wrap">
              <NativeSelect
                label={t('templates.editing')}
                value={editing}
                onChange={(e) => setEditing(e.currentTarget.value as Locale)}
                data={LOCALES.map((l) => ({ value: l, label: `${t(`templates.languageNames.${l}`)}${draft.locales[l] === undefined ? ` (${t('templates.notIncluded')})` : ''}` }))}
              />
              <Checkbox
                label={t('templates.include')}
                checked={content !== undefined}
                disabled={!canWrite || (content !== undefined && editing === draft.defaultLocale)}
                onChange={(e) => include(e.currentTarget.checked)}
              />
            </Group>
            {content !== undefined && (
              <>
                <TextInput
                  label={t('templates.subject')}
                  value={content.subject}
                  readOnly={!canWrite}
                  onChange={(e) => setContent({ subject: e.currentTarget.value })}
                  error={errorHere && place.part === 'subject' ? t('templates.errorAt', { line: place.line ?? 1 }) : undefined}
                />
                <Textarea
                  label={t('templates.mjml')}
                  description={t('templates.mjmlHint')}
                  autosize
                  minRows={12}
                  maxRows={30}
                  spellCheck={false}
                  classNames={{ input: 'lupa-code-input' }}
                  value={content.mjml}
                  readOnly={!canWrite}
                  onChange={(e) => setContent({ mjml: e.currentTarget.value })}
                  error={errorHere && place.part !== 'subject' ? (place.line === null ? t('templates.errorIn') : t('templates.errorAt', { line: place.line })) : undefined}
                />
              </>
            )}
            {problem !== null && (
              <Alert color="red" role="alert" title={t('templates.problem')}>
                {place?.locale !== null && place !== null && <Text size="sm">{t('templates.where', { language: t(`templates.languageNames.${place.locale}`), line: place.line ?? '–' })}</Text>}
                <Text size="sm">{problem instanceof ApiError && problem.code === 'TEMPLATE_INVALID' ? templateProblem(t, problem) : errorSentence(problem, t)}</Text>
                {place !== null && place.line !== null && place.locale === editing && lineOf(sourceOf(place.part), place.line) !== null && <Code block>{lineOf(sourceOf(place.part), place.line)}</Code>}
              </Alert>
            )}
            {canWrite && (
              <Group>
                <Button type="submit" loading={save.isPending} disabled={draft.id === ''}>
                  {t('templates.save')}
                </Button>
                <Text role="status" size="sm">
                  {saved ? t('templates.savedNow') : ''}
                </Text>
              </Group>
            )}
          </Stack>
        </form>
        <section aria-labelledby="preview-title">
          <Title id="preview-title" order={2} size="h4" mb="xs">
            {t('templates.preview')}
          </Title>
          {!canPreview && <Text>{t('templates.noPreview')}</Text>}
          {canPreview && (
            <Stack gap="sm">
              <Group grow align="end" wrap="wrap">
                <TextInput label={t('templates.previewCustomer')} description={t('templates.previewAudited')} value={customer} onChange={(e) => setCustomer(e.currentTarget.value)} />
                <NativeSelect
                  label={t('templates.previewLanguage')}
                  value={previewLocale}
                  onChange={(e) => setPreviewLocale(e.currentTarget.value as Locale | '')}
                  data={[{ value: '', label: t('templates.customersLanguage') }, ...LOCALES.map((l) => ({ value: l, label: t(`templates.languageNames.${l}`) }))]}
                />
              </Group>
              {preview.isError && !(preview.error instanceof ApiError && preview.error.code === 'TEMPLATE_INVALID') && <Alert color="red">{errorSentence(preview.error, t)}</Alert>}
              {preview.data !== undefined && (
                <>
                  <Text>
                    <strong>{t('templates.subject')}:</strong> {preview.data.subject}
                  </Text>
                  <Text size="sm" c="dimmed">
                    {t('templates.purposes', { purposes: preview.data.purposes.map((p) => codeText(t, 'purpose', p)).join(', ') })}
                  </Text>
                  <iframe title={t('templates.previewFrame')} sandbox="" srcDoc={preview.data.html} className="lupa-preview-frame" />
                </>
              )}
            </Stack>
          )}
        </section>
      </SimpleGrid>
    </section>
  );
}
