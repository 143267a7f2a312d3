/** The Customers screen's state in the URL: the search text (e.g. `?q=grace`). */
import { z } from 'zod';
import { textParam } from '../../lib/search';

export const customersSearchSchema = z.object({
  q: textParam,
});

export type CustomersSearch = z.infer<typeof customersSearchSchema>;

export function validateCustomersSearch(search: Record<string, unknown>): CustomersSearch {
  return customersSearchSchema.parse(search);
}
