/**
 * A button for a change that cannot be undone (disable a user, revoke a key): the first press asks,
 * the second does it; "Cancel" takes the question back. The accessible names begin with the visible
 * words (WCAG 2.5.3) and name what the change is about.
 */
import { Button, Group } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

export interface ConfirmActionProps {
  label: string;
  ariaLabel: string;
  confirmLabel: string;
  confirmAriaLabel: string;
  busy: boolean;
  onConfirm: () => void;
}

export function ConfirmAction({ label, ariaLabel, confirmLabel, confirmAriaLabel, busy, onConfirm }: ConfirmActionProps) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <Button size="xs" variant="default" onClick={() => setAsking(true)} aria-label={ariaLabel}>
        {label}
      </Button>
    );
  }
  return (
    <Group gap="xs" wrap="nowrap">
      <Button size="xs" color="red" loading={busy} onClick={onConfirm} aria-label={confirmAriaLabel}>
        {confirmLabel}
      </Button>
      <Button size="xs" variant="default" onClick={() => setAsking(false)}>
        {t('admin.cancel')}
      </Button>
    </Group>
  );
}
