/**
 * The audit trail of reads and changes of one customer's personal data through an API key.
 * The entry is written before the reply is sent: if it cannot be written, the data is not served.
 * `detail` says what was done (field names, purpose, sequence numbers), never the data itself.
 */
import type { FastifyRequest } from 'fastify';
import type { App } from '../composition-root.ts';
import { actorOf } from './auth.ts';

export type AuditDetail = Record<string, string | number | boolean | null | string[]>;

export async function auditCustomers(
  app: App,
  req: FastifyRequest,
  action: string,
  customerIds: readonly string[],
  detail: AuditDetail = {},
): Promise<void> {
  await auditEntries(app, req, action, customerIds.map((customerId) => ({ customerId, detail })));
}

/**
 * Entries that may not belong to a known customer (a message in the development
 * inbox): one entry each, with the customer when known, else with none.
 */
export async function auditEntries(
  app: App,
  req: FastifyRequest,
  action: string,
  reads: readonly { customerId: string | null; detail: AuditDetail }[],
): Promise<void> {
  const actor = actorOf(req);
  const at = app.now();
  await Promise.all(reads.map(({ customerId, detail }) => app.stores.audit.record({ at, actor: actor.id, role: actor.role, action, customerId, detail })));
}
