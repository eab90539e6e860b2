/** Customer records: create, read, change, search, and the customer's audit trail. */
import { z } from 'zod';
import type { App } from '../../composition-root.ts';
import { CUSTOMER_KINDS } from '../../core/vocabulary.ts';
import { createCustomer, customerAuditTrail, getCustomer, MAX_SEARCH_LIMIT, searchCustomers, updateCustomer } from '../../use-cases/customers.ts';
import { auditCustomers } from '../audit.ts';
import { requirePermission, rolesNote } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import { AddressSchema, AuditEntrySchema, cursor, CustomerIdParams, CustomerIdSchema, CustomerSchema, LocaleSchema } from '../schemas.ts';
import type { ZodServer } from '../zod-provider.ts';

const name = z.string().trim().min(1).max(200);
const contact = z.string().max(320);

const contactFields = {
  email: contact.optional().meta({ description: 'Primary e-mail; put first in the list' }),
  emails: z.array(contact).max(20).optional(),
  phone: contact.optional().meta({ description: 'Primary phone; numbers without a country code are Finnish' }),
  phones: z.array(contact).max(20).optional(),
  address: AddressSchema.nullable().optional(),
  locale: LocaleSchema.nullable().optional(),
};

const CreateCustomerBody = z.strictObject({ id: CustomerIdSchema, kind: z.enum(CUSTOMER_KINDS), name, ...contactFields });

const UpdateCustomerBody = z
  .strictObject({ name: name.optional(), ...contactFields })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'send at least one field to change')
  .meta({ description: 'Fields left out stay as they are. Sending email/emails (or phone/phones) replaces the whole list; null clears address or locale.' });

const SearchQuery = z.strictObject({
  name: z
    .string()
    .max(200)
    .optional()
    .meta({
      description:
        'Words of the name in any order, each the start of a word of it (surname, first name, company name); ' +
        'case and diacritics do not matter ("virt aino" finds Aino Virtanen, "makinen" finds Mäkinen)',
      example: 'virtanen aino',
    }),
  id: CustomerIdSchema.optional(),
  email: contact.optional(),
  phone: contact.optional(),
  postalCode: z.string().max(12).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_SEARCH_LIMIT).default(20),
  after: cursor(CustomerIdSchema),
});

const SearchResult = z.object({ customers: z.array(CustomerSchema), next: z.string().nullable() });
const AuditTrail = z.object({ customerId: z.string(), entries: z.array(AuditEntrySchema) });

/** Names of the fields sent, for the audit detail: which fields were touched, never their values. */
function sentFields(body: Record<string, unknown>): string[] {
  return Object.keys(body).filter((k) => body[k] !== undefined);
}

export function customerRoutes(server: ZodServer, app: App): void {
  const deps = { customers: app.stores.customers, now: app.now };
  const tags = ['customers'];

  server.post(
    '/v1/customers',
    {
      onRequest: requirePermission(app, 'customers.write'),
      schema: {
        tags,
        summary: 'Create a customer',
        description: `Same fields as the import record. E-mails and phones are normalised. ${rolesNote('customers.write')}`,
        body: CreateCustomerBody,
        response: { 201: CustomerSchema, ...errorResponses(['VALIDATION_FAILED', 'CUSTOMER_EXISTS']) },
      },
    },
    async (req, reply) => {
      const customer = await createCustomer(deps, req.body);
      await auditCustomers(app, req, 'customers.create', [customer.id], { fields: sentFields(req.body) });
      return reply.code(201).send(customer);
    },
  );

  server.get(
    '/v1/customers/:id',
    {
      onRequest: requirePermission(app, 'customers.read'),
      schema: {
        tags,
        summary: 'Read a customer',
        description: `Audited. ${rolesNote('customers.read')}`,
        params: CustomerIdParams,
        response: { 200: CustomerSchema, ...errorResponses(['VALIDATION_FAILED', 'UNKNOWN_CUSTOMER']) },
      },
    },
    async (req) => {
      const customer = await getCustomer(deps, { id: req.params.id });
      await auditCustomers(app, req, 'customers.read', [customer.id]);
      return customer;
    },
  );

  server.patch(
    '/v1/customers/:id',
    {
      onRequest: requirePermission(app, 'customers.write'),
      schema: {
        tags,
        summary: 'Change a customer',
        description: `Name, contacts, address, locale. Audited with the names of the changed fields. ${rolesNote('customers.write')}`,
        params: CustomerIdParams,
        body: UpdateCustomerBody,
        response: { 200: CustomerSchema, ...errorResponses(['VALIDATION_FAILED', 'UNKNOWN_CUSTOMER']) },
      },
    },
    async (req) => {
      const { customer, changed } = await updateCustomer(deps, { id: req.params.id, changes: req.body });
      await auditCustomers(app, req, 'customers.update', [customer.id], { changed });
      return customer;
    },
  );

  server.get(
    '/v1/customers',
    {
      onRequest: requirePermission(app, 'customers.search'),
      schema: {
        tags,
        summary: 'Search customers',
        description:
          'At least one of name, id, email, phone, postalCode; customers matching all of them, by id. Keyset paging: pass `next` as `after`. ' +
          `Every customer returned is audited as read. ${rolesNote('customers.search')}`,
        querystring: SearchQuery,
        response: { 200: SearchResult, ...errorResponses(['VALIDATION_FAILED']) },
      },
    },
    async (req) => {
      const result = await searchCustomers(deps, req.query);
      const { limit: _limit, after: _after, ...criteria } = req.query;
      await auditCustomers(app, req, 'customers.search', result.customers.map((c) => c.id), { criteria: sentFields(criteria) });
      return result;
    },
  );

  server.get(
    '/v1/customers/:id/audit',
    {
      onRequest: requirePermission(app, 'audit.read'),
      schema: {
        tags,
        summary: "A customer's audit trail",
        description: `Who read or changed this customer's data through the API, oldest first. ${rolesNote('audit.read')}`,
        params: CustomerIdParams,
        response: { 200: AuditTrail, ...errorResponses(['VALIDATION_FAILED', 'UNKNOWN_CUSTOMER']) },
      },
    },
    async (req) => {
      const entries = await customerAuditTrail({ ...deps, audit: app.stores.audit }, { id: req.params.id });
      await auditCustomers(app, req, 'audit.read', [req.params.id]);
      return { customerId: req.params.id, entries };
    },
  );
}
