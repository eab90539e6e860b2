/**
 * A console section's heading (the page's h1, named by `id` for its section's aria-labelledby), its
 * introduction, and the sentence of whatever read or action failed, in the person's language.
 */
import { Alert, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { errorSentence } from '../api/errors.ts';

export function SectionHeader({ id, title, intro, error }: { id: string; title: string; intro: string; error: Error | null }) {
  const { t } = useTranslation();
  return (
    <>
      <Title id={id} order={1} size="h2" mb="xs">
        {title}
      </Title>
      <Text mb="md">{intro}</Text>
      {error !== null && (
        <Alert color="red" mb="md" role="alert">
          {errorSentence(error, t)}
        </Alert>
      )}
    </>
  );
}
