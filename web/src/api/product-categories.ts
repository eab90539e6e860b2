/** The catalogue's products, and every product category of it, sorted. */
import { api, unwrap } from './client.ts';

/** Every product of the catalogue (a catalogue is small: its pages are read through). */
export async function catalogueProducts(): Promise<{ sku: string; name: string; category: string }[]> {
  const found: { sku: string; name: string; category: string }[] = [];
  let after: string | undefined;
  for (let page = 0; page < 50; page++) {
    const { products, next } = await unwrap(api.GET('/v1/products', { params: { query: { limit: 100, ...(after === undefined ? {} : { after }) } } }));
    found.push(...products);
    if (next === null || next === undefined) break;
    after = next;
  }
  return found;
}

export async function productCategories(): Promise<string[]> {
  return [...new Set((await catalogueProducts()).map((p) => p.category))].sort();
}
