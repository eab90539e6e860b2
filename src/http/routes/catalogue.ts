/** The product catalogue: no personal data, readable by every role. */
import { z } from 'zod';
import type { App } from '../../composition-root.ts';
import { listProducts } from '../../use-cases/listings.ts';
import { requirePermission, rolesNote } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import { NextSchema, pageQuery, SkuSchema } from '../schemas.ts';
import type { ZodServer } from '../zod-provider.ts';

const ProductSchema = z.object({
  sku: z.string(),
  name: z.string(),
  brand: z.string().nullable(),
  category: z.string().meta({ description: 'Decides what counts as a similar product for soft opt-in' }),
});

export function catalogueRoutes(server: ZodServer, app: App): void {
  server.get(
    '/v1/products',
    {
      onRequest: requirePermission(app, 'products.read'),
      schema: {
        tags: ['catalogue'],
        summary: 'List products',
        description: `By sku, keyset-paged: pass \`next\` as \`after\`. ${rolesNote('products.read')}`,
        querystring: z.strictObject(pageQuery(SkuSchema)),
        response: { 200: z.object({ products: z.array(ProductSchema), next: NextSchema }), ...errorResponses(['VALIDATION_FAILED']) },
      },
    },
    (req) => listProducts(app.stores, req.query),
  );
}
