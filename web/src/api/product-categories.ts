/** Every product category of the catalogue, sorted (a catalogue is small: its pages are read through). */
import { api, unwrap } from './client.ts';

export async function productCategories(): Promise<string[]> {
  const found = new Set<string>();
  let after: string | undefined;
  for (let page = 0; page < 50; page++) {
    const { products, next } = await unwrap(api.GET('/v1/products', { params: { query: { limit: 100, ...(after === undefined ? {} : { after }) } } }));
    for (const p of products) found.add(p.category);
    if (next === null || next === undefined) break;
    after = next;
  }
  return [...found].sort();
}
