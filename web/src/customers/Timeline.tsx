/**
 * A customer's history as a timeline: entries newest first, grouped by their Helsinki day, each day
 * a heading and an ordered list, each entry its time (a `<time>` element) and what happened. Plain
 * lists and headings: a screen reader moves by day with its heading keys, and nothing in it needs
 * the keyboard except the links and buttons an entry brings.
 */
import { Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDay, formatTime, helsinkiDay } from '../i18n/index.ts';

export interface TimelineEntry {
  key: string;
  /** When it happened (an ISO instant). */
  at: string;
  /** What happened, as a sentence. */
  what: string;
  /** Further details (who recorded it, from where, with which notice), shown below it. */
  details?: ReactNode;
}

/** Entries newest first (equal times keep their given order), in runs of the same Helsinki day. */
export function groupByDay(entries: readonly TimelineEntry[]): { day: string; entries: TimelineEntry[] }[] {
  const sorted = entries.map((entry, i) => ({ entry, i, time: Date.parse(entry.at) })).sort((a, b) => b.time - a.time || a.i - b.i);
  const days: { day: string; entries: TimelineEntry[] }[] = [];
  for (const { entry } of sorted) {
    const day = helsinkiDay(entry.at);
    const last = days[days.length - 1];
    if (last !== undefined && last.day === day) last.entries.push(entry);
    else days.push({ day, entries: [entry] });
  }
  return days;
}

/** `label` names the list for assistive technology (the section's title). */
export function Timeline({ label, entries }: { label: string; entries: readonly TimelineEntry[] }) {
  const { i18n } = useTranslation();
  return (
    <ol className="lupa-timeline" aria-label={label}>
      {groupByDay(entries).map(({ day, entries: ofDay }) => (
        <li key={day}>
          <Title order={3} size="h6" mt="xs">
            <time dateTime={day}>{formatDay(day, i18n.language)}</time>
          </Title>
          <ol className="lupa-timeline-day">
            {ofDay.map((entry) => (
              <li key={entry.key} className="lupa-timeline-entry">
                <Stack gap={0}>
                  <Text>
                    <time dateTime={entry.at} className="lupa-timeline-time">
                      {formatTime(entry.at, i18n.language)}
                    </time>{' '}
                    {entry.what}
                  </Text>
                  {entry.details !== undefined && (
                    <Text size="sm" c="gray.7">
                      {entry.details}
                    </Text>
                  )}
                </Stack>
              </li>
            ))}
          </ol>
        </li>
      ))}
    </ol>
  );
}
