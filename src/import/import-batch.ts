/**
 * Collects validated records into batches, resolves their references with one query per batch
 * and writes each batch through a BulkWriter in one transaction. Memory is bounded by the batch
 * size plus the ids of customers and products seen in this import.
 */
import { DomainError, type ErrorCode } from '../core/errors.ts';
import type { Instant } from '../core/records.ts';
import {
  CUSTOMER_COLUMNS,
  LEDGER_COLUMNS,
  emptyBatch,
  emptyCounts,
  type BulkBatch,
  type BulkWriter,
  type WrittenCounts,
} from '../storage/bulk/bulk-writer.ts';
import { suppressionFingerprint } from '../storage/fingerprint.ts';
import { customerToRow } from '../storage/sql-customer-store.ts';
import { ledgerToRow } from '../storage/sql-ledger-store.ts';
import type { ParsedRecord, RecordType } from './record-schemas.ts';

export interface ImportRowError {
  line: number;
  /** Only when the refused row took several lines and they were not read as rows (a quote never closed). */
  lastLine?: number;
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
  /**
   * Rows whose customer or product was neither in the store nor earlier in the file. They are tried
   * once more after the whole file, so a file need not list customers before what refers to them.
   */
  private deferred: Entry[] = [];
  private finalPass = false;
  /** The batch being written while the next one is read: the store and the parser work at the same time. */
  private inFlight: Promise<void> = Promise.resolve();

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

  reject(line: number, code: ErrorCode, field: string | null, message: string, lastLine?: number): void {
    this.rowErrors.push(lastLine === undefined || lastLine === line ? { line, field, code, message } : { line, lastLine, field, code, message });
  }

  /** Hands the batch to the writer and returns once the previous batch is written; rethrows its failure. */
  async flush(): Promise<void> {
    const entries = this.entries;
    const rowErrors = this.rowErrors;
    this.entries = [];
    this.rowErrors = [];
    for (const keys of Object.values(this.batchKeys)) keys.clear();

    // References are checked and rows mapped while the previous batch is still being written
    // (rows of this import are never looked up in the store, so its progress does not matter);
    // then one write at a time, so counts and errors stay in line order.
    const { batch, valid } = await this.resolve(entries, rowErrors);
    await this.inFlight;
    this.inFlight = (async () => {
      const written = valid.size > 0 ? await this.write(batch, entries) : emptyCounts();
      for (const type of Object.keys(written) as RecordType[]) {
        this.imported[type] += written[type];
        this.unchanged[type] += (valid.counts[type] ?? 0) - written[type];
      }
      // Reference errors are found only at flush: sort so the error list stays in line order.
      rowErrors.sort((a, b) => a.line - b.line);
      for (const e of rowErrors) this.errors.add(e);
    })();
    // Reported by the next flush or by finish(); until then the rejection must not count as unhandled.
    this.inFlight.catch(() => undefined);
  }

  /** Writes what is left, then the rows that referred forward, and waits for every write. */
  async finish(): Promise<void> {
    await this.flush();
    await this.inFlight;
    if (this.deferred.length > 0) {
      this.finalPass = true;
      this.entries = this.deferred.sort((a, b) => a.line - b.line);
      this.deferred = [];
      await this.flush();
      await this.inFlight;
    }
    // Forward references are reported after the rest: keep the error list in line order.
    this.errors.items.sort((a, b) => a.line - b.line);
  }

  /** Waits for the write in flight, ignoring its outcome: before closing the writer after a failure. */
  async settle(): Promise<void> {
    await this.inFlight.catch(() => undefined);
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
    const batch = emptyBatch();
    const counts: Partial<WrittenCounts> = {};
    let size = 0;
    for (const e of entries) {
      const missing = (e.needCustomer !== null && !foundCustomers.has(e.needCustomer)) || (e.needSku !== null && !foundSkus.has(e.needSku));
      if (missing && !this.finalPass) {
        this.deferred.push(e);
        continue;
      }
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
      const message = `the store refused the batch of lines ${first}-${last}; it and possibly earlier uncommitted batches were not written (re-running the file is safe)`;
      const error = new DomainError('IMPORT_FAILED', message, {
        details: { firstLine: first, lastLine: last, ...(sqlState === undefined ? {} : { storeCode: sqlState }) },
      });
      error.cause = err;
      throw error;
    }
  }
}

/** Appends the record's row to its table's flat array, in the column order of bulk-writer.ts. */
function toRows(rec: ParsedRecord, now: Instant, batch: BulkBatch): void {
  switch (rec.type) {
    case 'product': {
      const p = rec.product;
      batch.products.push(p.sku, p.name, p.brand, p.category);
      return;
    }
    case 'customer': {
      // customerToRow keeps one mapping of customers to columns. Spelled out rather than spread:
      // a spread copy costs three times as much, a million times over.
      const c = rec.customer;
      const row = customerToRow({ id: c.id, kind: c.kind, name: c.name, emails: c.emails, phones: c.phones, address: c.address, locale: c.locale, createdAt: now, updatedAt: now });
      for (const column of CUSTOMER_COLUMNS) {
        const value = row[column];
        batch.customers.push(Array.isArray(value) ? JSON.stringify(value) : value);
      }
      return;
    }
    case 'order': {
      const o = rec.order;
      batch.orders.push(o.id, o.customerId, o.sku, o.startedAt, o.endedAt, o.soldVia, o.optOutOffered ? 1 : 0);
      return;
    }
    case 'consent':
    case 'objection': {
      const row = ledgerToRow(rec.ledger, now);
      for (const column of LEDGER_COLUMNS) batch.ledger.push(row[column]);
      return;
    }
    case 'suppression': {
      const s = rec.suppression;
      batch.suppressions.push(s.channel, s.address, s.reason, s.at, s.validUntil, now, s.source, suppressionFingerprint(s));
      return;
    }
  }
}
