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
  { path: '/customers', label: 'nav.customers', action: 'customers.search' },
  { path: '/decisions', label: 'dpo.nav.decisions', action: 'decide' },
  { path: '/audit', label: 'dpo.nav.audit', action: 'audit.read' },
  { path: '/ledger', label: 'dpo.nav.ledger', action: 'ledger.read' },
  { path: '/admin/users', label: 'admin.navUsers', action: 'users.manage' },
  { path: '/admin/keys', label: 'admin.navKeys', action: 'api_keys.manage' },
  { path: '/admin/settings', label: 'admin.navSettings', action: 'config.read' },
] as const satisfies readonly { path: string; label: string; action: Action }[];
