/** The sign-in page: e-mail and password, errors in the person's language next to the form. */
import { Alert, Button, Center, Paper, Stack, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { api, rememberCsrfToken, unwrap } from '../api/client.ts';
import { errorSentence } from '../api/errors.ts';
import { LanguagePicker } from '../layout/LanguagePicker.tsx';
import { SESSION_KEY } from './session.ts';

export function SignInPage() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [working, setWorking] = useState(false);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setWorking(true);
    setError(null);
    try {
      const session = await unwrap(api.POST('/v1/session', { body: { email, password } }));
      rememberCsrfToken(session.csrfToken);
      client.setQueryData(SESSION_KEY, { ...session, signedIn: true as const });
      const from = (location.state as { from?: string } | null)?.from;
      void navigate(from ?? '/', { replace: true });
    } catch (err) {
      setError(errorSentence(err, t));
      setPassword('');
    } finally {
      setWorking(false);
    }
  };

  return (
    <Center component="main" mih="100vh" p="md">
      <Paper withBorder p="xl" w={380} maw="100%">
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Stack>
            <Title order={1} size="h3">
              {t('signIn.title')}
            </Title>
            {error !== null && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <TextInput label={t('signIn.email')} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
            {/* A plain password field: the component library's visibility toggle would be a second control named after "Password". */}
            <TextInput label={t('signIn.password')} type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
            <Button type="submit" loading={working}>
              {t('signIn.submit')}
            </Button>
            <LanguagePicker />
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
