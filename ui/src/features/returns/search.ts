/** The Returns screen's state in the URL: which location and which tab (e.g. `?loc=ST-BKLYN&tab=held`). */
import { z } from 'zod';
import { enumParam, textParam } from '../../lib/search';

export const RETURN_TABS = ['expected', 'receiving', 'toRefund', 'recent', 'held'] as const;
export type ReturnTab = (typeof RETURN_TABS)[number];

export const returnsSearchSchema = z.object({
  loc: textParam,
  tab: enumParam(RETURN_TABS),
});

export type ReturnsSearch = z.infer<typeof returnsSearchSchema>;

export function validateReturnsSearch(search: Record<string, unknown>): ReturnsSearch {
  return returnsSearchSchema.parse(search);
}
