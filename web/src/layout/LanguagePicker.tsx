/** The language choice (fi, sv, en), remembered in this browser. */
import { NativeSelect } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { chooseLanguage, LANGUAGE_NAMES, LANGUAGES, type Language } from '../i18n/index.ts';

export function LanguagePicker() {
  const { t, i18n } = useTranslation();
  return (
    <NativeSelect
      label={t('app.language')}
      size="xs"
      value={i18n.language}
      onChange={(e) => chooseLanguage(e.currentTarget.value as Language)}
      data={LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
    />
  );
}
