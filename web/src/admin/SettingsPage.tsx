/**
 * The installation (admin): whether its mail can arrive (the `lupa doctor` report, item by item with
 * the fix, and the DNS records to publish) and the configuration in force, secrets masked. Read-only:
 * settings change in the environment (docs/configuration.md).
 */
import { Alert, Badge, Code, List, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import { phrasesText, phraseText } from '../i18n/phrases.ts';
import { TableBox } from '../layout/TableBox.tsx';
import { BAD, GOOD, WARN } from './status-colours.ts';

const STATUS_COLOUR = { ok: GOOD, warning: WARN, blocking: BAD } as const;

export function SettingsPage() {
  const { t } = useTranslation();
  const readiness = useQuery({ queryKey: ['readiness'], queryFn: () => unwrap(api.GET('/v1/admin/readiness')) });
  const config = useQuery({ queryKey: ['config'], queryFn: () => unwrap(api.GET('/v1/admin/config')) });
  return (
    <>
      <section aria-labelledby="readiness-title">
        <Title id="readiness-title" order={1} size="h2" mb="md">
          {t('admin.settings.readiness')}
        </Title>
        {readiness.isError && <Alert color="red">{errorSentence(readiness.error, t)}</Alert>}
        {readiness.data !== undefined && (
          <>
            <Alert color={readiness.data.blocking ? 'red' : readiness.data.development ? 'blue' : 'green'} mb="md">
              {t(readiness.data.blocking ? 'admin.settings.blocking' : readiness.data.development ? 'admin.settings.development' : 'admin.settings.ready', { relay: readiness.data.relay })}
            </Alert>
            <List spacing="xs" listStyleType="none" pl={0}>
              {readiness.data.items.map((item) => (
                <List.Item key={item.id}>
                  <Badge variant="outline" color={STATUS_COLOUR[item.status]} mr="xs">
                    {t(`admin.settings.status.${item.status}`)}
                  </Badge>
                  <Text span>{phrasesText(t, item.says.summary, item.summary)}</Text>
                  {item.fix !== undefined && (
                    <Text size="sm" c="dimmed">
                      {t('admin.settings.fix', { fix: item.says.fix === undefined ? item.fix : phraseText(t, item.says.fix, item.fix) })}
                    </Text>
                  )}
                </List.Item>
              ))}
            </List>
            {readiness.data.records.length > 0 && (
              <>
                <Title order={2} size="h4" mt="lg" mb="xs">
                  {t('admin.settings.dns')}
                </Title>
                <TableBox label={t('admin.settings.dns')}>
                  <Table striped>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th scope="col">{t('admin.settings.dnsName')}</Table.Th>
                        <Table.Th scope="col">{t('admin.settings.dnsType')}</Table.Th>
                        <Table.Th scope="col">{t('admin.settings.dnsValue')}</Table.Th>
                        <Table.Th scope="col">{t('admin.settings.dnsPurpose')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {readiness.data.records.map((r) => (
                        <Table.Tr key={`${r.name} ${r.type} ${r.value}`}>
                          <Table.Td>
                            <Code>{r.name}</Code>
                          </Table.Td>
                          <Table.Td>{r.type}</Table.Td>
                          <Table.Td className="lupa-break-anywhere">
                            <Code>{r.value}</Code>
                          </Table.Td>
                          <Table.Td>{r.purpose}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </TableBox>
              </>
            )}
          </>
        )}
      </section>
      <section aria-labelledby="config-title">
        <Title id="config-title" order={2} size="h3" mt="xl" mb="xs">
          {t('admin.settings.config')}
        </Title>
        <Text mb="md">{t('admin.settings.configIntro')}</Text>
        {config.isError && <Alert color="red">{errorSentence(config.error, t)}</Alert>}
        {config.data !== undefined && (
          <TableBox label={t('admin.settings.config')}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('admin.settings.setting')}</Table.Th>
                  <Table.Th scope="col">{t('admin.settings.value')}</Table.Th>
                  <Table.Th scope="col">{t('admin.settings.source')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {config.data.settings.map((s) => (
                  <Table.Tr key={s.name}>
                    <Table.Td>
                      <Code>{s.name}</Code>
                    </Table.Td>
                    <Table.Td className="lupa-break-anywhere">
                      {s.secret ? <em>{t(s.source === 'set' ? 'admin.settings.secretSet' : 'admin.settings.secretUnset')}</em> : s.value === null ? <em>{t('admin.settings.unset')}</em> : <Code>{s.value}</Code>}
                    </Table.Td>
                    <Table.Td>{t(s.source === 'set' ? 'admin.settings.sourceSet' : 'admin.settings.sourceDefault')}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </TableBox>
        )}
      </section>
    </>
  );
}
