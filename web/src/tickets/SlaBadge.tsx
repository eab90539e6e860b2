/** A ticket's SLA state as a badge: on time, due soon, breached, met (the worse of its two clocks). */
import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export type ClockState = 'met' | 'on_time' | 'due_soon' | 'breached';

const COLORS: Record<ClockState, string> = { met: 'gray', on_time: 'green', due_soon: 'yellow', breached: 'red' };

export function SlaBadge({ state }: { state: ClockState }) {
  const { t } = useTranslation();
  return (
    <Badge variant="outline" tt="none" color={COLORS[state]}>
      {t(`tickets.sla.${state}`)}
    </Badge>
  );
}
