/** The fulfilment screen's state in the URL: which location and which queue. */
import { z } from 'zod';
import { enumParam, textParam } from '../../lib/search';

export const QUEUE_TABS = ['pick', 'picking', 'packed', 'waiting', 'pickup', 'late'] as const;
export type QueueTab = (typeof QUEUE_TABS)[number];

export const fulfilmentSearchSchema = z.object({
  loc: textParam,
  tab: enumParam(QUEUE_TABS),
});

export type FulfilmentSearch = z.infer<typeof fulfilmentSearchSchema>;

export function validateFulfilmentSearch(search: Record<string, unknown>): FulfilmentSearch {
  return fulfilmentSearchSchema.parse(search);
}
