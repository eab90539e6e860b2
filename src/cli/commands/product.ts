/** `lupa product list`: the catalogue, by sku. */
import type { Command } from 'commander';
import { allRows, listProducts } from '../../use-cases/listings.ts';
import { printJson, withApp } from '../context.ts';
import { printTable } from '../table.ts';

export function registerProduct(program: Command): void {
  const product = program.command('product').description('the product catalogue');
  product
    .command('list')
    .description('every product by sku, with its category (what counts as a similar product)')
    .option('--json', 'print one JSON array')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const products = await withApp(cmd, (app) => allRows(async (page) => {
        const got = await listProducts(app.stores, page);
        return { rows: got.products, next: got.next };
      }));
      if (opts.json === true) printJson(products);
      else printTable(['sku', 'category', 'brand', 'name'], products.map((p) => [p.sku, p.category, p.brand, p.name]));
    });
}
