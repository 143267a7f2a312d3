/** The inventory grid's state in the URL: search text and location filter. */
import { z } from 'zod';
import { textParam } from '../../lib/search';

export const inventorySearchSchema = z.object({ q: textParam, location: textParam });
export type InventorySearch = z.infer<typeof inventorySearchSchema>;
export const validateInventorySearch = (search: Record<string, unknown>): InventorySearch =>
  inventorySearchSchema.parse(search);
