/**
 * Console users (admin): who may sign in, with which role; a new user gets a one-time link to set the
 * password (shown here once, to hand over), a user who left is disabled (sessions end at once).
 */
import { Alert, Badge, Button, Group, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import { formatDateTime } from '../i18n/index.ts';
import { TableBox } from '../layout/TableBox.tsx';
import { useSession } from '../session/session.ts';
import { OneTimeSecret } from './OneTimeSecret.tsx';
import { GOOD, OFF, WARN } from './status-colours.ts';
import { ConfirmAction } from './ConfirmAction.tsx';
import { NewWithRoleForm } from './NewWithRoleForm.tsx';
import type { RoleChoice } from './roles.ts';

export function UsersPage() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const me = useSession().data?.user.id;
  const users = useQuery({ queryKey: ['users'], queryFn: () => unwrap(api.GET('/v1/users')) });
  const [link, setLink] = useState<{ email: string; url: string } | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['users'] });

  const create = useMutation({
    mutationFn: (body: { email: string; role: RoleChoice }) => unwrap(api.POST('/v1/users', { body })),
    onSuccess: async (created) => {
      setLink({ email: created.user.email, url: created.passwordLink });
      await refresh();
    },
  });
  const newLink = useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/v1/users/{id}/password-link', { params: { path: { id } } })),
    onSuccess: (issued) => setLink({ email: issued.user.email, url: issued.passwordLink }),
  });
  const disable = useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/v1/users/{id}/disable', { params: { path: { id } } })),
    onSuccess: async () => {
      await refresh();
    },
  });
  const failure = create.error ?? newLink.error ?? disable.error;


  return (
    <section aria-labelledby="users-title">
      <Title id="users-title" order={1} size="h2" mb="md">
        {t('admin.users.title')}
      </Title>
      <NewWithRoleForm
        id="users-new"
        title={t('admin.users.new')}
        field={{ label: t('admin.users.email'), type: 'email' }}
        submitLabel={t('admin.users.create')}
        initialRole="agent"
        busy={create.isPending}
        onCreate={async (email, role) => {
          setLink(null);
          return create.mutateAsync({ email, role }).then(() => true, () => false);
        }}
      />
      {failure !== null && (
        <Alert color="red" mt="md" role="alert">
          {errorSentence(failure, t)}
        </Alert>
      )}
      {link !== null && <OneTimeSecret label={t('admin.users.link', { email: link.email })} hint={t('admin.users.linkHint')} value={link.url} />}
      {users.isError && <Alert color="red" mt="md">{errorSentence(users.error, t)}</Alert>}
      {users.data !== undefined && (
        <TableBox label={t('admin.users.title')}>
          <Table mt="md" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('admin.users.email')}</Table.Th>
                <Table.Th scope="col">{t('admin.role')}</Table.Th>
                <Table.Th scope="col">{t('admin.created')}</Table.Th>
                <Table.Th scope="col">{t('admin.state')}</Table.Th>
                <Table.Th scope="col">{t('admin.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {users.data.users.map((u) => (
                <Table.Tr key={u.id}>
                  <Table.Td>{u.email}</Table.Td>
                  <Table.Td>{t(`roles.${u.role}`)}</Table.Td>
                  <Table.Td>{formatDateTime(u.createdAt, i18n.language)}</Table.Td>
                  <Table.Td>
                    <Badge variant="outline" color={u.disabledAt !== null ? OFF : u.hasPassword ? GOOD : WARN}>
                      {t(u.disabledAt !== null ? 'admin.users.disabled' : u.hasPassword ? 'admin.users.active' : 'admin.users.noPassword')}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {u.disabledAt === null && (
                      <Group gap="xs" wrap="nowrap">
                        <Button size="xs" variant="default" onClick={() => newLink.mutate(u.id)} aria-label={t('admin.users.newLinkFor', { email: u.email })}>
                          {t('admin.users.newLink')}
                        </Button>
                        {u.id !== me && (
                          <ConfirmAction
                            label={t('admin.users.disable')}
                            ariaLabel={t('admin.users.disableUser', { email: u.email })}
                            confirmLabel={t('admin.users.confirmDisable')}
                            confirmAriaLabel={t('admin.users.confirmDisableOf', { email: u.email })}
                            busy={disable.isPending}
                            onConfirm={() => disable.mutate(u.id)}
                          />
                        )}
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </TableBox>
      )}
      {users.data !== undefined && users.data.users.length === 0 && <Text mt="md">{t('admin.users.empty')}</Text>}
    </section>
  );
}
