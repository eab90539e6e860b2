/**
 * A customer's interests on the customer view (docs/segments-and-predictions.md, "Interests"):
 * what the customer stated (the latest record per topic, with who recorded it) and what we infer
 * from the products they tried (with its weight), and the form an agent records what the customer
 * said with. Appended, never edited: "not interested" also takes an inferred topic away at once.
 * The read is audited by the server as a read of the customer's data.
 */
import { Alert, Button, Group, NativeSelect, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import { formatDateTime, formatNumber } from '../i18n/index.ts';
import { TableBox } from '../layout/TableBox.tsx';
import { allows } from '../session/permissions.ts';
import { useSession } from '../session/session.ts';

type Value = 'interested' | 'not_interested';

export function InterestsSection({ customerId }: { customerId: string }) {
  const role = useSession().data?.user.role;
  if (role === undefined || !allows(role, 'interests.read')) return null;
  return <Interests customerId={customerId} canRecord={allows(role, 'interests.record')} />;
}

function Interests({ customerId, canRecord }: { customerId: string; canRecord: boolean }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const lang = (['fi', 'sv', 'en'].includes(i18n.language) ? i18n.language : 'en') as 'fi' | 'sv' | 'en';
  const topics = useQuery({ queryKey: ['interestTopics'], queryFn: () => unwrap(api.GET('/v1/interests/topics')) });
  const interests = useQuery({ queryKey: ['interests', customerId], queryFn: () => unwrap(api.GET('/v1/customers/{id}/interests', { params: { path: { id: customerId } } })) });
  const nameOf = (code: string): string => topics.data?.topics.find((x) => x.code === code)?.names[lang] ?? code;
  // No choice at first: one stray click must not append a record.
  const [topic, setTopic] = useState('');
  const [value, setValue] = useState<Value>('interested');
  const [saved, setSaved] = useState<{ line: string; n: number } | null>(null);
  const statusRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (saved !== null) statusRef.current?.focus();
  }, [saved]);
  const record = useMutation({
    mutationFn: (body: { topic: string; value: Value }) => unwrap(api.POST('/v1/customers/{id}/interests', { params: { path: { id: customerId } }, body })).then(() => body),
    onMutate: () => setSaved(null),
    onSuccess: async (body) => {
      setTopic('');
      await client.invalidateQueries({ queryKey: ['interests', customerId] });
      setSaved((before) => ({ line: t(`interests.saved.${body.value}`, { topic: nameOf(body.topic) }), n: (before?.n ?? 0) + 1 }));
    },
  });
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (topic !== '') record.mutate({ topic, value });
  };
  const data = interests.data;

  return (
    <section aria-labelledby="interests-title">
      <Title id="interests-title" order={2} size="h4" mb="xs">
        {t('interests.title')}
      </Title>
      {interests.isError && <Alert color="red">{errorSentence(interests.error, t)}</Alert>}
      {data !== undefined && (
        <Stack gap="xs" maw={720}>
          <Title order={3} size="h5">
            {t('interests.stated')}
          </Title>
          {data.stated.length === 0 ? (
            <Text>{t('interests.noneStated')}</Text>
          ) : (
            <TableBox label={t('interests.stated')}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('interests.topic')}</Table.Th>
                    <Table.Th scope="col">{t('interests.value')}</Table.Th>
                    <Table.Th scope="col">{t('interests.recorded')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.stated.map((s) => (
                    <Table.Tr key={s.topic}>
                      <Table.Td>{nameOf(s.topic)}</Table.Td>
                      <Table.Td>{t(`interests.values.${s.value}`)}</Table.Td>
                      <Table.Td>{t('interests.recordedBy', { at: formatDateTime(s.at, i18n.language), source: t(`interests.sources.${s.source}`) })}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </TableBox>
          )}
          <Title order={3} size="h5">
            {t('interests.inferred')}
          </Title>
          <Text size="sm" c="gray.7">
            {t('interests.inferredHint')}
          </Text>
          {data.inferred.length === 0 ? (
            <Text>{t('interests.noneInferred')}</Text>
          ) : (
            <TableBox label={t('interests.inferred')}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('interests.topic')}</Table.Th>
                    <Table.Th scope="col">{t('interests.weight')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.inferred.map((x) => (
                    <Table.Tr key={x.topic}>
                      <Table.Td>{nameOf(x.topic)}</Table.Td>
                      <Table.Td>{formatNumber(Math.round(x.weight * 100), i18n.language)} %</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </TableBox>
          )}
        </Stack>
      )}
      {canRecord && (
        <form onSubmit={submit}>
          <Stack mt="md" maw={640} gap="xs">
            <Title order={3} size="h5">
              {t('interests.recordTitle')}
            </Title>
            <Group align="end" wrap="wrap">
              <NativeSelect
                label={t('interests.topic')}
                required
                value={topic}
                onChange={(e) => setTopic(e.currentTarget.value)}
                data={[{ value: '', label: t('interests.choose') }, ...(topics.data?.topics ?? []).map((x) => ({ value: x.code, label: x.names[lang] }))]}
              />
              <NativeSelect
                label={t('interests.value')}
                value={value}
                onChange={(e) => setValue(e.currentTarget.value as Value)}
                data={(['interested', 'not_interested'] as const).map((v) => ({ value: v, label: t(`interests.values.${v}`) }))}
              />
              <Button type="submit" loading={record.isPending} disabled={topic === ''}>
                {t('interests.submit')}
              </Button>
            </Group>
            {record.isError && (
              <Alert color="red" role="alert">
                {errorSentence(record.error, t)}
              </Alert>
            )}
            <div role="status" aria-live="polite" ref={statusRef} tabIndex={-1}>
              {saved !== null && <Alert>{saved.line}</Alert>}
            </div>
          </Stack>
        </form>
      )}
    </section>
  );
}
