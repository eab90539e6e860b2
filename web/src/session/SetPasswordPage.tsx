/** `/set-password#token=…`: the person sets their password with the one-time link an admin gave them. */
import { Alert, Anchor, Button, Center, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';

export function SetPasswordPage() {
  const { t } = useTranslation();
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (token === null) return;
    if (password !== repeat) {
      setError(t('setPassword.mismatch'));
      return;
    }
    try {
      await unwrap(api.POST('/v1/password-links', { body: { token, password } }));
      setDone(true);
      setError(null);
    } catch (err) {
      setError(errorSentence(err, t));
    }
  };

  return (
    <Center component="main" mih="100vh" p="md">
      <Paper withBorder p="xl" w={420} maw="100%">
        <Stack>
          <Title order={1} size="h3">
            {t('setPassword.title')}
          </Title>
          {token === null && <Alert color="red">{t('setPassword.noToken')}</Alert>}
          {error !== null && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          {done ? (
            <Text>
              {t('setPassword.done')}{' '}
              <Anchor component={Link} to="/sign-in">
                {t('signIn.submit')}
              </Anchor>
            </Text>
          ) : (
            <form onSubmit={(e) => void submit(e)} noValidate>
              <Stack>
                <PasswordInput label={t('setPassword.password')} description={t('setPassword.hint')} autoComplete="new-password" value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
                <PasswordInput label={t('setPassword.repeat')} autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.currentTarget.value)} />
                <Button type="submit" disabled={token === null}>
                  {t('setPassword.submit')}
                </Button>
              </Stack>
            </form>
          )}
        </Stack>
      </Paper>
    </Center>
  );
}
