/**
 * A customer's ledger as a timeline (newest first, by Helsinki day: what, who recorded it from which
 * source, with which notice version), and the form an agent records what the customer
 * said with: a consent, a withdrawal, "don't call me" or an objection, with source `agent` and a
 * note kept as evidence (the server's audit names the agent). Appended, never edited. After a
 * record is appended, focus moves to the status message saying what was recorded (a live region),
 * so a keyboard or screen-reader user hears that it worked without searching the page.
 */
import { Alert, Button, Group, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CHANNELS, type Channel } from '../../../src/core/vocabulary.ts';
import { api, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import { codeText, ledgerLine } from '../i18n/codes.ts';
import type { TFunction } from 'i18next';
import { formatDateTime } from '../i18n/index.ts';
import { Timeline } from './Timeline.tsx';

const ACTIONS = ['consent', 'withdraw', 'dontCall', 'noSurveys', 'objectMarketing', 'objectProfiling'] as const;
type RecordAction = (typeof ACTIONS)[number];

/** The ledger record each choice appends (compliance.md: "don't call me" is a withdrawal for phone marketing). */
function recordFor(action: RecordAction, channel: Channel, note: string) {
  const common = { source: 'agent', ...(note === '' ? {} : { evidenceRef: note }) };
  switch (action) {
    case 'consent':
      return { kind: 'consent' as const, purpose: 'marketing' as const, channel, value: 'granted' as const, ...common };
    case 'withdraw':
      return { kind: 'consent' as const, purpose: 'marketing' as const, channel, value: 'withdrawn' as const, ...common };
    case 'dontCall':
      return { kind: 'consent' as const, purpose: 'marketing' as const, channel: 'phone' as const, value: 'withdrawn' as const, ...common };
    // "No more surveys": research withdrawn on every channel (compliance.md §2 rule 11).
    case 'noSurveys':
      return { kind: 'consent' as const, purpose: 'research' as const, channel: null, value: 'withdrawn' as const, ...common };
    case 'objectMarketing':
      return { kind: 'objection' as const, scope: 'direct_marketing' as const, value: 'objected' as const, ...common };
    case 'objectProfiling':
      return { kind: 'objection' as const, scope: 'profiling' as const, value: 'objected' as const, ...common };
  }
}

/**
 * Who recorded a record and how: from which source, when, with which notice version (and language),
 * and the evidence written with it: "Recorded 30/11/2026, 09:05 via customer service · notice v3 (FI) · evidence: call 123".
 */
function ledgerDetails(
  t: TFunction,
  language: string,
  r: { recordedAt: string; source: string; noticeVersion: string | null; noticeLocale: string | null; evidenceRef: string | null },
): string {
  const parts = [t('timeline.recorded', { at: formatDateTime(r.recordedAt, language), source: codeText(t, 'source', r.source) })];
  if (r.noticeVersion === null) parts.push(t('timeline.noNotice'));
  else parts.push(r.noticeLocale === null ? t('timeline.notice', { version: r.noticeVersion }) : t('timeline.noticeIn', { version: r.noticeVersion, locale: r.noticeLocale.toUpperCase() }));
  if (r.evidenceRef !== null) parts.push(t('timeline.evidence', { ref: r.evidenceRef }));
  return parts.join(' · ');
}

export function LedgerSection({ customerId, canRecord }: { customerId: string; canRecord: boolean }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const ledger = useQuery({ queryKey: ['ledger', customerId], queryFn: () => unwrap(api.GET('/v1/customers/{id}/ledger', { params: { path: { id: customerId } } })) });
  // No choice at first: one stray click must not append a record that can never be removed.
  const [action, setAction] = useState<RecordAction | ''>('');
  const [channel, setChannel] = useState<Channel>('email');
  const [note, setNote] = useState('');
  // What was last recorded, as a sentence; the status message says it and takes the focus.
  const [saved, setSaved] = useState<{ line: string; n: number } | null>(null);
  const statusRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (saved !== null) statusRef.current?.focus();
  }, [saved]);
  const record = useMutation({
    mutationFn: (chosen: RecordAction) => {
      const body = recordFor(chosen, channel, note.trim());
      return unwrap(api.POST('/v1/customers/{id}/ledger', { params: { path: { id: customerId } }, body })).then(() => body);
    },
    onMutate: () => setSaved(null),
    onSuccess: async (body) => {
      setNote('');
      setAction('');
      // Everything on the page a ledger record changes: the verdicts, and what an objection deletes
      // or turns off (inferred interests, personal offers); the history gains the record. Before,
      // those kept showing the deleted data until the page was reloaded.
      await Promise.all(['ledger', 'permissions', 'interests', 'customer-offers', 'history'].map((key) => client.invalidateQueries({ queryKey: [key, customerId] })));
      setSaved((before) => ({ line: ledgerLine(t, body), n: (before?.n ?? 0) + 1 }));
    },
  });
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (action === '' || note.trim() === '') return;
    record.mutate(action);
  };
  // Reversed, so that records of the same instant show the last recorded first.
  const records = [...(ledger.data?.records ?? [])].reverse();

  return (
    <section aria-labelledby="ledger-title">
      <Title id="ledger-title" order={2} size="h4" mb="xs">
        {t('ledger.title')}
      </Title>
      {ledger.isError && <Alert color="red">{errorSentence(ledger.error, t)}</Alert>}
      {ledger.isSuccess && records.length === 0 && <Text>{t('ledger.empty')}</Text>}
      {records.length > 0 && <Timeline label={t('ledger.title')} entries={records.map((r) => ({ key: String(r.seq), at: r.at, what: ledgerLine(t, r), details: ledgerDetails(t, i18n.language, r) }))} />}
      {canRecord && (
        <form onSubmit={submit}>
          <Stack mt="md" maw={640} gap="xs">
            <Title order={3} size="h5">
              {t('ledger.recordTitle')}
            </Title>
            <Group align="end" wrap="wrap">
              <NativeSelect
                label={t('ledger.action')}
                required
                value={action}
                onChange={(e) => setAction(e.currentTarget.value as RecordAction | '')}
                data={[{ value: '', label: t('ledger.choose') }, ...ACTIONS.map((a) => ({ value: a, label: t(`ledger.actions.${a}`) }))]}
              />
              {(action === 'consent' || action === 'withdraw') && (
                <NativeSelect
                  label={t('ledger.channel')}
                  value={channel}
                  onChange={(e) => setChannel(e.currentTarget.value as Channel)}
                  data={CHANNELS.filter((c) => c !== 'web').map((c) => ({ value: c, label: codeText(t, 'channel', c) }))}
                />
              )}
            </Group>
            <TextInput label={t('ledger.note')} description={t('ledger.noteHint')} required maxLength={200} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
            <Group>
              <Button type="submit" loading={record.isPending} disabled={action === '' || note.trim() === ''}>
                {t('ledger.submit')}
              </Button>
            </Group>
            {record.isError && (
              <Alert color="red" role="alert">
                {errorSentence(record.error, t)}
              </Alert>
            )}
            {/* Always in the page, so the change of its text is announced; focused when something was recorded. */}
            <div role="status" aria-live="polite" ref={statusRef} tabIndex={-1}>
              {saved !== null && <Alert>{t('codes.recorded', { line: saved.line })}</Alert>}
            </div>
          </Stack>
        </form>
      )}
    </section>
  );
}
