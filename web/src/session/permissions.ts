/**
 * What a role may see: the server's own permission table (src/core/access.ts, pure data), so the
 * console shows exactly what the server allows. The server still checks every request.
 */
import { can, type Action, type Role } from '../../../src/core/access.ts';

export type { Role };

export function allows(role: Role, action: Action): boolean {
  return can(role, action);
}

/** The console's sections and the permission each needs; `/` is the dashboard (dashboard/DashboardPage.tsx). */
export const SECTIONS = [
  { path: '/', label: 'dashboard.nav', action: 'campaigns.write' },
  { path: '/campaigns', label: 'nav.campaigns', action: 'campaigns.read' },
  { path: '/audiences', label: 'nav.audiences', action: 'audience' },
  { path: '/templates', label: 'templates.nav', action: 'templates.read' },
  { path: '/segments', label: 'segments.nav', action: 'segments.read' },
  { path: '/customers', label: 'nav.customers', action: 'customers.search' },
  { path: '/tickets', label: 'tickets.nav', action: 'tickets.read' },
  { path: '/feedback', label: 'feedback.nav', action: 'feedback.results' },
  { path: '/call-lists', label: 'callLists.nav', action: 'call_lists.work' },
  { path: '/decisions', label: 'dpo.nav.decisions', action: 'decide' },
  { path: '/audit', label: 'dpo.nav.audit', action: 'audit.read' },
  { path: '/ledger', label: 'dpo.nav.ledger', action: 'ledger.read' },
  { path: '/models', label: 'predictions.nav', action: 'predictions.read' },
  { path: '/offers', label: 'offers.nav', action: 'offers.read' },
  { path: '/ad-audiences', label: 'adAudiences.nav', action: 'ad_audiences.read' },
  { path: '/advertisers', label: 'advertisers.nav', action: 'segments.read' },
  { path: '/remarketing', label: 'remarketing.nav', action: 'remarketing.read' },
  { path: '/site-ads', label: 'siteAds.nav', action: 'site_ads.read' },
  { path: '/suppressions', label: 'suppressions.nav', action: 'suppressions.read' },
  { path: '/admin/users', label: 'admin.navUsers', action: 'users.manage' },
  { path: '/admin/keys', label: 'admin.navKeys', action: 'api_keys.manage' },
  { path: '/admin/settings', label: 'admin.navSettings', action: 'config.read' },
] as const satisfies readonly { path: string; label: string; action: Action }[];

/** Screens inside a section that need more than reading it. */
const WRITING_SCREENS = [
  { path: '/campaigns/new', action: 'campaigns.write' },
  { path: '/templates/new', action: 'templates.write' },
  { path: '/segments/new', action: 'segments.write' },
] as const satisfies readonly { path: string; action: Action }[];

/**
 * What the screen at `pathname` needs: a writing screen's own permission, else its section's (the
 * longest section path it is in); null for `/` (each role has its own first screen there).
 */
export function actionForPath(pathname: string): Action | null {
  const writing = WRITING_SCREENS.find((s) => pathname === s.path);
  if (writing !== undefined) return writing.action;
  const section = SECTIONS.filter((s) => s.path !== '/' && (pathname === s.path || pathname.startsWith(`${s.path}/`))).sort((a, b) => b.path.length - a.path.length)[0];
  return section?.action ?? null;
}
