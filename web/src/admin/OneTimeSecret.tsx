/**
 * A value shown once (a new API key, a set-password link): read-only, selected on focus, with a copy
 * button, and a hint that it will not be shown again. Announced to screen readers when it appears.
 */
import { Alert, Button, CopyButton, Group, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { GOOD } from './status-colours.ts';

export function OneTimeSecret({ label, hint, value }: { label: string; hint: string; value: string }) {
  const { t } = useTranslation();
  return (
    <Alert variant="outline" color={GOOD} mt="md" role="status" title={label}>
      <Group align="end" wrap="wrap">
        <TextInput readOnly label={label} value={value} onFocus={(e) => e.currentTarget.select()} style={{ flex: '1 1 20rem' }} />
        <CopyButton value={value}>
          {({ copied, copy }) => (
            <Button variant="default" onClick={copy}>
              {copied ? t('admin.copied') : t('admin.copy')}
            </Button>
          )}
        </CopyButton>
      </Group>
      {hint}
    </Alert>
  );
}
