/**
 * Collects validated records into batches, resolves their references with one query per batch
 * and writes each batch through a BulkWriter in one transaction. Memory is bounded by the batch
 * size plus the ids of customers and products seen in this import.
 */
import { DomainError, type ErrorCode } from '../core/errors.ts';
import type { Instant } from '../core/records.ts';
import { emptyCounts, type BulkBatch, type BulkWriter, type WrittenCounts } from '../storage/bulk/bulk-writer.ts';
import { suppressionFingerprint } from '../storage/fingerprint.ts';
import { customerToRow } from '../storage/sql-customer-store.ts';
import { ledgerToRow } from '../storage/sql-ledger-store.ts';
import type { ParsedRecord, RecordType } from './record-schemas.ts';

export interface ImportRowError {
  line: number;
  field: string | null;
  code: ErrorCode;
  message: string;
}

/** Keeps the first `cap` errors and counts the rest. */
export class ErrorList {
  readonly items: ImportRowError[] = [];
  count = 0;

  constructor(private readonly cap: number) {}

  add(e: ImportRowError): void {
    this.count += 1;
    if (this.items.length < this.cap) this.items.push(e);
  }
}

interface Entry {
  line: number;
  rec: ParsedRecord;
  /** A customer id / sku not defined earlier in the file: must already be in the store. */
  needCustomer: string | null;
  needSku: string | null;
}

export class ImportBatch {
  readonly imported: WrittenCounts = emptyCounts();
  readonly unchanged: WrittenCounts = emptyCounts();
  private entries: Entry[] = [];
  private rowErrors: ImportRowError[] = [];
  /** Upsert keys in the current batch: a repeat forces a flush, so each batch upserts a key once. */
  private readonly batchKeys = { product: new Set<string>(), customer: new Set<string>(), order: new Set<string>() };
  /** Customers and products defined earlier in this file or found in the store: referencing them needs no query. */
  private readonly knownCustomers = new Set<string>();
  private readonly knownSkus = new Set<string>();

  constructor(
    private readonly writer: BulkWriter,
    private readonly now: () => Instant,
    private readonly errors: ErrorList,
    private readonly size: number,
  ) {}

  /** Invalid rows count towards the batch size too, so a file of bad rows still reports in bounded memory. */
  get full(): boolean {
    return this.entries.length + this.rowErrors.length >= this.size;
  }

  /** True when the record repeats an upsert key already in this batch: flush before adding it. */
  clashes(rec: ParsedRecord): boolean {
    switch (rec.type) {
      case 'product':
        return this.batchKeys.product.has(rec.product.sku);
      case 'customer':
        return this.batchKeys.customer.has(rec.customer.id);
      case 'order':
        return this.batchKeys.order.has(rec.order.id);
      default:
        return false;
    }
  }

  add(line: number, rec: ParsedRecord): void {
    let needCustomer: string | null = null;
    let needSku: string | null = null;
    switch (rec.type) {
      case 'product':
        this.batchKeys.product.add(rec.product.sku);
        this.knownSkus.add(rec.product.sku);
        break;
      case 'customer':
        this.batchKeys.customer.add(rec.customer.id);
        this.knownCustomers.add(rec.customer.id);
        break;
      case 'order':
        this.batchKeys.order.add(rec.order.id);
        if (!this.knownCustomers.has(rec.order.customerId)) needCustomer = rec.order.customerId;
        if (!this.knownSkus.has(rec.order.sku)) needSku = rec.order.sku;
        break;
      case 'consent':
      case 'objection':
        if (!this.knownCustomers.has(rec.ledger.customerId)) needCustomer = rec.ledger.customerId;
        break;
      case 'suppression':
        break;
    }
    this.entries.push({ line, rec, needCustomer, needSku });
  }

  reject(line: number, code: ErrorCode, field: string | null, message: string): void {
    this.rowErrors.push({ line, field, code, message });
  }

  async flush(): Promise<void> {
    const entries = this.entries;
    const rowErrors = this.rowErrors;
    this.entries = [];
    this.rowErrors = [];
    for (const keys of Object.values(this.batchKeys)) keys.clear();

    const { batch, valid } = await this.resolve(entries, rowErrors);
    const written = valid.size > 0 ? await this.write(batch, entries) : emptyCounts();
    for (const type of Object.keys(written) as RecordType[]) {
      this.imported[type] += written[type];
      this.unchanged[type] += (valid.counts[type] ?? 0) - written[type];
    }
    // Reference errors are found only now: sort so the error list stays in line order.
    rowErrors.sort((a, b) => a.line - b.line);
    for (const e of rowErrors) this.errors.add(e);
  }

  /** Checks the references against the store (one query per table) and maps the valid records to rows. */
  private async resolve(entries: Entry[], rowErrors: ImportRowError[]): Promise<{ batch: BulkBatch; valid: { size: number; counts: Partial<WrittenCounts> } }> {
    const customerIds = new Set<string>();
    const skus = new Set<string>();
    for (const e of entries) {
      if (e.needCustomer !== null) customerIds.add(e.needCustomer);
      if (e.needSku !== null) skus.add(e.needSku);
    }
    const foundCustomers = await this.writer.existing('customers', [...customerIds]);
    const foundSkus = await this.writer.existing('products', [...skus]);
    for (const id of foundCustomers) this.knownCustomers.add(id);
    for (const sku of foundSkus) this.knownSkus.add(sku);

    const now = this.now();
    const batch: BulkBatch = { products: [], customers: [], orders: [], ledger: [], suppressions: [] };
    const counts: Partial<WrittenCounts> = {};
    let size = 0;
    for (const e of entries) {
      if (e.needCustomer !== null && !foundCustomers.has(e.needCustomer)) {
        rowErrors.push({ line: e.line, field: 'customerId', code: 'UNKNOWN_CUSTOMER', message: `no customer with id ${e.needCustomer}` });
        continue;
      }
      if (e.needSku !== null && !foundSkus.has(e.needSku)) {
        rowErrors.push({ line: e.line, field: 'sku', code: 'UNKNOWN_PRODUCT', message: `no product with sku ${e.needSku}` });
        continue;
      }
      toRows(e.rec, now, batch);
      counts[e.rec.type] = (counts[e.rec.type] ?? 0) + 1;
      size += 1;
    }
    return { batch, valid: { size, counts } };
  }

  private async write(batch: BulkBatch, entries: Entry[]): Promise<WrittenCounts> {
    try {
      return await this.writer.write(batch);
    } catch (err) {
      // The store's message may quote row values (personal data): keep it as the cause only.
      const first = entries[0]?.line ?? 0;
      const last = entries.at(-1)?.line ?? 0;
      const sqlState = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
      const error = new DomainError('IMPORT_FAILED', `the store refused the batch of lines ${first}-${last}; nothing of it was written`, {
        details: { firstLine: first, lastLine: last, ...(sqlState === undefined ? {} : { storeCode: sqlState }) },
      });
      error.cause = err;
      throw error;
    }
  }
}

function toRows(rec: ParsedRecord, now: Instant, batch: BulkBatch): void {
  switch (rec.type) {
    case 'product': {
      const p = rec.product;
      batch.products.push({ sku: p.sku, name: p.name, brand: p.brand, category: p.category });
      return;
    }
    case 'customer':
      batch.customers.push(customerToRow({ ...rec.customer, createdAt: now, updatedAt: now }));
      return;
    case 'order': {
      const o = rec.order;
      batch.orders.push({
        id: o.id,
        customer_id: o.customerId,
        sku: o.sku,
        started_at: o.startedAt,
        ended_at: o.endedAt,
        sold_via: o.soldVia,
        opt_out_offered: o.optOutOffered ? 1 : 0,
      });
      return;
    }
    case 'consent':
    case 'objection':
      batch.ledger.push(ledgerToRow(rec.ledger, now));
      return;
    case 'suppression': {
      const s = rec.suppression;
      batch.suppressions.push({
        channel: s.channel,
        address: s.address,
        reason: s.reason,
        at: s.at,
        valid_until: s.validUntil,
        recorded_at: now,
        source: s.source,
        fingerprint: suppressionFingerprint(s),
      });
      return;
    }
  }
}
