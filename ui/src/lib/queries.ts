/**
 * Query options for data several screens read (shop info, channels, locations). Each feature's own
 * data lives in its `api.ts`; these are shared so that a change anywhere refreshes every reader.
 */
import { queryOptions, useQuery } from '@tanstack/react-query';
import { commands } from './ipc';

/**
 * Root keys of every cached list. Features build their keys under these, and any screen whose change
 * affects another (an order reserves stock) invalidates that screen's root here, without importing it.
 */
export const sharedKeys = {
  appInfo: ['app-info'] as const,
  channels: ['channels'] as const,
  locations: ['locations'] as const,
  orders: ['orders'] as const,
  products: ['products'] as const,
  inventory: ['inventory'] as const,
  customers: ['customers'] as const,
  settings: ['settings'] as const,
  returns: ['returns'] as const,
};

export const appInfoQuery = queryOptions({
  queryKey: sharedKeys.appInfo,
  queryFn: commands.appInfo,
  staleTime: 60_000,
  // On first start the demo shop loads in the background: ask again until it is done.
  refetchInterval: (query) => (query.state.data?.demoLoading ? 1_500 : false),
});

export const channelsQuery = queryOptions({
  queryKey: sharedKeys.channels,
  queryFn: commands.listChannels,
  staleTime: 60_000,
});

export const locationsQuery = queryOptions({
  queryKey: sharedKeys.locations,
  queryFn: commands.listLocations,
  staleTime: 60_000,
});

export const useAppInfo = () => useQuery(appInfoQuery);
export const useChannels = () => useQuery(channelsQuery);
export const useLocations = () => useQuery(locationsQuery);

/** The shop currency, for screens that format or parse amounts before the core answers. */
export function useShopCurrency(): string {
  return useAppInfo().data?.currency ?? 'USD';
}
