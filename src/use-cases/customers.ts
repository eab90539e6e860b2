/**
 * Use cases: create, read, change and search customer records. Contact details are brought to their
 * canonical form here (core/addresses.ts: e-mail lowercased with an IDNA ASCII domain, phones to
 * E.164, address text in NFC) so that a suppression or a search matches however they were typed;
 * an invalid one is refused naming the field, and nothing is written.
 */
import { cleanText } from '../core/address-text.ts';
import { requireEmail, requirePhone } from '../core/contact-fields.ts';
import { DomainError } from '../core/errors.ts';
import { isWholeName, searchWords } from '../core/name-words.ts';
import type { AuditEntry, AuditLog, CustomerSearch, CustomerStore } from '../core/ports.ts';
import type { Customer, CustomerId, Instant, PostalAddress } from '../core/records.ts';
import type { CustomerKind } from '../core/vocabulary.ts';

export interface CustomerDeps {
  customers: CustomerStore;
  now: () => Instant;
}

/** Contacts as a caller sends them: `email` (one) and/or `emails` (several); the single one comes first. */
export interface ContactInput {
  email?: string;
  emails?: string[];
  phone?: string;
  phones?: string[];
}

export interface NewCustomerInput extends ContactInput {
  id: string;
  kind: CustomerKind;
  name: string;
  address?: PostalAddress | null;
  locale?: string | null;
}

/** A change: fields left out stay as they are; sending e-mails (or phones) replaces the whole list. */
export interface CustomerChanges extends ContactInput {
  name?: string;
  address?: PostalAddress | null;
  locale?: string | null;
}

/**
 * The criteria as a caller sends them: `name` is any words of the name, each matching the start of
 * a word of it, in any order, case and diacritics folded ("virt aino" finds "Aino Virtanen",
 * "makinen" finds "Mäkinen"). The use case folds the name and normalises e-mail and phone.
 */
export type CustomerSearchInput = Omit<CustomerSearch, 'nameWords'> & { name?: string };

export const MAX_SEARCH_LIMIT = 100;

export async function createCustomer(deps: CustomerDeps, input: NewCustomerInput): Promise<Customer> {
  const id = input.id.trim();
  if (id === '') throw new DomainError('VALIDATION_FAILED', 'id must not be empty', { field: 'id' });
  const at = deps.now();
  const customer: Customer = {
    id: asCustomerId(id),
    kind: input.kind,
    name: requireName(input.name),
    emails: contactList(input.email, input.emails, requireEmail, 'email') ?? [],
    phones: contactList(input.phone, input.phones, requirePhone, 'phone') ?? [],
    address: input.address === undefined || input.address === null ? null : requireAddress(input.address),
    locale: input.locale ?? null,
    createdAt: at,
    updatedAt: at,
  };
  await deps.customers.insertCustomer(customer);
  return customer;
}

export async function getCustomer(deps: Pick<CustomerDeps, 'customers'>, input: { id: string }): Promise<Customer> {
  const customer = await deps.customers.getCustomer(asCustomerId(input.id));
  if (customer === null) throw new DomainError('UNKNOWN_CUSTOMER', `no customer with id ${input.id}`, { field: 'id' });
  return customer;
}

/** Applies the changes; returns the stored customer and the names of the fields that really changed. */
export async function updateCustomer(
  deps: CustomerDeps,
  input: { id: string; changes: CustomerChanges },
): Promise<{ customer: Customer; changed: string[] }> {
  const before = await getCustomer(deps, input);
  const c = input.changes;
  // Everything is validated before anything is written.
  const after: Customer = {
    ...before,
    name: c.name === undefined ? before.name : requireName(c.name),
    emails: contactList(c.email, c.emails, requireEmail, 'email') ?? before.emails,
    phones: contactList(c.phone, c.phones, requirePhone, 'phone') ?? before.phones,
    address: c.address === undefined ? before.address : c.address === null ? null : requireAddress(c.address),
    locale: c.locale === undefined ? before.locale : c.locale,
  };
  const changed = (['name', 'emails', 'phones', 'address', 'locale'] as const).filter(
    (field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]),
  );
  if (changed.length === 0) return { customer: before, changed: [] };
  const customer = { ...after, updatedAt: deps.now() };
  await deps.customers.updateCustomer(customer);
  return { customer, changed };
}

/**
 * Keyset-paged search. At least one criterion is required: the API finds people, it does not list
 * the register (exports are their own, audited, use case). `next` is the `after` for the next page.
 */
export async function searchCustomers(
  deps: Pick<CustomerDeps, 'customers'>,
  input: CustomerSearchInput,
): Promise<{ customers: Customer[]; next: string | null }> {
  const name = input.name?.trim();
  const words = name === undefined || name === '' ? [] : searchWords(name);
  // A name search must narrow: punctuation or one letter would list (nearly) every customer.
  if (name !== undefined && name !== '' && (words[0]?.length ?? 0) < 2) {
    throw new DomainError('VALIDATION_FAILED', 'name must have a word of at least two letters or digits to search by', { field: 'name' });
  }
  const id = input.id?.trim();
  const criteria = {
    ...(words.length === 0 ? {} : { nameWords: words }),
    ...(id === undefined || id === '' ? {} : { id }),
    ...(input.email === undefined ? {} : { email: requireEmail(input.email, 'email') }),
    ...(input.phone === undefined ? {} : { phone: requirePhone(input.phone, 'phone') }),
    ...(input.postalCode === undefined ? {} : { postalCode: cleanText(input.postalCode) }),
  };
  if (Object.keys(criteria).length === 0) {
    // No single field is wrong here, so none is named.
    throw new DomainError('VALIDATION_FAILED', 'give at least one of name, id, email, phone, postalCode');
  }
  if (!Number.isInteger(input.limit) || input.limit < 1 || input.limit > MAX_SEARCH_LIMIT) {
    throw new DomainError('VALIDATION_FAILED', `limit must be 1–${MAX_SEARCH_LIMIT}`, { field: 'limit' });
  }
  if (words.length === 0) {
    const customers = await deps.customers.searchCustomers({ ...criteria, limit: input.limit, ...(input.after === undefined ? {} : { after: input.after }) });
    const last = customers[customers.length - 1];
    return { customers, next: customers.length === input.limit && last !== undefined ? last.id : null };
  }
  // Whoever's whole name was typed comes first, on the first page; the other pages leave them out.
  const candidates = await deps.customers.searchCustomers({ ...criteria, wholeNameWords: true, limit: MAX_SEARCH_LIMIT });
  const exact = candidates.filter((c) => isWholeName(c.name, name ?? ''));
  const exactIds = new Set(exact.map((c) => c.id));
  const limit = input.limit + exact.length;
  const fetched = await deps.customers.searchCustomers({ ...criteria, limit, ...(input.after === undefined ? {} : { after: input.after }) });
  const others = fetched.filter((c) => !exactIds.has(c.id));
  // A first page holds at least one other customer, so that its `next` can say where the others go on.
  const kept = others.slice(0, input.after === undefined ? Math.max(1, input.limit - exact.length) : input.limit);
  const last = kept[kept.length - 1];
  const more = fetched.length === limit || others.length > kept.length;
  return { customers: [...(input.after === undefined ? exact : []), ...kept], next: more && last !== undefined ? last.id : null };
}

/**
 * Who read or changed the customer's data, oldest first. The trail outlives the record (after an
 * erasure it is what remains), so UNKNOWN_CUSTOMER only when there is neither.
 */
export async function customerAuditTrail(deps: { customers: CustomerStore; audit: AuditLog }, input: { id: string }): Promise<AuditEntry[]> {
  const entries = await deps.audit.forCustomer(asCustomerId(input.id));
  if (entries.length === 0) await getCustomer(deps, input);
  return entries;
}

/** Ids arrive as text from every edge; this is the one place they become `CustomerId`. */
function asCustomerId(id: string): CustomerId {
  return id as CustomerId;
}

function requireName(raw: string): string {
  const name = raw.trim();
  if (name === '') throw new DomainError('VALIDATION_FAILED', 'name must not be empty', { field: 'name' });
  return name;
}

function requireAddress(a: PostalAddress): PostalAddress {
  const address = { street: cleanText(a.street), postalCode: cleanText(a.postalCode), city: cleanText(a.city), country: cleanText(a.country).toUpperCase() };
  for (const key of ['street', 'postalCode', 'city', 'country'] as const) {
    if (address[key] === '') throw new DomainError('VALIDATION_FAILED', `address.${key} must not be empty`, { field: `address.${key}` });
  }
  return address;
}

/** The canonical list without repeats, or undefined when neither form was sent (so a change leaves the list alone). */
function contactList(
  single: string | undefined,
  list: string[] | undefined,
  canonical: (raw: unknown, field: string) => string,
  field: string,
): string[] | undefined {
  if (single === undefined && list === undefined) return undefined;
  const out: string[] = [];
  const add = (raw: string, name: string): void => {
    const value = canonical(raw, name);
    if (!out.includes(value)) out.push(value);
  };
  if (single !== undefined) add(single, field);
  (list ?? []).forEach((raw, i) => add(raw, `${field}s.${i}`));
  return out;
}
