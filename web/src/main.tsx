/** The console's entry: providers (theme, data cache, languages) and the routes. */
import '@mantine/core/styles.css';
import './layout/console.css';
import { MantineProvider, createTheme, type CSSVariablesResolver } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { ApiKeysPage } from './admin/ApiKeysPage.tsx';
import { SettingsPage } from './admin/SettingsPage.tsx';
import { UsersPage } from './admin/UsersPage.tsx';
import { AudiencesPage } from './audiences/AudiencesPage.tsx';
import { CampaignPage } from './campaigns/CampaignPage.tsx';
import { CampaignsPage } from './campaigns/CampaignsPage.tsx';
import { CustomerPage } from './customers/CustomerPage.tsx';
import { CustomersPage } from './customers/CustomersPage.tsx';
import { TemplateEditorPage } from './templates/TemplateEditorPage.tsx';
import { TemplatesPage } from './templates/TemplatesPage.tsx';
import { SegmentEditorPage } from './segments/SegmentEditorPage.tsx';
import { SegmentsPage } from './segments/SegmentsPage.tsx';
import { AuditPage } from './dpo/AuditPage.tsx';
import { SuppressionsPage } from './suppressions/SuppressionsPage.tsx';
import { DecisionsPage } from './dpo/DecisionsPage.tsx';
import { LedgerPage } from './dpo/LedgerPage.tsx';
import { NewCampaignPage } from './campaigns/NewCampaignPage.tsx';
import { ModelsPage } from './predictions/ModelsPage.tsx';
import { startI18n } from './i18n/index.ts';
import { ConsoleLayout, HomePage } from './layout/ConsoleLayout.tsx';
import { SetPasswordPage } from './session/SetPasswordPage.tsx';
import { SignInPage } from './session/SignInPage.tsx';

startI18n();

// Shade 8 of every colour for text, links and badges: shade 6 (the default) is below WCAG AA's 4.5:1 on white.
const theme = createTheme({ primaryColor: 'indigo', primaryShade: { light: 8, dark: 4 }, autoContrast: true, defaultRadius: 'sm', fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' });
/** The library's "dimmed" grey (#868e96, 3.3:1 on white) is too faint for WCAG AA: gray 7 is 7.5:1. */
const readableGreys: CSSVariablesResolver = () => ({ variables: {}, light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' }, dark: {} });
const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, retry: 1, refetchOnWindowFocus: false } } });

const router = createBrowserRouter([
  { path: '/sign-in', element: <SignInPage /> },
  { path: '/set-password', element: <SetPasswordPage /> },
  {
    element: <ConsoleLayout />,
    children: [
      { path: '/', element: <HomePage /> },
      { path: '/campaigns', element: <CampaignsPage /> },
      { path: '/campaigns/new', element: <NewCampaignPage /> },
      { path: '/campaigns/:id', element: <CampaignPage /> },
      { path: '/audiences', element: <AudiencesPage /> },
      { path: '/customers', element: <CustomersPage /> },
      { path: '/customers/:id', element: <CustomerPage /> },
      { path: '/templates', element: <TemplatesPage /> },
      { path: '/templates/:id', element: <TemplateEditorPage /> },
      { path: '/segments', element: <SegmentsPage /> },
      { path: '/segments/:id', element: <SegmentEditorPage /> },
      { path: '/admin/users', element: <UsersPage /> },
      { path: '/admin/keys', element: <ApiKeysPage /> },
      { path: '/admin/settings', element: <SettingsPage /> },
      { path: '/decisions', element: <DecisionsPage /> },
      { path: '/audit', element: <AuditPage /> },
      { path: '/ledger', element: <LedgerPage /> },
      { path: '/models', element: <ModelsPage /> },
      { path: '/suppressions', element: <SuppressionsPage /> },
    ],
  },
]);

const root = document.getElementById('root');
if (root === null) throw new Error('no #root element');
createRoot(root).render(
  <StrictMode>
    <MantineProvider theme={theme} cssVariablesResolver={readableGreys}>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
