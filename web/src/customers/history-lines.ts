/**
 * A timeline entry of the API (`GET /v1/customers/{id}/timeline`) as the History section shows it:
 * what happened as a sentence in the person's language, and its details. A kind the console has no
 * sentence for yet (a source added on the server later) is shown by its readable name, never a crash.
 */
import type { TFunction } from 'i18next';
import { codeText, ledgerLine, readableCode } from '../i18n/codes.ts';
import { formatDateTime } from '../i18n/index.ts';
import type { TimelineEntry } from './Timeline.tsx';

export type HistoryEntry = { at: string; kind: string; id: string; summary: Record<string, string | number | null | string[]> };

/** The filter chips: each a group of the API's kinds. */
export const HISTORY_GROUPS = {
  orders: ['order_started', 'order_ended'],
  ledger: ['ledger'],
  suppressions: ['suppression'],
  messages: ['message'],
  calls: ['call', 'recording', 'phone_sale'],
  tickets: ['ticket_opened', 'ticket_message', 'ticket_solved'],
  offers: ['offer'],
  interests: ['interest'],
  feedback: ['feedback'],
  site: ['site_event'],
} as const;
export type HistoryGroup = keyof typeof HISTORY_GROUPS;


const text = (v: unknown): string => (v === null || v === undefined ? '' : Array.isArray(v) ? v.join(', ') : String(v));

/** The entry as a line of the timeline (Timeline.tsx). `topicName` names an interest topic. */
export function historyLine(t: TFunction, lang: string, e: HistoryEntry, topicName: (code: string) => string): TimelineEntry {
  const s = e.summary;
  const at = (v: unknown) => formatDateTime(text(v), lang);
  const product = () => t('timeline.product', { name: text(s['productName']), category: codeText(t, 'category', text(s['category'])) });
  const line = (what: string, details?: string): TimelineEntry => ({ key: `${e.kind}/${e.id}`, at: e.at, what, ...(details === undefined || details === '' ? {} : { details }) });
  switch (e.kind) {
    case 'order_started':
      return line(
        t('history.lines.orderStarted', { product: product(), soldVia: codeText(t, 'soldVia', text(s['soldVia'])) }),
        s['endedAt'] === null ? t('timeline.ongoing', { id: e.id }) : t('timeline.orderId', { id: e.id }),
      );
    case 'order_ended':
      // An end still to come (a fixed term, a cancellation taking effect) is said as one.
      return line(t(Date.parse(e.at) > Date.now() ? 'history.lines.orderEnds' : 'history.lines.orderEnded', { product: product() }), t('timeline.orderId', { id: e.id }));
    case 'ledger': {
      const record =
        s['recordKind'] === 'objection'
          ? ({ kind: 'objection', scope: text(s['purpose']), value: text(s['value']) } as const)
          : ({ kind: 'consent', purpose: text(s['purpose']), channel: s['channel'] === null ? null : text(s['channel']), value: text(s['value']) } as const);
      return line(ledgerLine(t, record), t('history.lines.source', { source: codeText(t, 'source', text(s['source'])) }));
    }
    case 'suppression':
      return line(
        t('history.lines.suppression', { address: text(s['address']), channel: codeText(t, 'channel', text(s['channel'])), reason: t(`suppressions.reasons.${text(s['reason'])}`, { defaultValue: readableCode(text(s['reason'])) }) }),
        s['liftedAt'] === null ? undefined : t('suppressions.lifted', { at: at(s['liftedAt']) }),
      );
    case 'message': {
      const details = [
        s['sentAt'] === null ? '' : t('history.lines.sent', { at: at(s['sentAt']) }),
        Array.isArray(s['reasons']) && s['reasons'].length > 0 ? t('history.lines.why', { reasons: s['reasons'].map((r) => codeText(t, 'reason', r)).join('; ') }) : '',
        s['bounce'] === null ? '' : t('history.lines.bounced', { bounce: text(s['bounce']) }),
        s['openedAt'] === null ? '' : t('history.lines.opened', { at: at(s['openedAt']) }),
        s['clickedAt'] === null ? '' : t('history.lines.clicked', { at: at(s['clickedAt']) }),
      ].filter((d) => d !== '');
      return line(
        t('history.lines.message', { channel: codeText(t, 'channel', text(s['channel'])), campaign: text(s['campaign']), state: codeText(t, 'deliveryState', text(s['state'])) }),
        details.join(' · '),
      );
    }
    case 'call':
      return line(
        t('history.lines.call', { direction: t(`calls.directions.${text(s['direction'])}`), purpose: t(`calls.purposes.${text(s['purpose'])}`), outcome: t(`calls.outcomes.${text(s['outcome'])}`) }),
        t('history.lines.agent', { agent: text(s['agent']) }),
      );
    case 'recording':
      return line(t('history.lines.recording', { format: text(s['format']).toUpperCase() }), t('calls.keptUntil', { at: at(s['retentionEndsAt']) }));
    case 'ticket_opened':
      return line(t('history.lines.ticketOpened', { id: e.id, subject: text(s['subject']) }), t(`tickets.statuses.${text(s['status'])}`));
    case 'ticket_message':
      return line(t('history.lines.ticketMessage', { author: t(`tickets.authors.${text(s['author'])}`), id: text(s['ticketId']), subject: text(s['subject']) }), text(s['excerpt']));
    case 'ticket_solved':
      return line(t('history.lines.ticketSolved', { id: e.id, subject: text(s['subject']) }));
    case 'offer':
      return line(t('history.lines.offer', { name: text(s['name']), outcome: t(`history.outcomes.${text(s['outcome'])}`, { defaultValue: readableCode(text(s['outcome'])) }), channel: codeText(t, 'channel', text(s['channel'])) }));
    case 'interest':
      return line(t('history.lines.interest', { value: t(`interests.values.${text(s['value'])}`), topic: topicName(text(s['topic'])) }), t(`interests.sources.${text(s['source'])}`));
    case 'site_event':
      return line(t(s['type'] === 'page' ? 'history.lines.sitePage' : 'history.lines.siteEvent', { name: text(s['name']), page: text(s['page']), site: text(s['site']) }));
    case 'phone_sale': {
      // A pending sale past its acceptance time has lapsed, whatever was stored (as every read of a sale says).
      const stored = text(s['state']);
      const state = stored === 'pending' && text(s['acceptBy']) !== '' && Date.parse(text(s['acceptBy'])) <= Date.now() ? 'lapsed' : stored;
      return line(t('history.lines.phoneSale', { product: text(s['productName']), state: t(`callLists.states.${state}`, { defaultValue: readableCode(state) }) }), s['orderId'] === null ? undefined : t('timeline.orderId', { id: text(s['orderId']) }));
    }
    case 'feedback': {
      const survey = text(s['survey']).toUpperCase();
      // The answer, when it came, is what the agent wants to see; its comment below it.
      if (s['answeredAt'] !== null && s['answeredAt'] !== undefined) return line(t('history.lines.feedbackAnswered', { survey }));
      return line(t('history.lines.feedbackAsked', { survey, state: readableCode(text(s['state'])) }), text(s['reasons']));
    }
    default:
      return line(readableCode(e.kind));
  }
}
