/**
 * Customer search by name, e-mail, phone or id (`GET /v1/customers`; an id opens the customer).
 * The search is in the URL; each read of a customer is audited by the server, naming the person.
 */
import { Alert, Anchor, Button, Group, NativeSelect, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { TableBox } from '../layout/TableBox.tsx';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';

const FIELDS = ['name', 'email', 'phone', 'id'] as const;
type Field = (typeof FIELDS)[number];

export function CustomersPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const field = (FIELDS.find((f) => params.has(f)) ?? 'name') as Exclude<Field, 'id'>;
  const value = params.get(field) ?? '';
  const [draft, setDraft] = useState<{ field: Field; value: string }>({ field, value });

  const results = useQuery({
    queryKey: ['customers', field, value],
    enabled: value !== '',
    queryFn: () => unwrap(api.GET('/v1/customers', { params: { query: { [field]: value, limit: 50 } } })),
  });

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const text = draft.value.trim();
    if (text === '') return;
    if (draft.field === 'id') void navigate(`/customers/${encodeURIComponent(text)}`);
    else setParams({ [draft.field]: text });
  };

  return (
    <section aria-labelledby="customers-title">
      <Title id="customers-title" order={1} size="h2" mb="md">
        {t('customers.title')}
      </Title>
      <form onSubmit={submit} role="search">
        <Group align="end" wrap="wrap">
          <NativeSelect
            label={t('customers.searchBy')}
            value={draft.field}
            onChange={(e) => setDraft({ ...draft, field: e.currentTarget.value as Field })}
            data={FIELDS.map((f) => ({ value: f, label: t(`customers.${f}`) }))}
          />
          <TextInput
            label={t('customers.query')}
            description={draft.field === 'name' ? t('customerSearch.nameHint') : undefined}
            value={draft.value}
            onChange={(e) => setDraft({ ...draft, value: e.currentTarget.value })}
          />
          <Button type="submit">{t('customers.search')}</Button>
        </Group>
      </form>
      {results.isError && (
        <Alert color="red" mt="md" role="alert">
          {errorSentence(results.error, t)}
        </Alert>
      )}
      {results.data !== undefined && results.data.customers.length === 0 && <Text mt="md">{t('customers.none')}</Text>}
      {results.data !== undefined && results.data.customers.length > 0 && (
        <TableBox label={t('customers.title')}>
          <Table mt="md" striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('customers.id')}</Table.Th>
                <Table.Th scope="col">{t('customers.name')}</Table.Th>
                <Table.Th scope="col">{t('customers.email')}</Table.Th>
                <Table.Th scope="col">{t('customers.phone')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {results.data.customers.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/customers/${encodeURIComponent(c.id)}`}>
                      {c.id}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{c.name}</Table.Td>
                  <Table.Td>{c.emails[0] ?? ''}</Table.Td>
                  <Table.Td>{c.phones[0] ?? ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </TableBox>
      )}
    </section>
  );
}
