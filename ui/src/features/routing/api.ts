/** Routing: the settings in force, their versions, saving a new version and the what-if replay. */
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { RoutingSettingsDto } from '../../bindings/RoutingSettingsDto';
import type { SaveRoutingSettingsDto } from '../../bindings/SaveRoutingSettingsDto';
import { commands } from '../../lib/ipc';

export const routingKeys = {
  all: ['routing'] as const,
  current: ['routing', 'current'] as const,
  history: ['routing', 'history'] as const,
};

/** How many versions the history list shows. */
export const HISTORY_LIMIT = 50;

export const routingSettingsQuery = queryOptions({
  queryKey: routingKeys.current,
  queryFn: commands.getRoutingSettings,
});

export const routingHistoryQuery = queryOptions({
  queryKey: routingKeys.history,
  queryFn: () => commands.routingHistory(HISTORY_LIMIT),
});

export const useRoutingSettings = () => useQuery(routingSettingsQuery);
export const useRoutingHistory = () => useQuery(routingHistoryQuery);

/** Saves a new version; the version in force and the history refresh. */
export function useSaveRoutingSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: SaveRoutingSettingsDto) => commands.saveRoutingSettings(input),
    onSuccess: (saved) => {
      queryClient.setQueryData(routingKeys.current, saved);
      void queryClient.invalidateQueries({ queryKey: routingKeys.history });
    },
  });
}

/** Replays the last orders under the settings in force and under `proposed` (writes nothing). */
export function useWhatIf() {
  return useMutation({
    mutationFn: ({ proposed, lastOrders }: { proposed: RoutingSettingsDto; lastOrders: number }) =>
      commands.routingWhatIf(proposed, lastOrders),
  });
}
