/**
 * Change a customer's name and contact details (`PATCH /v1/customers/{id}`, for roles with
 * `customers.write`; the server audits the change with the names of the fields changed). Lists of
 * e-mails and phones are written one a line or separated by commas; the first is the primary one.
 */
import { Alert, Button, Group, NativeSelect, Stack, TextInput, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import type { paths } from '../api/schema';

type Customer = paths['/v1/customers/{id}']['get']['responses'][200]['content']['application/json'];
type Patch = paths['/v1/customers/{id}']['patch']['requestBody']['content']['application/json'];

const listOf = (text: string): string[] => text.split(/[\n,]+/).map((v) => v.trim()).filter((v) => v !== '');

export function ProfileEditor({ customer, onDone }: { customer: Customer; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({
    name: customer.name,
    emails: customer.emails.join('\n'),
    phones: customer.phones.join('\n'),
    street: customer.address?.street ?? '',
    postalCode: customer.address?.postalCode ?? '',
    city: customer.address?.city ?? '',
    country: customer.address?.country ?? 'FI',
    locale: customer.locale ?? '',
  });
  const save = useMutation({
    mutationFn: (body: Patch) => unwrap(api.PATCH('/v1/customers/{id}', { params: { path: { id: customer.id } }, body })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['customer', customer.id] });
      await queryClient.invalidateQueries({ queryKey: ['permissions', customer.id] });
      onDone();
    },
  });
  const set = (key: keyof typeof form) => (e: { currentTarget: { value: string } }) => setForm({ ...form, [key]: e.currentTarget.value });
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const hasAddress = [form.street, form.postalCode, form.city].some((v) => v.trim() !== '');
    save.mutate({
      name: form.name.trim(),
      emails: listOf(form.emails),
      phones: listOf(form.phones),
      address: hasAddress ? { street: form.street.trim(), postalCode: form.postalCode.trim(), city: form.city.trim(), country: form.country.trim() || 'FI' } : null,
      locale: form.locale === '' ? null : form.locale,
    });
  };
  return (
    <form onSubmit={submit} aria-label={t('profileEdit.title')}>
      <Stack gap="sm" maw={640}>
        <TextInput required label={t('customers.name')} value={form.name} onChange={set('name')} />
        <Textarea label={t('customers.email')} description={t('profileEdit.listHint')} autosize minRows={1} value={form.emails} onChange={set('emails')} />
        <Textarea label={t('customers.phone')} description={t('profileEdit.listHint')} autosize minRows={1} value={form.phones} onChange={set('phones')} />
        <TextInput label={t('profileEdit.street')} value={form.street} onChange={set('street')} />
        <Group grow wrap="wrap">
          <TextInput label={t('profileEdit.postalCode')} value={form.postalCode} onChange={set('postalCode')} />
          <TextInput label={t('profileEdit.city')} value={form.city} onChange={set('city')} />
          <TextInput label={t('profileEdit.country')} value={form.country} onChange={set('country')} maxLength={2} />
        </Group>
        <NativeSelect
          label={t('profileEdit.language')}
          value={form.locale}
          onChange={set('locale')}
          data={[{ value: '', label: t('profileEdit.noLanguage') }, ...(['fi', 'sv', 'en'] as const).map((l) => ({ value: l, label: t(`templates.languageNames.${l}`) }))]}
        />
        {save.isError && (
          <Alert color="red" role="alert">
            {errorSentence(save.error, t)}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={save.isPending}>
            {t('profileEdit.save')}
          </Button>
          <Button variant="default" onClick={onDone}>
            {t('admin.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
