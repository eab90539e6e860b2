/** The admin screens' "new X with a role" form: one text field (an e-mail, a key's name) and the role. */
import { Button, Group, NativeSelect, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLE_CHOICES, type RoleChoice } from './roles.ts';

export interface NewWithRoleFormProps {
  id: string;
  title: string;
  field: { label: string; type?: 'email' | 'text'; hint?: string; maxLength?: number };
  submitLabel: string;
  initialRole: RoleChoice;
  busy: boolean;
  /** Called with the trimmed text and the role; the field is emptied when it resolves true. */
  onCreate: (text: string, role: RoleChoice) => Promise<boolean>;
}

export function NewWithRoleForm({ id, title, field, submitLabel, initialRole, busy, onCreate }: NewWithRoleFormProps) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [role, setRole] = useState<RoleChoice>(initialRole);
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    void onCreate(text.trim(), role).then((done) => done && setText(''));
  };
  return (
    <form onSubmit={submit} aria-labelledby={id}>
      <Title id={id} order={2} size="h4" mb="xs">
        {title}
      </Title>
      <Group align="end" wrap="wrap">
        <TextInput required type={field.type ?? 'text'} maxLength={field.maxLength} label={field.label} description={field.hint} value={text} onChange={(e) => setText(e.currentTarget.value)} />
        <NativeSelect label={t('admin.role')} value={role} onChange={(e) => setRole(e.currentTarget.value as RoleChoice)} data={ROLE_CHOICES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
        <Button type="submit" loading={busy}>
          {submitLabel}
        </Button>
      </Group>
    </form>
  );
}
