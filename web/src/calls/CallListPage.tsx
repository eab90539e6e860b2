/**
 * The call list work screen (docs/calls-and-recordings.md#the-work-screen): the agent picks a
 * selection (the same audience `lupa export calls` writes: phone marketing allowed, opt-outs,
 * objections and the Robinson register applied; kept in the URL), then goes through its customers
 * one at a time: the call script with the statements the law requires at the start, the offers Lupa
 * ranks for the phone, and the outcome buttons. A sale records the call and makes the phone sale,
 * whose written offer goes to the customer to accept (Consumer Protection Act ch. 6).
 */
import { Alert, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import { OffersSection } from '../customers/OffersSection.tsx';
import { FilterForm, useFilters, type FilterField } from '../dpo/FilterForm.tsx';
import { useSession } from '../session/session.ts';
import { SaleForm } from './SaleForm.tsx';

const PAGE = 20;
type Outcome = 'reached' | 'no_answer' | 'refused' | 'do_not_call' | 'callback';
const OUTCOMES: Outcome[] = ['reached', 'no_answer', 'refused', 'do_not_call'];

export function CallListPage() {
  const { t } = useTranslation();
  const fields: FilterField[] = [
    { name: 'list', label: t('callLists.listName') },
    { name: 'product', label: t('callLists.product') },
    { name: 'postalCodePrefix', label: t('callLists.postalCodePrefix') },
    { name: 'segment', label: t('callLists.segment') },
  ];
  const filters = useFilters(fields);
  const { list: listName = 'console', ...selection } = filters;
  const [after, setAfter] = useState<string | undefined>(undefined);
  const [index, setIndex] = useState(0);
  const page = useQuery({
    queryKey: ['call-list-work', selection, after],
    queryFn: () => unwrap(api.GET('/v1/call-lists/work', { params: { query: { ...(selection as Record<string, never>), limit: PAGE, ...(after === undefined ? {} : { after }) } } })),
  });
  // A new selection starts from its first customer.
  const selectionKey = JSON.stringify(selection);
  useEffect(() => {
    setAfter(undefined);
    setIndex(0);
  }, [selectionKey]);
  const rows = page.data?.rows ?? [];
  const row = rows[index];
  const next = (): void => {
    if (index + 1 < rows.length) setIndex(index + 1);
    else if (page.data?.next != null) {
      setAfter(page.data.next);
      setIndex(0);
    } else setIndex(rows.length);
  };
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('callLists.title')}
      </Title>
      <Text>{t('callLists.intro')}</Text>
      <FilterForm fields={fields} label={t('callLists.selection')} />
      {page.isError && <Alert color="red">{errorSentence(page.error, t)}</Alert>}
      {page.isSuccess && row === undefined && <Text role="status">{t('callLists.done')}</Text>}
      {row !== undefined && page.data !== undefined && <CustomerCall key={row.customerId} row={row} seller={page.data.seller} listName={listName} onNext={next} position={index + 1} />}
    </Stack>
  );
}

interface Row {
  customerId: string;
  name: string;
  phone: string;
  locale: string;
  callableNow: boolean;
  quietReason: string;
}

function CustomerCall({ row, seller, listName, onNext, position }: { row: Row; seller: string; listName: string; onNext: () => void; position: number }) {
  const { t } = useTranslation();
  const agent = useSession().data?.user.email ?? 'console';
  // The call starts when the agent opens the customer; it ends when the outcome is recorded.
  const startedAt = useRef(new Date().toISOString());
  const [selling, setSelling] = useState(false);
  const [callbackAt, setCallbackAt] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const statusRef = useRef<HTMLDivElement>(null);
  const record = useMutation({
    mutationFn: (v: { outcome: Outcome | 'sale'; callbackAt?: string }) =>
      unwrap(
        api.POST('/v1/calls', {
          body: {
            direction: 'outbound',
            agent,
            customerId: row.customerId,
            number: row.phone,
            startedAt: startedAt.current,
            endedAt: new Date().toISOString(),
            callList: listName,
            purpose: 'telesales',
            outcome: v.outcome,
            ...(v.callbackAt === undefined ? {} : { callbackAt: new Date(v.callbackAt).toISOString() }),
          },
        }),
      ),
    onSuccess: (call) => {
      setStatus(t('callLists.recorded', { outcome: t(`calls.outcomes.${call.outcome}`) }));
      statusRef.current?.focus();
    },
  });
  return (
    <Stack>
      <Card withBorder padding="md" maw={900}>
        <Title order={2} size="h3">
          {t('callLists.customer', { n: position, name: row.name })}
        </Title>
        <Text>
          {row.phone} · <Link to={`/customers/${encodeURIComponent(row.customerId)}`}>{row.customerId}</Link>
        </Text>
        {!row.callableNow && (
          <Alert color="yellow" mt="xs">
            {t('callLists.quiet', { reason: t(`callLists.quietReasons.${row.quietReason}`, { defaultValue: row.quietReason }) })}
          </Alert>
        )}
      </Card>
      <Card withBorder padding="md" maw={900} component="section" aria-labelledby="script-title">
        <Title id="script-title" order={2} size="h4">
          {t('callLists.script')}
        </Title>
        <Stack component="ol" gap={4} mt="xs">
          <li>{t('callLists.scriptSeller', { seller })}</li>
          <li>{t('callLists.scriptPurpose')}</li>
          <li>{t('callLists.scriptRecording')}</li>
          <li>{t('callLists.scriptTerms')}</li>
          <li>{t('callLists.scriptWritten')}</li>
        </Stack>
      </Card>
      <OffersSection customerId={row.customerId} />
      <section aria-labelledby="outcome-title">
        <Title id="outcome-title" order={2} size="h4" mb="xs">
          {t('callLists.outcome')}
        </Title>
        <Group gap="xs">
          {OUTCOMES.map((o) => (
            <Button key={o} variant="default" disabled={record.isSuccess} loading={record.isPending} onClick={() => record.mutate({ outcome: o })}>
              {t(`calls.outcomes.${o}`)}
            </Button>
          ))}
          <Button variant="filled" disabled={record.isSuccess} onClick={() => setSelling(true)}>
            {t('calls.outcomes.sale')}
          </Button>
        </Group>
        <Group align="end" gap="xs" mt="xs">
          <label>
            {t('callLists.callbackAt')}
            <br />
            <input type="datetime-local" value={callbackAt} onChange={(e) => setCallbackAt(e.currentTarget.value)} />
          </label>
          <Button variant="default" disabled={callbackAt === '' || record.isSuccess} onClick={() => record.mutate({ outcome: 'callback', callbackAt })}>
            {t('calls.outcomes.callback')}
          </Button>
        </Group>
        {record.isError && <Alert color="red">{errorSentence(record.error, t)}</Alert>}
      </section>
      {selling && <SaleForm customerId={row.customerId} locale={row.locale} recordCall={() => record.mutateAsync({ outcome: 'sale' }).then((c) => c.id)} onDone={(text) => setStatus(text)} />}
      <div role="status" aria-live="polite" ref={statusRef} tabIndex={-1}>
        {status !== null && <Text fw={600}>{status}</Text>}
      </div>
      <Group>
        <Button onClick={onNext}>{t('callLists.next')}</Button>
      </Group>
    </Stack>
  );
}
