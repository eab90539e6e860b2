/**
 * Every source of the customer's timeline (src/core/timeline.ts). A new kind of entry is one file
 * in sources/ and one line here; the API's `kinds`, the CLI's `--kinds` and the store follow.
 */
import { calls } from './sources/call.ts';
import { feedback } from './sources/feedback.ts';
import { interests } from './sources/interest.ts';
import { ledgerRecords } from './sources/ledger.ts';
import { messages } from './sources/message.ts';
import { offers } from './sources/offer.ts';
import { orderEnded } from './sources/order-ended.ts';
import { orderStarted } from './sources/order-started.ts';
import { phoneSales } from './sources/phone-sale.ts';
import { recordings } from './sources/recording.ts';
import { siteEvents } from './sources/site-event.ts';
import { suppressions } from './sources/suppression.ts';
import { ticketMessages } from './sources/ticket-message.ts';
import { ticketsOpened } from './sources/ticket-opened.ts';
import { ticketsSolved } from './sources/ticket-solved.ts';
import type { TimelineSource } from './source.ts';

export const TIMELINE_SOURCES: readonly TimelineSource[] = [
  orderStarted,
  orderEnded,
  ledgerRecords,
  suppressions,
  messages,
  calls,
  recordings,
  ticketsOpened,
  ticketMessages,
  ticketsSolved,
  offers,
  interests,
  feedback,
  phoneSales,
  siteEvents,
];
