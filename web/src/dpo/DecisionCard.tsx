/**
 * One decision: its verdict and reasons as sentences, and the records it rested on (the decisive
 * consent, objections, suppressions in force, the order showing the relationship), with their
 * sequence numbers so they can be found in the ledger. A role that may not read the ledger or orders
 * gets the records without their reference and only the count of orders (src/http/decision-view.ts).
 */
import { Badge, Card, List, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { codeText } from '../i18n/codes.ts';
import { formatDateTime } from '../i18n/index.ts';
import { reasonSentence, verdictSentence, type Decision } from './decision-text.ts';

/** White text on these is above 7:1 (WCAG AAA), as on the customer page. */
const ALLOWED_COLOUR = '#1b5e20';
const BLOCKED_COLOUR = '#b71c1c';

type EvidenceRecord = NonNullable<Decision['evidence']['consent']>;

export function DecisionCard({ title, decision, headingId }: { title: string; decision: Decision; headingId: string }) {
  const { t, i18n } = useTranslation();
  const when = (iso: string): string => formatDateTime(iso, i18n.language);
  const e = decision.evidence;
  const record = (key: 'consent' | 'objection' | 'profilingObjection', r: EvidenceRecord): string =>
    [
      t(`dpo.decisions.${key}`, { seq: r.seq, value: t(`dpo.values.${r.value}`, { defaultValue: r.value }), at: when(r.at), source: codeText(t, 'source', r.source) }),
      ...(r.noticeVersion === null ? [] : [t('dpo.decisions.notice', { version: r.noticeVersion })]),
      ...(r.evidenceRef == null ? [] : [t('dpo.decisions.ref', { ref: r.evidenceRef })]),
    ].join('; ');
  const items = [
    ...(e.consent === null ? [] : [record('consent', e.consent)]),
    ...(e.objection === null ? [] : [record('objection', e.objection)]),
    ...(e.profilingObjection === null ? [] : [record('profilingObjection', e.profilingObjection)]),
    ...e.suppressions.map((s) => t('dpo.decisions.suppression', { id: s.id, reason: t(`suppressions.reasons.${s.reason}`, { defaultValue: s.reason }), at: when(s.at) })),
    ...(e.order == null ? [] : [t('dpo.decisions.order', { id: e.order.id, sku: e.order.sku, category: e.order.category, at: when(e.order.startedAt) })]),
    ...(e.consideredOrderCount === 0 ? [] : [t('dpo.decisions.considered', { count: e.consideredOrderCount })]),
  ];
  return (
    <Card withBorder component="section" aria-labelledby={headingId} padding="md">
      <Stack gap="xs">
        <Title id={headingId} order={3} size="h5">
          {title}
        </Title>
        <Text size="sm">{t('dpo.decisions.forPurpose', { purpose: t(`purposes.${e.purpose}`), channel: t(`channels.${e.channel}`) })}</Text>
        <div>
          <Badge color={decision.allowed ? ALLOWED_COLOUR : BLOCKED_COLOUR} size="lg">
            {decision.allowed ? t('customers.allowed') : t('customers.blocked')}
          </Badge>
        </div>
        <Text fw={600}>{verdictSentence(decision, t)}</Text>
        <List size="sm">
          {decision.reasons.map((code) => (
            <List.Item key={code}>{reasonSentence(code, t)}</List.Item>
          ))}
        </List>
        <Title order={4} size="h6">
          {t('dpo.decisions.evidence')}
        </Title>
        {items.length === 0 ? (
          <Text size="sm">{t('dpo.decisions.noEvidence')}</Text>
        ) : (
          <List size="sm">
            {items.map((item) => (
              <List.Item key={item}>{item}</List.Item>
            ))}
          </List>
        )}
      </Stack>
    </Card>
  );
}
