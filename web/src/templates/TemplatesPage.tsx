/** Templates by id (`GET /v1/templates`, keyset-paged); a row opens the editor, a marketer starts a new one. */
import { Alert, Anchor, Button, Group, Table, Text, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import { formatDateTime } from '../i18n/index.ts';
import { TableBox } from '../layout/TableBox.tsx';
import { allows } from '../session/permissions.ts';
import { useSession } from '../session/session.ts';

const PAGE = 50;

export function TemplatesPage() {
  const { t, i18n } = useTranslation();
  const role = useSession().data?.user.role;
  const templates = useInfiniteQuery({
    queryKey: ['templates'],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => unwrap(api.GET('/v1/templates', { params: { query: { limit: PAGE, ...(pageParam === undefined ? {} : { after: pageParam }) } } })),
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const rows = templates.data?.pages.flatMap((p) => p.templates) ?? [];
  return (
    <section aria-labelledby="templates-title">
      <Group justify="space-between" mb="md">
        <Title id="templates-title" order={1} size="h2">
          {t('templates.title')}
        </Title>
        {role !== undefined && allows(role, 'templates.write') && (
          <Button component={Link} to="/templates/new">
            {t('templates.new')}
          </Button>
        )}
      </Group>
      {templates.isError && <Alert color="red">{errorSentence(templates.error, t)}</Alert>}
      {templates.isSuccess && rows.length === 0 && <Text>{t('templates.empty')}</Text>}
      {rows.length > 0 && (
        <TableBox label={t('templates.title')}>
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('templates.id')}</Table.Th>
                <Table.Th scope="col">{t('templates.kind')}</Table.Th>
                <Table.Th scope="col">{t('templates.languages')}</Table.Th>
                <Table.Th scope="col">{t('templates.saved')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row) => (
                <Table.Tr key={row.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/templates/${encodeURIComponent(row.id)}`}>
                      {row.id}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{row.kind === null ? '' : t(`templates.kinds.${row.kind === 'service' ? 'service' : 'marketing'}`)}</Table.Td>
                  <Table.Td>{row.locales.map((l) => l.toUpperCase()).join(', ')}</Table.Td>
                  <Table.Td>{formatDateTime(row.createdAt, i18n.language)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </TableBox>
      )}
      {templates.hasNextPage && (
        <Button variant="default" mt="md" loading={templates.isFetchingNextPage} onClick={() => void templates.fetchNextPage()}>
          {t('templates.more')}
        </Button>
      )}
    </section>
  );
}
