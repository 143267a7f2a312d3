/** Carriers & rates: the rate cards in force, their versions, saving a new version and quoting a shipment. */
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { QuoteRequestDto } from '../../bindings/QuoteRequestDto';
import type { SaveRateCardsDto } from '../../bindings/SaveRateCardsDto';
import { commands } from '../../lib/ipc';

export const ratesKeys = {
  all: ['rates'] as const,
  current: ['rates', 'current'] as const,
  history: ['rates', 'history'] as const,
};

/** How many versions the history list shows. */
export const HISTORY_LIMIT = 50;

export const rateCardsQuery = queryOptions({
  queryKey: ratesKeys.current,
  queryFn: commands.getRateCards,
});

export const rateCardHistoryQuery = queryOptions({
  queryKey: ratesKeys.history,
  queryFn: () => commands.rateCardHistory(HISTORY_LIMIT),
});

export const useRateCards = () => useQuery(rateCardsQuery);
export const useRateCardHistory = () => useQuery(rateCardHistoryQuery);

/** Saves a new version; the version in force and the history refresh. */
export function useSaveRateCards() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: SaveRateCardsDto) => commands.saveRateCards(input),
    onSuccess: (saved) => {
      queryClient.setQueryData(ratesKeys.current, saved);
      void queryClient.invalidateQueries({ queryKey: ratesKeys.history });
    },
  });
}

/** Rate shopping for one shipment (writes nothing). */
export function useQuote() {
  return useMutation({ mutationFn: (request: QuoteRequestDto) => commands.quoteShipment(request) });
}

/** The core names fields as `carriers[1].services[0].brackets[2].upToGrams`. */
export type FieldErrors = Record<string, string>;
