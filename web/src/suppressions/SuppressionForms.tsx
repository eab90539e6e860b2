/**
 * The two changes a DPO makes to the suppression list: add a manual suppression (channel, address,
 * why) and lift one (why). Errors the API names a field for are shown next to that field, as a
 * sentence; a lift refused for want of a note says so at the note. After a change, focus moves to
 * the status message saying what was done (a live region), so it is heard without searching.
 */
import { Alert, Button, Group, NativeSelect, Stack, Textarea, TextInput, Title, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { CHANNELS, type Channel } from '../../../src/core/vocabulary.ts';
import { api, ApiError, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import type { paths } from '../api/schema.d.ts';
import { codeText } from '../i18n/codes.ts';

export type SuppressionEntry = paths['/v1/suppressions']['get']['responses'][200]['content']['application/json']['suppressions'][number];

const LIFT_CODES = new Set(['SUPPRESSION_LIFT_NEEDS_NOTE', 'SUPPRESSION_NOT_LIFTABLE', 'SUPPRESSION_ALREADY_LIFTED']);
const FIELDS = ['address', 'note'] as const;
type Field = (typeof FIELDS)[number];

/** A field's error in a red dark enough to read on white (WCAG AA: the default shade is 3.3:1). */
const READABLE_ERROR = { style: { color: 'var(--mantine-color-red-9)' } };

/** The sentence for an error about one of the form's fields, or null when the error is about none of them. */
function fieldError(err: unknown, field: Field, t: TFunction): string | null {
  if (!(err instanceof ApiError) || err.field !== field) return null;
  if (err.code === 'SUPPRESSION_LIFT_NEEDS_NOTE') return t('suppressions.errors.SUPPRESSION_LIFT_NEEDS_NOTE');
  return err.code === 'VALIDATION_FAILED' ? t(`suppressions.errors.${field}`) : null;
}

/** Any other error as a sentence (the list's own codes first). */
function otherError(err: unknown, t: TFunction): string | null {
  if (err === null || FIELDS.some((f) => fieldError(err, f, t) !== null)) return null;
  if (err instanceof ApiError && LIFT_CODES.has(err.code)) return t(`suppressions.errors.${err.code}`);
  return errorSentence(err, t);
}

/** A status message always in the page (so its change is announced), focused when it says something new. */
function useStatus() {
  const [text, setText] = useState<string | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (text !== null) ref.current?.focus();
  }, [text]);
  const region = (
    <div role="status" aria-live="polite" ref={ref} tabIndex={-1}>
      {text !== null && <Alert>{text}</Alert>}
    </div>
  );
  return { setText, region };
}

/** The frame both changes share: title, hint, fields, buttons, an error that is about no field, and the status message. */
function ChangeForm(props: { id: string; title: string; hint: string; onSubmit: () => void; error: string | null; status: ReactNode; buttons: ReactNode; children: ReactNode }) {
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    props.onSubmit();
  };
  return (
    <form onSubmit={submit} aria-labelledby={props.id}>
      <Stack maw={640} gap="xs" mt="md">
        <Title id={props.id} order={2} size="h4">
          {props.title}
        </Title>
        <Text size="sm">{props.hint}</Text>
        {props.children}
        <Group>{props.buttons}</Group>
        {props.error !== null && (
          <Alert color="red" role="alert">
            {props.error}
          </Alert>
        )}
        {props.status}
      </Stack>
    </form>
  );
}

export function AddSuppressionForm() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [channel, setChannel] = useState<Channel>('email');
  const [address, setAddress] = useState('');
  const [note, setNote] = useState('');
  const status = useStatus();
  const add = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/suppressions', { body: { channel, address, note } })),
    onMutate: () => status.setText(null),
    onSuccess: async (entry) => {
      setAddress('');
      setNote('');
      await client.invalidateQueries({ queryKey: ['suppressions'] });
      status.setText(t('suppressions.addedStatus', { id: entry.id, address: entry.address }));
    },
  });
  return (
    <ChangeForm
      id="suppression-add-title"
      title={t('suppressions.addTitle')}
      hint={t('suppressions.addHint')}
      onSubmit={() => add.mutate()}
      error={add.isError ? otherError(add.error, t) : null}
      status={status.region}
      buttons={
        <Button type="submit" loading={add.isPending}>
          {t('suppressions.addSubmit')}
        </Button>
      }
    >
      <NativeSelect
        label={t('suppressions.channel')}
        value={channel}
        onChange={(e) => setChannel(e.currentTarget.value as Channel)}
        data={CHANNELS.filter((c) => c !== 'web').map((c) => ({ value: c, label: codeText(t, 'channel', c) }))}
      />
      <TextInput
        label={t('suppressions.addAddress')}
        description={t('suppressions.addAddressHint')}
        required
        maxLength={320}
        value={address}
        onChange={(e) => setAddress(e.currentTarget.value)}
        error={add.isError ? fieldError(add.error, 'address', t) : null}
        errorProps={READABLE_ERROR}
      />
      <Textarea
        label={t('suppressions.addNote')}
        description={t('suppressions.addNoteHint')}
        required
        maxLength={1000}
        autosize
        minRows={2}
        value={note}
        onChange={(e) => setNote(e.currentTarget.value)}
        error={add.isError ? fieldError(add.error, 'note', t) : null}
        errorProps={READABLE_ERROR}
      />
    </ChangeForm>
  );
}

/**
 * Lifting one entry: the note is not marked required in the browser, so that the server's rule
 * (a hard bounce, complaint or manual entry is lifted only with a note) is the one that answers.
 */
export function LiftSuppressionForm({ entry, onDone }: { entry: SuppressionEntry; onDone: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [note, setNote] = useState('');
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const status = useStatus();
  useEffect(() => noteRef.current?.focus(), []);
  const lift = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/suppressions/{id}/lift', { params: { path: { id: entry.id } }, body: { note } })),
    onMutate: () => status.setText(null),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['suppressions'] });
      status.setText(t('suppressions.liftedStatus', { id: entry.id }));
    },
  });
  return (
    <ChangeForm
      id="suppression-lift-title"
      title={t('suppressions.liftTitle', { id: entry.id, address: entry.address })}
      hint={t('suppressions.liftHint')}
      onSubmit={() => lift.mutate()}
      error={lift.isError ? otherError(lift.error, t) : null}
      status={status.region}
      buttons={
        <>
          <Button type="submit" loading={lift.isPending} disabled={lift.isSuccess}>
            {t('suppressions.liftSubmit')}
          </Button>
          <Button variant="default" onClick={onDone}>
            {t('suppressions.cancel')}
          </Button>
        </>
      }
    >
      <Textarea
        ref={noteRef}
        label={t('suppressions.liftNote')}
        maxLength={1000}
        autosize
        minRows={2}
        value={note}
        onChange={(e) => setNote(e.currentTarget.value)}
        error={lift.isError ? fieldError(lift.error, 'note', t) : null}
        errorProps={READABLE_ERROR}
      />
    </ChangeForm>
  );
}
