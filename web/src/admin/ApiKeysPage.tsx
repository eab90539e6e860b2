/**
 * API keys (admin): keys for programs, with their role; a new key is shown once (only its hash is
 * kept), a key that leaked or is no longer used is revoked at once.
 */
import { Alert, Badge, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import { formatDateTime } from '../i18n/index.ts';
import { TableBox } from '../layout/TableBox.tsx';
import { OneTimeSecret } from './OneTimeSecret.tsx';
import { GOOD, OFF } from './status-colours.ts';
import { ConfirmAction } from './ConfirmAction.tsx';
import { NewWithRoleForm } from './NewWithRoleForm.tsx';
import type { RoleChoice } from './roles.ts';

export function ApiKeysPage() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const keys = useQuery({ queryKey: ['api-keys'], queryFn: () => unwrap(api.GET('/v1/api-keys')) });
  const [shown, setShown] = useState<{ name: string; key: string } | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['api-keys'] });

  const create = useMutation({
    mutationFn: (body: { name: string; role: RoleChoice }) => unwrap(api.POST('/v1/api-keys', { body })),
    onSuccess: async (created) => {
      setShown({ name: created.apiKey.name, key: created.key });
      await refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/v1/api-keys/{id}', { params: { path: { id } } })),
    onSuccess: async () => {
      await refresh();
    },
  });
  const failure = create.error ?? revoke.error;


  return (
    <section aria-labelledby="keys-title">
      <Title id="keys-title" order={1} size="h2" mb="md">
        {t('admin.keys.title')}
      </Title>
      <Text mb="md">{t('admin.keys.intro')}</Text>
      <NewWithRoleForm
        id="keys-new"
        title={t('admin.keys.new')}
        field={{ label: t('admin.keys.name'), hint: t('admin.keys.nameHint'), maxLength: 100 }}
        submitLabel={t('admin.keys.create')}
        initialRole="marketer"
        busy={create.isPending}
        onCreate={async (name, role) => {
          setShown(null);
          return create.mutateAsync({ name, role }).then(() => true, () => false);
        }}
      />
      {failure !== null && (
        <Alert color="red" mt="md" role="alert">
          {errorSentence(failure, t)}
        </Alert>
      )}
      {shown !== null && <OneTimeSecret label={t('admin.keys.shown', { name: shown.name })} hint={t('admin.keys.shownHint')} value={shown.key} />}
      {keys.isError && <Alert color="red" mt="md">{errorSentence(keys.error, t)}</Alert>}
      {keys.data !== undefined && keys.data.apiKeys.length === 0 && <Text mt="md">{t('admin.keys.empty')}</Text>}
      {keys.data !== undefined && keys.data.apiKeys.length > 0 && (
        <TableBox label={t('admin.keys.title')}>
          <Table mt="md" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('admin.keys.name')}</Table.Th>
                <Table.Th scope="col">{t('admin.role')}</Table.Th>
                <Table.Th scope="col">{t('admin.keys.id')}</Table.Th>
                <Table.Th scope="col">{t('admin.created')}</Table.Th>
                <Table.Th scope="col">{t('admin.state')}</Table.Th>
                <Table.Th scope="col">{t('admin.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {keys.data.apiKeys.map((k) => (
                <Table.Tr key={k.id}>
                  <Table.Td>{k.name}</Table.Td>
                  <Table.Td>{t(`roles.${k.role}`)}</Table.Td>
                  <Table.Td>
                    <code>{k.id}</code>
                  </Table.Td>
                  <Table.Td>{formatDateTime(k.createdAt, i18n.language)}</Table.Td>
                  <Table.Td>
                    <Badge variant="outline" color={k.revokedAt === null ? GOOD : OFF}>
                      {k.revokedAt === null ? t('admin.keys.active') : t('admin.keys.revoked', { at: formatDateTime(k.revokedAt, i18n.language) })}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {k.revokedAt === null && (
                      <ConfirmAction
                        label={t('admin.keys.revoke')}
                        ariaLabel={t('admin.keys.revokeKey', { name: k.name })}
                        confirmLabel={t('admin.keys.confirmRevoke')}
                        confirmAriaLabel={t('admin.keys.confirmRevokeOf', { name: k.name })}
                        busy={revoke.isPending}
                        onConfirm={() => revoke.mutate(k.id)}
                      />
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </TableBox>
      )}
    </section>
  );
}
