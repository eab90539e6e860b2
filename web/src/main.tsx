/** The console's entry: providers (theme, data cache, languages) and the routes. */
import '@mantine/core/styles.css';
import './layout/console.css';
import { MantineProvider, createTheme, type CSSVariablesResolver } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode, type ReactElement } from 'react';
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
import { TicketPage } from './tickets/TicketPage.tsx';
import { TicketsPage } from './tickets/TicketsPage.tsx';
import { FeedbackPage } from './feedback/FeedbackPage.tsx';
import { CallListPage } from './calls/CallListPage.tsx';
import { OffersPage } from './offers/OffersPage.tsx';
import { AdAudiencePage } from './ad-audiences/AdAudiencePage.tsx';
import { AdAudiencesPage } from './ad-audiences/AdAudiencesPage.tsx';
import { AdvertiserSegmentsPage } from './advertisers/AdvertiserSegmentsPage.tsx';
import { RemarketingPage } from './remarketing/RemarketingPage.tsx';
import { SiteAdsPage } from './site-ads/SiteAdsPage.tsx';
import type { ConsolePath } from '../../src/core/console-paths.ts';
import { startI18n } from './i18n/index.ts';
import { ConsoleLayout, HomePage } from './layout/ConsoleLayout.tsx';
import { SetPasswordPage } from './session/SetPasswordPage.tsx';
import { SignInPage } from './session/SignInPage.tsx';

startI18n();

// Shade 8 of every colour for text, links and badges: shade 6 (the default) is below WCAG AA's 4.5:1 on white.
const theme = createTheme({ primaryColor: 'indigo', primaryShade: { light: 8, dark: 4 }, autoContrast: true, defaultRadius: 'sm', fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' });
/**
 * The library's "dimmed" grey (#868e96, 3.3:1 on white) is too faint for WCAG AA: gray 7 is 7.5:1.
 * Likewise its error red (red 6, #fa5252, 3.6:1) under a field: red 9 is 5.6:1.
 */
const readableGreys: CSSVariablesResolver = () => ({ variables: {}, light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)', '--mantine-color-error': 'var(--mantine-color-red-9)' }, dark: {} });
const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, retry: 1, refetchOnWindowFocus: false } } });

/** A screen for every path the server answers with the console (src/core/console-paths.ts): a path missing here, or a screen the server would not answer on a reload, does not compile. */
const SCREENS: Record<Exclude<ConsolePath, '/sign-in' | '/set-password'>, ReactElement> = {
  '/': <HomePage />,
  '/campaigns': <CampaignsPage />,
  '/campaigns/:id': <CampaignPage />,
  '/audiences': <AudiencesPage />,
  '/customers': <CustomersPage />,
  '/customers/:id': <CustomerPage />,
  '/templates': <TemplatesPage />,
  '/templates/:id': <TemplateEditorPage />,
  '/segments': <SegmentsPage />,
  '/segments/:id': <SegmentEditorPage />,
  '/models': <ModelsPage />,
  '/offers': <OffersPage />,
  '/ad-audiences': <AdAudiencesPage />,
  '/ad-audiences/:id': <AdAudiencePage />,
  '/advertisers': <AdvertiserSegmentsPage />,
  '/remarketing': <RemarketingPage />,
  '/site-ads': <SiteAdsPage />,
  '/admin/users': <UsersPage />,
  '/admin/keys': <ApiKeysPage />,
  '/admin/settings': <SettingsPage />,
  '/decisions': <DecisionsPage />,
  '/audit': <AuditPage />,
  '/ledger': <LedgerPage />,
  '/suppressions': <SuppressionsPage />,
  '/tickets': <TicketsPage />,
  '/tickets/:id': <TicketPage />,
  '/feedback': <FeedbackPage />,
  '/call-lists': <CallListPage />,
};

const router = createBrowserRouter([
  { path: '/sign-in' satisfies ConsolePath, element: <SignInPage /> },
  { path: '/set-password' satisfies ConsolePath, element: <SetPasswordPage /> },
  {
    element: <ConsoleLayout />,
    children: [
      // More specific than a path of the list, which the server answers it by ('/campaigns/:id').
      { path: '/campaigns/new', element: <NewCampaignPage /> },
      ...Object.entries(SCREENS).map(([path, element]) => ({ path, element })),
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
