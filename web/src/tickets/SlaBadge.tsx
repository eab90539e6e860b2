/** A ticket's SLA state as a badge: on time, due soon, breached, met (the worse of its two clocks). */
import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export type ClockState = 'met' | 'on_time' | 'due_soon' | 'breached';

// Dark enough to read on white (WCAG AA 4.5:1): orange's shade 9 is not (4.3:1), so "due soon" is a darker orange.
const COLORS: Record<ClockState, string> = { met: 'gray.8', on_time: 'teal.9', due_soon: '#9c3a00', breached: 'red.9' };

export function SlaBadge({ state }: { state: ClockState }) {
  const { t } = useTranslation();
  return (
    <Badge variant="outline" tt="none" color={COLORS[state]}>
      {t(`tickets.sla.${state}`)}
    </Badge>
  );
}
