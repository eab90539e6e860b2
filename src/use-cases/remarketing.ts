/**
 * Remarketing lists [S20] as people and browsers use them (docs/sites-and-ads.md, "Remarketing
 * lists"): a marketer defines a list (API, `lupa remarketing create`, the console's "Remarketing"
 * screen), `lupa serve` refreshes every list each LUPA_REMARKETING_REFRESH_MINUTES and anyone who
 * manages them on demand, and lupa.js asks which lists its visitor is on.
 */
import { DomainError } from '../core/errors.ts';
import type { Instant } from '../core/records.ts';
import { parseRemarketingList, type RemarketingList, type RemarketingRefresh, type RemarketingStore, type VisitorList } from '../core/remarketing.ts';
import { visitorLedger, type VisitorLedgerDeps } from './ad-server.ts';

export interface RemarketingDeps {
  remarketing: RemarketingStore;
  now: () => Instant;
}

/**
 * Creates a list from a person's input (see parseRemarketingList) and computes its members at once.
 * @throws VALIDATION_FAILED (the field), REMARKETING_LIST_EXISTS
 */
export async function createRemarketingList(deps: RemarketingDeps, input: Record<string, unknown>, by: string): Promise<RemarketingList> {
  const { name, rule } = parseRemarketingList(input);
  const created = await deps.remarketing.create({ name, rule, by, at: deps.now() });
  await deps.remarketing.refresh(created.id, deps.now());
  return (await deps.remarketing.get(created.id)) ?? created;
}

/** @throws NOT_FOUND */
export async function remarketingList(deps: Pick<RemarketingDeps, 'remarketing'>, id: number): Promise<RemarketingList> {
  const list = await deps.remarketing.get(id);
  if (list === null) throw new DomainError('NOT_FOUND', `no remarketing list ${id}`, { field: 'id' });
  return list;
}

/** Recomputes one list's members now. @throws NOT_FOUND */
export function refreshRemarketingList(deps: RemarketingDeps, id: number): Promise<RemarketingRefresh> {
  return deps.remarketing.refresh(id, deps.now());
}

/** Recomputes every list's members now, one statement per list; a failing list does not stop the others. */
export async function refreshAllRemarketingLists(deps: RemarketingDeps, onError: (listId: number, err: unknown) => void = () => undefined): Promise<RemarketingRefresh[]> {
  const done: RemarketingRefresh[] = [];
  for (const list of await deps.remarketing.list()) {
    try {
      done.push(await deps.remarketing.refresh(list.id, deps.now()));
    } catch (err) {
      onError(list.id, err);
    }
  }
  return done;
}

/** @throws NOT_FOUND */
export async function removeRemarketingList(deps: Pick<RemarketingDeps, 'remarketing'>, id: number): Promise<void> {
  if (!(await deps.remarketing.remove(id))) throw new DomainError('NOT_FOUND', `no remarketing list ${id}`, { field: 'id' });
}

/**
 * The browser's question: the lists (id and name) the visitor is on, as last refreshed, for lists
 * of `site` or of every site. Empty without a visitor id (no `site_ads` consent in the browser: no
 * id exists), and empty for a visitor signed in as a customer whose ledger refuses now (the ad
 * server's LEDGER_REFUSALS, or erased), so that a withdrawal or an objection counts at once rather
 * than at the next refresh.
 */
export async function visitorRemarketingLists(deps: VisitorLedgerDeps & Pick<RemarketingDeps, 'remarketing'>, visitorId: string | undefined, site: string | null): Promise<VisitorList[]> {
  if (visitorId === undefined || visitorId === '') return [];
  const lists = await deps.remarketing.listsOfVisitor(visitorId, site);
  // The ledger is read only for a visitor on some list: most visitors cost one indexed read.
  if (lists.length === 0 || (await visitorLedger(deps, visitorId)).refused) return [];
  return lists;
}
