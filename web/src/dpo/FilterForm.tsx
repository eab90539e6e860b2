/**
 * The filters of a list screen, kept in the URL (so a filtered view can be bookmarked and sent):
 * the form edits a draft; Apply writes the non-empty fields to the URL, Clear removes them all.
 * Dates are whole days (`type="date"`) in Helsinki time, sent as the instant the day begins there.
 */
import { Button, Group, NativeSelect, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { helsinkiDayStart } from '../i18n/index.ts';

export interface FilterField {
  name: string;
  label: string;
  /** Choices of a select (the first, "any", is added); none: a text field. */
  options?: readonly { value: string; label: string }[];
  type?: 'date';
}

/** The URL's values of the fields, empty ones left out. */
export function useFilters(fields: readonly FilterField[]): Record<string, string> {
  const [params] = useSearchParams();
  return Object.fromEntries(
    fields.flatMap((f) => {
      const value = params.get(f.name) ?? '';
      if (value === '') return [];
      // A day means the Helsinki day the screens show, not the UTC one.
      return [[f.name, f.type === 'date' ? helsinkiDayStart(value) : value]];
    }),
  );
}

export function FilterForm({ fields, label }: { fields: readonly FilterField[]; label: string }) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const [draft, setDraft] = useState<Record<string, string>>(Object.fromEntries(fields.map((f) => [f.name, params.get(f.name) ?? ''])));
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setParams(Object.fromEntries(Object.entries(draft).flatMap(([k, v]) => (v.trim() === '' ? [] : [[k, v.trim()]]))));
  };
  const clear = (): void => {
    setDraft(Object.fromEntries(fields.map((f) => [f.name, ''])));
    setParams({});
  };
  return (
    <form onSubmit={submit} role="search" aria-label={label}>
      <Group align="end" wrap="wrap">
        {fields.map((f) => {
          const common = { key: f.name, label: f.label, value: draft[f.name] ?? '', onChange: (e: { currentTarget: { value: string } }) => setDraft({ ...draft, [f.name]: e.currentTarget.value }) };
          return f.options === undefined ? (
            <TextInput {...common} {...(f.type === undefined ? {} : { type: f.type })} />
          ) : (
            <NativeSelect {...common} data={[{ value: '', label: t('dpo.any') }, ...f.options]} />
          );
        })}
        <Button type="submit">{t('dpo.apply')}</Button>
        <Button variant="default" onClick={clear}>
          {t('dpo.clear')}
        </Button>
      </Group>
    </form>
  );
}
