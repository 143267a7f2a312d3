/** The products list's state in the URL: search text. */
import { z } from 'zod';
import { textParam } from '../../lib/search';

export const productsSearchSchema = z.object({ q: textParam });
export type ProductsSearch = z.infer<typeof productsSearchSchema>;
export const validateProductsSearch = (search: Record<string, unknown>): ProductsSearch =>
  productsSearchSchema.parse(search);
