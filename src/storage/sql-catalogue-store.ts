/** Products and orders over Kysely, for both dialects. */
import type { CompiledQuery, Kysely } from 'kysely';
import type { CatalogueStore } from '../core/ports.ts';
import type { CustomerId, Order, OrderWithCategory, Product, Sku } from '../core/records.ts';
import { orderWithCategoryFromRow, productFromRow } from './row-mappers.ts';
import type { ProductsTable, Schema } from './schema.ts';

export class SqlCatalogueStore implements CatalogueStore {
  /**
   * `decide` reads its product on every request: the query is built once and run with the sku as
   * its one parameter, rather than compiled by Kysely's builder each time.
   */
  private readonly productBySku: CompiledQuery<ProductsTable>;

  constructor(private readonly db: Kysely<Schema>) {
    this.productBySku = db.selectFrom('products').selectAll().where('sku', '=', '').compile();
  }

  async getProduct(sku: Sku): Promise<Product | null> {
    const { rows } = await this.db.executeQuery<ProductsTable>({ ...this.productBySku, parameters: [sku] });
    const row = rows[0];
    return row === undefined ? null : productFromRow(row);
  }

  async listProducts(): Promise<Product[]> {
    return (await this.db.selectFrom('products').selectAll().orderBy('sku').execute()).map(productFromRow);
  }

  async upsertProduct(p: Product): Promise<void> {
    const row = { sku: p.sku, name: p.name, brand: p.brand, category: p.category };
    await this.db
      .insertInto('products')
      .values(row)
      .onConflict((oc) => oc.column('sku').doUpdateSet({ name: row.name, brand: row.brand, category: row.category }))
      .execute();
  }

  async upsertOrder(o: Order): Promise<void> {
    const row = {
      id: o.id,
      customer_id: o.customerId,
      sku: o.sku,
      started_at: o.startedAt,
      ended_at: o.endedAt,
      sold_via: o.soldVia,
      // 1/0 binds on both drivers: PostgreSQL reads '1' as true.
      opt_out_offered: o.optOutOffered ? 1 : 0,
    };
    const { id: _id, ...changes } = row;
    await this.db
      .insertInto('orders')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet(changes))
      .execute();
  }

  async ordersOf(customerId: CustomerId): Promise<OrderWithCategory[]> {
    const rows = await customerOrdersQuery(this.db, customerId).orderBy('orders.started_at').orderBy('orders.id').execute();
    return rows.map(orderWithCategoryFromRow);
  }
}

/** The customer's orders, each with its product's category (unordered: the caller orders and pages). */
export function customerOrdersQuery(db: Kysely<Schema>, customerId: CustomerId) {
  return db
    .selectFrom('orders')
    .innerJoin('products', 'products.sku', 'orders.sku')
    .selectAll('orders')
    .select('products.category')
    .where('orders.customer_id', '=', customerId);
}
