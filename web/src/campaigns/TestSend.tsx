/**
 * Send a test of an e-mail campaign's message to yourself or the seed list (`POST
 * /v1/campaigns/{id}/test-send`): marked as a test, counted nowhere, never to a customer.
 */
import { Alert, Button, Group, NativeSelect, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';

export function TestSend({ campaignId }: { campaignId: number }) {
  const { t } = useTranslation();
  const [to, setTo] = useState<'me' | 'seed'>('me');
  const [customer, setCustomer] = useState('');
  const [locale, setLocale] = useState<'' | 'fi' | 'sv' | 'en'>('');
  const send = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/campaigns/{id}/test-send', {
          params: { path: { id: campaignId } },
          body: { to, ...(customer.trim() === '' ? {} : { customer: customer.trim() }), ...(locale === '' ? {} : { locale }) },
        }),
      ),
  });
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    send.mutate();
  };
  return (
    <section aria-labelledby="test-send-title">
      <Title id="test-send-title" order={2} size="h4" mb="xs">
        {t('testSend.title')}
      </Title>
      <Text size="sm" mb="xs">
        {t('testSend.intro')}
      </Text>
      <form onSubmit={submit}>
        <Group align="end" wrap="wrap">
          <NativeSelect label={t('testSend.to')} value={to} onChange={(e) => setTo(e.currentTarget.value === 'seed' ? 'seed' : 'me')} data={[{ value: 'me', label: t('testSend.me') }, { value: 'seed', label: t('testSend.seed') }]} />
          <TextInput label={t('testSend.customer')} description={t('testSend.customerHint')} value={customer} onChange={(e) => setCustomer(e.currentTarget.value)} />
          <NativeSelect
            label={t('templates.previewLanguage')}
            value={locale}
            onChange={(e) => setLocale(e.currentTarget.value as typeof locale)}
            data={[{ value: '', label: t('templates.customersLanguage') }, ...(['fi', 'sv', 'en'] as const).map((l) => ({ value: l, label: t(`templates.languageNames.${l}`) }))]}
          />
          <Button type="submit" variant="default" loading={send.isPending}>
            {t('testSend.send')}
          </Button>
        </Group>
      </form>
      <Text role="status" size="sm" mt="xs">
        {send.data === undefined ? '' : t('testSend.sent', { to: send.data.sentTo.join(', ') })}
      </Text>
      {send.isError && (
        <Alert color="red" mt="xs" role="alert">
          {errorSentence(send.error, t)}
        </Alert>
      )}
    </section>
  );
}
