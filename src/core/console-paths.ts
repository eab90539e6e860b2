/**
 * The console's screens by path: the server answers each with the console's page (so a screen can
 * be reloaded, bookmarked and linked), and the console's router must give each a screen — its
 * route table is typed by this list, so a screen added on one side only does not compile.
 */
export const CONSOLE_PATHS = [
  '/',
  '/sign-in',
  '/set-password',
  '/campaigns',
  '/campaigns/:id',
  '/audiences',
  '/customers',
  '/customers/:id',
  '/templates',
  '/templates/:id',
  '/segments',
  '/segments/:id',
  '/models',
  '/offers',
  '/ad-audiences',
  '/ad-audiences/:id',
  '/advertisers',
  '/remarketing',
  '/site-ads',
  '/decisions',
  '/audit',
  '/ledger',
  '/suppressions',
  '/tickets',
  '/tickets/:id',
  '/feedback',
  '/call-lists',
  '/admin/users',
  '/admin/keys',
  '/admin/settings',
] as const;

export type ConsolePath = (typeof CONSOLE_PATHS)[number];
