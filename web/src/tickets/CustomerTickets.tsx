/** A customer's support tickets on the customer's view (`GET /v1/tickets?customerId=`), for roles that may read tickets. */
import { Badge, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client.ts';
import { allows } from '../session/permissions.ts';
import { useSession } from '../session/session.ts';
import { SlaBadge } from './SlaBadge.tsx';

export function CustomerTickets({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const role = useSession().data?.user.role;
  const may = role !== undefined && allows(role, 'tickets.read');
  const list = useQuery({ queryKey: ['tickets', { customerId }], enabled: may, queryFn: () => unwrap(api.GET('/v1/tickets', { params: { query: { customerId, limit: 20 } } })) });
  if (!may || list.data === undefined || list.data.tickets.length === 0) return null;
  return (
    <Stack gap="xs">
      <Title order={2} size="h4">
        {t('tickets.ofCustomer')}
      </Title>
      {list.data.tickets.map((ticket) => (
        <Group key={ticket.id} gap="xs">
          <Link to={`/tickets/${ticket.id}`}>{ticket.subject}</Link>
          <Badge variant="outline" tt="none" color="gray.8">
            {t(`tickets.statuses.${ticket.status}`)}
          </Badge>
          <SlaBadge state={ticket.sla.overall} />
          <Text size="sm" c="dimmed">
            #{ticket.id}
          </Text>
        </Group>
      ))}
    </Stack>
  );
}
