/** The orders list's state in the URL: search text, filters and sort. */
import { z } from 'zod';
import { boolParam, dateParam, enumParam, textParam } from '../../lib/search';

export const ORDER_SORT_COLUMNS = ['number', 'createdAt', 'customer', 'total', 'status'] as const;
export type OrderSortColumn = (typeof ORDER_SORT_COLUMNS)[number];

export const ordersSearchSchema = z.object({
  q: textParam,
  channel: textParam,
  status: enumParam([
    'open',
    'backordered',
    'in_progress',
    'partially_shipped',
    'shipped',
    'delivered',
    'completed',
    'cancelled',
    'partially_returned',
    'returned',
  ]),
  from: dateParam,
  to: dateParam,
  sort: enumParam(ORDER_SORT_COLUMNS),
  desc: boolParam,
});

export type OrdersSearch = z.infer<typeof ordersSearchSchema>;

export function validateOrdersSearch(search: Record<string, unknown>): OrdersSearch {
  return ordersSearchSchema.parse(search);
}
