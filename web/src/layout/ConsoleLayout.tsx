/**
 * The frame of every signed-in screen: a skip link, the main navigation (a `nav` landmark holding
 * the sections the role may see), the person and the language choice, and the screen in `main`.
 */
import { Alert, Anchor, Box, Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { NavLink, Navigate, Outlet, useLocation } from 'react-router';
import { DashboardPage } from '../dashboard/DashboardPage.tsx';
import { SECTIONS, actionForPath, allows } from '../session/permissions.ts';
import { useSession, useSignOut } from '../session/session.ts';
import { LanguagePicker } from './LanguagePicker.tsx';
import classes from './ConsoleLayout.module.css';

export function ConsoleLayout() {
  const { t } = useTranslation();
  const session = useSession();
  const signOut = useSignOut();
  const location = useLocation();
  if (session.isPending) return null;
  if (session.data === null || session.data === undefined) return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  const user = session.data.user;
  const needed = actionForPath(location.pathname);
  return (
    <>
      <Box component="header" p="xs" className={classes.header}>
        <a href="#content" className={classes.skip}>
          {t('app.skipToContent')}
        </a>
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Group gap="lg" wrap="wrap">
            <Text fw={700}>{t('app.name')}</Text>
            <nav aria-label={t('nav.label')}>
              <Group gap="xs" component="ul" className={classes.navList}>
                {SECTIONS.filter((s) => allows(user.role, s.action)).map((s) => (
                  <li key={s.path}>
                    <Anchor component={NavLink} to={s.path} className={classes.navLink}>
                      {t(s.label)}
                    </Anchor>
                  </li>
                ))}
              </Group>
            </nav>
          </Group>
          <Group gap="sm" wrap="wrap" align="end">
            <Text size="sm">{t('app.signedInAs', { email: user.email, role: t(`roles.${user.role}`) })}</Text>
            <LanguagePicker />
            <Button variant="default" size="xs" onClick={() => void signOut()}>
              {t('app.signOut')}
            </Button>
          </Group>
        </Group>
      </Box>
      <Box component="main" id="content" tabIndex={-1} p="md">
        {needed !== null && !allows(user.role, needed) ? (
          // The server refuses the screen's requests anyway; a form that cannot work is not shown.
          <Alert color="red" role="alert">
            {t('errors.FORBIDDEN')}
          </Alert>
        ) : (
          <Outlet />
        )}
      </Box>
    </>
  );
}

/** `/`: the dashboard for roles that run campaigns, else the first section the role may see. */
export function HomePage() {
  const session = useSession();
  if (session.isPending) return null;
  const role = session.data?.user.role;
  if (role !== undefined && allows(role, 'campaigns.write')) return <DashboardPage />;
  const first = role === undefined ? undefined : SECTIONS.find((s) => s.path !== '/' && allows(role, s.action));
  return <Navigate to={first?.path ?? '/sign-in'} replace />;
}
